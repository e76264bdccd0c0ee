import Foundation
import Core
import Render

/// The pure heart of the dashboard: a message in, the new state and the effects to run out.
/// Nothing here touches the database or the terminal, so all of it is tested without either.
public struct Updater: Sendable {
    public var keymap: KeyMap
    public init(keymap: KeyMap = KeyMap()) { self.keymap = keymap }

    public func update(_ s: inout AppState, _ msg: Msg) -> [Effect] {
        switch msg {
        case .resized(let w, let h):
            s.width = w; s.height = h
            return []
        case .tick(let now):
            s.now = now
            if s.pendingWrites > 0 { s.savingShown = true }
            return []
        case .boardLoaded(let snap):
            // Read before a move the user made since: it would put the card back until the move's own reload
            // (a flash of the old board, and a second frame for every move). The reload after the last write wins.
            guard s.pendingWrites == 0 else { return [] }
            apply(snap, to: &s)
            return []
        case .agentRemovalLoaded(let r):
            guard s.screen == .agents, s.overlays.isEmpty, s.agents.selectedRow?.agent.id == r.agentId else { return [] }
            if r.running > 0 {
                s.status = StatusMessage("agent '\(r.slug)' has \(r.running) running execution\(r.running == 1 ? "" : "s"): cancel them before removing it", .error)
                return []
            }
            s.overlays.append(.confirm(Confirmation(title: "Remove agent '\(r.slug)'?", message: r.message, yesLabel: "remove",
                                                    onYes: [.removeAgent(r.agentId, slug: r.slug)])))
            return []
        case .capabilityRemovalLoaded(let r):
            return capabilityRemovalLoaded(&s, r)
        case .settingsLoaded(let rows, let only):
            return settingsLoaded(&s, rows, only: only)
        case .agentsLoaded(let rows):
            s.agents.rows = rows
            s.agents.loaded = true
            s.agents.selected = min(s.agents.selected, max(0, rows.count - 1))
            return []
        case .executionsLoaded(let rows, let filter):
            guard filter == s.executions.statusFilter else { return [] }
            let keep = s.executions.selectedRow?.execution.id
            s.executions.rows = rows
            s.executions.loaded = true
            if let keep, let i = rows.firstIndex(where: { $0.execution.id == keep }) { s.executions.selected = i }
            s.executions.selected = min(s.executions.selected, max(0, rows.count - 1))
            return []
        case .runChoicesLoaded(let taskId, let options):
            if case .runPicker(var p)? = s.topOverlay, p.taskId == taskId {
                p.options = options; p.loaded = true
                s.overlays[s.overlays.count - 1] = .runPicker(p)
            }
            return []
        case .discovered(let found):
            if case .discovery? = s.topOverlay { s.overlays[s.overlays.count - 1] = .discovery(found) }
            return []
        case .inboxHistoryLoaded(let decisions):
            s.inboxHistory = decisions
            return []
        case .searchLoaded(let query, let result, let complete):
            return searchLoaded(&s, query: query, result, complete: complete)
        case .diffLoaded(let taskId, let executionId, let load, let error):
            diffLoaded(&s, taskId: taskId, executionId: executionId, load, error: error)
            return []
        case .inboxLoaded(let items, let links):
            s.inbox = items
            if case .inbox(let sel)? = s.topOverlay { s.overlays[s.overlays.count - 1] = .inbox(selected: min(sel, max(0, items.count - 1))) }
            return inboxArrivals(&s, items, links: links)
        case .runsWatched(let watch):
            return runsEnded(&s, watch)
        case .notifyFailed(let text):
            s.status = StatusMessage(text, .error)
            return []
        case .syncFailed(let text):
            s.status = StatusMessage("sync: " + text, .error)
            return []
        case .usageLoaded(let u):
            s.usage = u
            return []
        case .sessionsLoaded(let list):
            guard list.filter == s.sessions.filter else { return [] }  // an answer to an older filter
            let keep = s.sessions.selectedRow?.session.id
            let rows = list.rows
            s.sessions.rows = rows
            s.sessions.total = list.total
            s.sessions.loaded = true
            let shown = s.sessions.shown
            if let keep, let i = shown.firstIndex(where: { $0.session.id == keep }) { s.sessions.selected = i }
            s.sessions.selected = min(s.sessions.selected, max(0, shown.count - 1))
            return []
        case .transcriptLoaded(let load):
            return applyTranscript(load, to: &s)
        case .subTranscriptLoaded(let id, let sub):
            applySubTranscript(id, sub, to: &s)
            return []
        case .logLoaded(let page):
            applyLog(page, to: &s)
            return []
        case .detailLoaded(let d):
            if let i = s.overlays.lastIndex(where: { if case .detail(let id, _, _) = $0 { return id == d.task.id }; return false }),
               case .detail(let id, _, let off) = s.overlays[i] {
                s.overlays[i] = .detail(taskId: id, d, offset: off)
            }
            return []
        case .written(let text):
            s.pendingWrites = max(0, s.pendingWrites - 1)
            if let text { s.status = StatusMessage(text) }
            if case .form(let f)? = s.topOverlay, f.saving { s.overlays.removeLast() }
            return reloadAll(s)
        case .writeFailed(let text):
            s.pendingWrites = max(0, s.pendingWrites - 1)
            if case .form(var f)? = s.topOverlay, f.saving {
                f.saving = false; f.error = text
                s.overlays[s.overlays.count - 1] = .form(f)  // the user's words stay on screen
            } else {
                s.status = StatusMessage(text, .error)
            }
            return reloadAll(s)  // undo the optimistic change
        case .dataChanged:
            return reloadAll(s)
        case .databaseUnreachable(_, let waiting):
            s.outage = "database unreachable — retrying" + (waiting > 0 ? " (\(waiting) change\(waiting == 1 ? "" : "s") waiting)" : "")
            return []
        case .databaseReachable:
            s.outage = nil
            return reloadAll(s)  // catch up on everything that changed meanwhile
        case .loadFailed(let text):
            s.status = StatusMessage(text, .error)
            return []
        case .columnOffsets(let offsets):
            for (i, o) in offsets.enumerated() where i < s.board.columns.count { s.board.columns[i].offset = o }
            return []
        case .themeLoaded(let name, let warning):
            guard name == s.themeName else { return [] }  // an answer to an older :theme
            s.status = warning.map { StatusMessage($0, .error) } ?? StatusMessage("theme \(name)")
            return []
        case .runTranscriptFound(let run, let session):
            return runTranscriptFound(&s, run: run, session: session)
        case .attachEnded(let id, let error):
            // Back on the same screen; the list is read again (the run may have ended meanwhile).
            s.status = error.map { StatusMessage("cannot attach to run #\(id): \($0)", .error) }
                ?? StatusMessage("detached from run #\(id); it keeps running")
            return [.loadExecutions(status: s.executions.statusFilter)]
        case .key(let key):
            if key == .resize { return [] }
            // Over a popup, what says why goes at the next key and the popup's hints come back.
            if s.status?.kind == .refused || (s.topOverlay != nil && s.status?.kind == .error) { s.status = nil }
            if s.topOverlay != nil { return handleOverlayKey(&s, key) }
            s.status = nil
            return handleScreenKey(&s, key)
        }
    }

    /// What to load so every screen the user can see is current.
    public func reloadAll(_ s: AppState) -> [Effect] {
        var effects: [Effect] = [boardReload(s), .loadInbox]
        if s.notify.settings.any { effects.append(watchRuns(s)) }
        if s.screen == .agents || s.agents.loaded { effects.append(.loadAgents) }
        if s.screen == .executions || s.executions.loaded { effects.append(.loadExecutions(status: s.executions.statusFilter)) }
        if s.screen == .sessions { effects += [.loadSessions(filter: s.sessions.filter), .loadUsage] }
        if s.screen == .transcript, let id = s.transcript.sessionId, !s.transcript.loading {
            let seq: Int64? = { if case .message(let m)? = s.transcript.selected { return s.transcript.page.items.first { $0.message.id == m }?.message.seq }; return nil }()
            effects.append(.loadTranscript(id, anchor: seq.map { .around($0) } ?? .start))
        }
        // A paused log stays exactly as it is until the user scrolls or resumes.
        if s.screen == .logs, s.log.follow, let id = s.log.executionId {
            effects.append(loadLog(s, id: id, anchor: .tail))
        }
        if case .detail(let id, _, _)? = s.overlays.first(where: { if case .detail = $0 { return true }; return false }) {
            effects.append(.loadDetail(id))
        }
        return effects
    }

    /// Reloads every column around its current selection.
    public func boardReload(_ s: AppState) -> Effect {
        var anchors: [TaskStatus: WindowAnchor] = [:]
        for c in s.board.columns {
            anchors[c.status] = c.selectedId.map { .task($0) } ?? .index(c.selected)
        }
        return .loadBoard(anchors: anchors, filter: s.board.filter)
    }

    func apply(_ snap: BoardSnapshot, to s: inout AppState) {
        guard snap.filter == s.board.filter else { return }  // an answer to an older filter
        for col in snap.columns {
            let i = col.status.columnIndex
            var c = s.board.columns[i]
            c.cards = col.cards; c.windowStart = col.windowStart; c.total = col.total
            if let id = c.selectedId, let k = col.cards.firstIndex(where: { $0.task.id == id }) {
                c.selected = col.windowStart + k
            } else if let want = col.selectIndex {
                c.select(want)
            } else {
                c.select(c.selected)
            }
            if c.selectedId == nil || c.selectedCard?.task.id != c.selectedId { c.selectedId = c.selectedCard?.task.id }
            s.board.columns[i] = c
        }
        s.board.loaded = true
    }

    func handleScreenKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        if s.screen == .logs, !s.log.search.isEmpty {
            if keymap.keys(for: .nextMatch).contains(key) { return logSearchStep(&s, forward: true) }
            if keymap.keys(for: .previousMatch).contains(key) { return logSearchStep(&s, forward: false) }
        }
        if s.screen == .transcript, !s.transcript.search.isEmpty {
            if keymap.keys(for: .nextMatch).contains(key) { return transcriptSearch(&s, forward: true) }
            if keymap.keys(for: .previousMatch).contains(key) { return transcriptSearch(&s, forward: false) }
        }
        if s.screen == .board, !s.board.filter.isEmpty {
            if keymap.keys(for: .nextMatch).contains(key) { return nextMatch(&s, forward: true) }
            if keymap.keys(for: .previousMatch).contains(key) { return nextMatch(&s, forward: false) }
        }
        guard let binding = keymap.binding(for: key, on: s.screen) else { return [] }
        if let why = binding.disabledReason(s) {
            s.status = StatusMessage(why, .refused)
            return []
        }
        return perform(&s, binding.action)
    }

    public func perform(_ s: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .quit:
            s.running = false
            return [.quit]
        case .help:
            s.overlays.append(.help(offset: 0)); return []
        case .command:
            s.overlays.append(.commandLine(LineEditor())); return []
        case .inbox:
            s.overlays.append(.inbox(selected: 0))
            return [.loadInbox]
        case .searchEverything:
            s.overlays.append(.searchAll(SearchAllModel())); return []
        case .redraw:
            s.fullRedraw = true; return []
        case .screenBoard: return switchScreen(&s, .board)
        case .screenAgents: return switchScreen(&s, .agents)
        case .screenExecutions: return switchScreen(&s, .executions)
        case .screenLogs: return switchScreen(&s, .logs)
        case .screenSessions: return switchScreen(&s, .sessions)
        case .back where s.screen == .transcript:
            return transcriptAction(&s, .back)
        case .back where s.screen == .sessions && !s.sessions.filter.isEmpty:
            s.sessions.filter = ""
            return [.loadSessions(filter: "")]
        case .back:
            if s.screen == .board, !s.board.filter.isEmpty {
                s.board.filter = ""
                return [boardReload(s)]
            }
            if s.screen != .board { return switchScreen(&s, .board) }
            return []
        default:
            switch s.screen {
            case .board: return boardAction(&s, action)
            case .agents: return agentsAction(&s, action)
            case .executions: return executionsAction(&s, action)
            case .logs: return logAction(&s, action)
            case .sessions: return sessionsAction(&s, action)
            case .transcript: return transcriptAction(&s, action)
            }
        }
    }

    func switchScreen(_ s: inout AppState, _ screen: ScreenID) -> [Effect] {
        let leavingLog = s.screen == .logs && screen != .logs
        s.screen = screen
        if leavingLog { return [.closeLog] + switchScreen(&s, screen) }
        switch screen {
        case .agents: return [.loadAgents]
        case .executions: return [.loadExecutions(status: s.executions.statusFilter)]
        case .sessions: return [.loadSessions(filter: s.sessions.filter), .loadUsage]
        case .transcript:
            if let id = s.transcript.sessionId { return [.loadTranscript(id, anchor: .start)] }
            s.screen = .sessions
            return [.loadSessions(filter: s.sessions.filter)]
        case .logs:
            if let id = s.log.executionId { return [loadLog(s, id: id, anchor: s.log.follow ? .tail : s.log.anchor)] }
            if let r = s.executions.selectedRow { return openLog(&s, r.execution.id) }
            return []
        case .board: return s.board.loaded ? [] : [boardReload(s)]
        }
    }

    /// j/k, g/G and paging in a list of `count` rows; false when `action` is not a move.
    func moveInList(_ selected: inout Int, count: Int, _ action: Action, page: Int) -> Bool {
        let last = max(0, count - 1)
        switch action {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(last, selected + 1)
        case .top: selected = 0
        case .bottom: selected = last
        case .pageUp: selected = max(0, selected - page)
        case .pageDown: selected = min(last, selected + page)
        default: return false
        }
        return true
    }

    func sessionsAction(_ s: inout AppState, _ action: Action) -> [Effect] {
        if moveInList(&s.sessions.selected, count: s.sessions.shown.count, action, page: s.boardRows) { return [] }
        switch action {
        case .open:
            guard let row = s.sessions.selectedRow else { return [] }
            return openTranscript(&s, row.session.id)
        case .filter:
            s.overlays.append(.filter(LineEditor(s.sessions.filter)))
            return []
        case .delete:
            guard let row = s.sessions.selectedRow else { return [] }
            s.overlays.append(.confirm(Confirmation(title: "Delete session #\(row.session.id)?", message: Self.deleteMessage(row),
                                                    yesLabel: "delete", onYes: [.deleteSession(row.session.id)])))
            return []
        case .rename, .closeSession:
            return sessionManage(&s, action)
        default: return []
        }
    }

    /// What goes with a session (as `session delete --force` says).
    static func deleteMessage(_ row: SessionRow) -> String {
        let name = row.session.title ?? row.session.userGoal ?? row.session.externalSessionId ?? "#\(row.session.id)"
        let n = row.messageCount
        return "\"\(name)\" (\(row.agentSlug)) will be deleted with its \(n) message\(n == 1 ? "" : "s"), its tool calls and its sub-agent sessions."
    }

    func agentsAction(_ s: inout AppState, _ action: Action) -> [Effect] {
        if action == .discover {  // the empty screen's way in: find the agents already installed
            s.overlays.append(.discovery(nil))
            return [.discover]
        }
        guard !s.agents.rows.isEmpty else { return [] }
        if moveInList(&s.agents.selected, count: s.agents.rows.count, action, page: s.boardRows) { return [] }
        switch action {
        case .open:
            if !(s.agents.selectedRow?.capabilities.isEmpty ?? true) {
                s.overlays.append(.capability(agentIndex: s.agents.selected, capabilityIndex: 0))
            }
        case .toggleActive:
            guard let row = s.agents.selectedRow else { return [] }
            s.agents.rows[s.agents.selected].agent.isActive.toggle()  // optimistic
            s.pendingWrites += 1
            return [.setAgentActive(row.agent.id, !row.agent.isActive)]
        case .delete:
            guard let row = s.agents.selectedRow else { return [] }
            return [.loadAgentRemoval(row.agent.id)]
        default: break
        }
        return []
    }
}
