import Foundation
import Core
import Render

/// The log tail screen: follow, scroll through the whole log by offsets, search, errors, wrap, times.
extension Updater {
    /// Lines the log pane shows (screen minus title bar, border, header and status line).
    func logRows(_ s: AppState) -> Int { max(1, s.height - 5) }

    func loadLog(_ s: AppState, id: ID, anchor: LogAnchor, search: LogSearchRequest? = nil) -> Effect {
        .loadLog(id, anchor: anchor, rows: logRows(s), search: search)
    }

    func openLog(_ s: inout AppState, _ id: ID) -> [Effect] {
        var m = LogModel()
        m.executionId = id
        m.wrap = s.log.wrap; m.timestamps = s.log.timestamps
        s.log = m
        s.screen = .logs
        return [loadLog(s, id: id, anchor: .tail)]
    }

    func applyLog(_ page: LogPage, to s: inout AppState) {
        guard page.executionId == s.log.executionId else { return }
        // A page for an old anchor (the user scrolled since) is dropped; the tail is always welcome when following.
        if s.log.follow != (page.anchor == .tail) && page.searchHit == nil && s.log.loaded { return }
        s.log.rows = page.rows
        s.log.size = page.size
        s.log.totalLines = page.totalLines
        s.log.title = page.title
        s.log.status = page.status
        s.log.source = page.source
        s.log.anchor = page.anchor
        s.log.notice = page.notice
        if let hit = page.searchHit { s.log.searchHit = hit }
        s.log.loaded = true
    }

    func logAction(_ s: inout AppState, _ action: Action) -> [Effect] {
        guard let id = s.log.executionId else { return [] }
        let rows = s.log.rows
        func go(_ anchor: LogAnchor) -> [Effect] {
            s.log.follow = anchor == .tail
            s.log.anchor = anchor
            return [loadLog(s, id: id, anchor: anchor)]
        }
        switch action {
        case .up: return rows.isEmpty ? [] : go(.up(from: rows[0].offset, lines: 1))
        case .down:
            guard rows.count > 1 else { return [] }
            return s.log.follow ? [] : go(.from(rows[1].offset))
        case .pageUp: return rows.isEmpty ? [] : go(.up(from: rows[0].offset, lines: logRows(s) - 1))
        case .pageDown:
            guard let last = rows.last else { return [] }
            return s.log.follow ? [] : go(.from(last.offset))
        case .top: return go(.from(0))
        case .bottom: return go(.tail)
        case .followToggle: return s.log.follow ? go(.from(rows.first?.offset ?? 0)) : go(.tail)
        case .wrapToggle: s.log.wrap.toggle(); return []
        case .timestampsToggle: s.log.timestamps.toggle(); return []
        case .search:
            s.overlays.append(.logSearch(LineEditor(s.log.search)))
            return []
        case .nextError, .previousError:
            let anchor = here(s)
            s.log.follow = false
            s.log.anchor = anchor
            let forward = action == .nextError
            let from = forward ? (rows.first.map { $0.end } ?? 0) : (rows.first?.offset ?? 0)
            return [loadLog(s, id: id, anchor: here(s), search: LogSearchRequest(.errorLine, from: forward && rows.isEmpty ? -1 : from, forward: forward))]
        case .cancelRun, .retryRun:
            // The same dialogs as on the executions screen, for the run being watched.
            if let i = s.executions.rows.firstIndex(where: { $0.execution.id == id }) { s.executions.selected = i }
            return executionsAction(&s, action)
        case .continueRun:
            return continueRun(&s, id, status: s.log.status)
        case .viewDiff:
            return openDiff(&s, taskId: nil, executionId: id)
        case .sendMessage, .interruptRun:
            return steer(&s, action, id, status: s.log.status)
        case .runTranscript:
            return [.findRunTranscript(id)]
        case .attachRun:
            guard let session = s.executions.rows.first(where: { $0.execution.id == id })?.execution.tmuxSessionName else { return [] }
            return [.attach(id, session: session)]
        case .back: return switchScreen(&s, .executions)
        default: return []
        }
    }

    /// Where a search starts from: the page on screen (a followed tail is pinned where it is).
    func here(_ s: AppState) -> LogAnchor { s.log.follow ? .from(s.log.rows.first?.offset ?? 0) : s.log.anchor }

    /// n / N on the log screen: the next or previous match of the last search.
    func logSearchStep(_ s: inout AppState, forward: Bool) -> [Effect] {
        guard let id = s.log.executionId, !s.log.search.isEmpty else { return [] }
        let anchor = here(s)
        s.log.follow = false
        let hit = s.log.searchHit ?? s.log.rows.first?.offset ?? 0
        return [loadLog(s, id: id, anchor: anchor, search: LogSearchRequest(.text(s.log.search), from: forward ? hit + 1 : hit,
                                                                                  forward: forward))]
    }
}
