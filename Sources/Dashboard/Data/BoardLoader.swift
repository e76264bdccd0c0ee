import Foundation
import Core
import Storage

/// Loads windows of columns by keyset pages: never every row, whatever the board's size.
public struct BoardLoader {
    public static let windowSize = 200
    let store: Store

    public init(store: Store) { self.store = store }

    public func load(anchors: [TaskStatus: WindowAnchor], filter: String) throws -> BoardSnapshot {
        let f = filter.isEmpty ? nil : filter
        let totals = try store.tasks.counts(filter: f)
        var columns: [BoardSnapshot.Column] = []
        for status in TaskStatus.allCases {
            guard let anchor = anchors[status] else { continue }
            let total = totals[status] ?? 0
            var (tasks, start, select) = try window(status, anchor, total: total, filter: f)
            if tasks.isEmpty && total > 0 { (tasks, start, select) = try window(status, .top, total: total, filter: f) }
            columns.append(BoardSnapshot.Column(status: status, cards: try cards(tasks), windowStart: start, total: total,
                                                selectIndex: select))
        }
        return BoardSnapshot(columns: columns, filter: filter)
    }

    func window(_ status: TaskStatus, _ anchor: WindowAnchor, total: Int, filter: String?) throws -> ([TaskItem], Int, Int?) {
        let tasks = store.tasks
        let w = Self.windowSize, half = Self.windowSize / 2
        switch anchor {
        case .top:
            return (try tasks.page(status: status, limit: w, filter: filter), 0, nil)
        case .bottom:
            let page = try tasks.page(status: status, backwards: true, limit: w, filter: filter)
            return (page, max(0, total - page.count), nil)
        case .index(let n):
            if n < half || total <= w { return try window(status, .top, total: total, filter: filter) }
            if n >= total - half { return try window(status, .bottom, total: total, filter: filter) }
            guard let first = try tasks.sortOrder(status: status, at: n - half, filter: filter) else {
                return try window(status, .bottom, total: total, filter: filter)
            }
            return (try tasks.page(status: status, after: first, inclusive: true, limit: w, filter: filter), n - half, n)
        case .task(let id):
            guard let t = try? tasks.get(id), t.status == status else { return ([], 0, nil) }
            if total <= w { return try window(status, .top, total: total, filter: filter) }
            let before = try tasks.page(status: status, after: t.sortOrder, backwards: true, limit: half, filter: filter)
            let after = try tasks.page(status: status, after: t.sortOrder, inclusive: true, limit: w - before.count, filter: filter)
            guard let first = before.first ?? after.first else { return ([], 0, nil) }
            let start = try tasks.position(of: first, filter: filter)
            return (before + after, start, nil)
        }
    }

    func cards(_ tasks: [TaskItem]) throws -> [CardInfo] {
        let ids = tasks.map(\.id)
        let unmet = try store.tasks.unmetDependencyCounts(ids)
        let progress = try store.tasks.subtaskProgress(ids)
        let latest = try store.executions.latestByTask(ids)
        let costs = try store.sessions.taskCosts(ids)
        let auto = try autoRunNames(tasks)
        let asking = try store.toolCalls.runsAwaitingDecision(latest.values.filter(\.status.isActive).map(\.id))
        let now = Date()
        return tasks.map { t in
            let e = latest[t.id]
            var card = CardInfo(task: t, unmetDependencies: unmet[t.id] ?? 0, subtasksDone: progress[t.id]?.done ?? 0,
                                subtasksTotal: progress[t.id]?.total ?? 0, latestExecution: e?.status,
                                costUsd: costs[t.id]?.costUsd ?? 0,
                                waitsUntil: e?.status == .queued ? e?.notBefore.flatMap { $0 > now ? $0 : nil } : nil,
                                autoRun: t.autoRunCapabilityId.flatMap { auto[$0] })
            card.awaitsDecision = e.map { asking.contains($0.id) } ?? false
            return card
        }
    }

    /// The executions screen's rows, those waiting for a person's answer marked.
    public func executions(status: ExecutionStatus?) throws -> [ExecutionSummary] {
        var rows = try store.executions.summaries(status: status)
        let asking = try store.toolCalls.runsAwaitingDecision(rows.filter { $0.execution.status.isActive }.map(\.execution.id))
        for i in rows.indices where asking.contains(rows[i].execution.id) { rows[i].awaitsDecision = true }
        return rows
    }

    /// `agent:key` of the auto-run capabilities among `tasks` (a handful of distinct ones per window).
    func autoRunNames(_ tasks: [TaskItem]) throws -> [ID: String] {
        var out: [ID: String] = [:]
        for id in Set(tasks.compactMap(\.autoRunCapabilityId)) {
            guard let c = try? store.agents.capability(id), let a = try? store.agents.get(c.agentId) else { continue }
            out[id] = "\(a.slug):\(c.key)"
        }
        return out
    }

    public func detail(_ id: ID) throws -> TaskDetail {
        let t = try store.tasks.get(id)
        let deps = try store.tasks.dependencies(of: id).compactMap { try? store.tasks.get($0) }
        let dependents = try store.tasks.dependents(of: id).compactMap { try? store.tasks.get($0) }
        let execs = try store.executions.list(taskId: id, limit: 50)
        var names: [ID: String] = [:]
        for e in execs where names[e.capabilityId] == nil {
            if let c = try? store.agents.capability(e.capabilityId), let a = try? store.agents.get(c.agentId) {
                names[e.capabilityId] = "\(a.slug):\(c.key)"
            }
        }
        names.merge(try autoRunNames([t])) { a, _ in a }  // the edit form shows the auto-run by name
        var d = TaskDetail(task: t, dependencies: deps, dependents: dependents, subtasks: try store.tasks.subtasks(of: id),
                           events: try store.tasks.events(taskId: id), executions: execs, capabilityNames: names)
        d.cost = try store.sessions.taskCosts([id])[id] ?? TaskCost()
        return d
    }

    /// What can run on a task: the assignee's enabled capabilities first, then every other active agent's.
    public func runChoices(_ taskId: ID) throws -> [RunPicker.Option] {
        let task = try store.tasks.get(taskId)
        let agents = try store.agents.list(activeOnly: true)
        let caps = Dictionary(grouping: try store.agents.capabilities().filter(\.isEnabled), by: \.agentId)
        let ordered = agents.filter { $0.id == task.assigneeId } + agents.filter { $0.id != task.assigneeId }
        return ordered.flatMap { a in (caps[a.id] ?? []).map { RunPicker.Option(agentSlug: a.slug, capability: $0) } }
    }

    /// Every pending confirmation and every run waiting for approval, oldest first.
    public func inbox() throws -> [InboxItem] { try store.inbox.list() }

    /// The run and task of each confirmation's session, for its notification (by tool-call id). Best effort:
    /// a session that cannot be read leaves the notification without them.
    public func inboxLinks(_ items: [InboxItem]) -> [ID: InboxLink] {
        var out: [ID: InboxLink] = [:]
        for case .toolCall(let t, _, _) in items {
            guard let session = try? store.sessions.get(t.sessionId) else { continue }
            let task = session.taskId ?? session.executionId.flatMap { try? store.executions.get($0).taskId }
            out[t.id] = InboxLink(executionId: session.executionId, taskId: task)
        }
        return out
    }

    /// Newest runs looked at each time, so one that starts and ends between two looks is still seen.
    static let newestRuns = 20

    /// What notifications compare: every run not yet over (queued, running, cancelling), the newest runs, and
    /// the watched runs that are none of those (they ended, or are gone). A few small indexed queries.
    public func runWatch(_ watching: [ID]) throws -> RunWatch {
        var byId: [ID: ExecutionSummary] = [:]
        for status in [ExecutionStatus.queued, .running, .cancelling] {
            for r in try store.executions.summaries(status: status) { byId[r.execution.id] = r }
        }
        for r in try store.executions.summaries(limit: Self.newestRuns) { byId[r.execution.id] = r }
        var gone: [ID] = []
        for id in watching where byId[id] == nil {
            if let r = try store.executions.summary(id) { byId[id] = r } else { gone.append(id) }
        }
        return RunWatch(runs: byId.values.sorted { $0.execution.id < $1.execution.id }, gone: gone)
    }

    /// The newest sessions matching `filter`, with their agent, task and message count, and how many match.
    public func sessions(filter: String = "") throws -> SessionList {
        let (rows, total) = try store.sessions.search(filter, limit: SessionsModel.limit)
        return SessionList(rows: rows, total: total, filter: filter)
    }

    public func agents() throws -> [AgentRow] {
        let caps = Dictionary(grouping: try store.agents.capabilities(), by: \.agentId)
        let running = try store.agents.runningCounts()
        return try store.agents.list().map { AgentRow(agent: $0, capabilities: caps[$0.id] ?? [], running: running[$0.id] ?? 0) }
    }

    // MARK: transcripts

    public func transcriptHeader(_ id: ID) throws -> TranscriptHeader {
        let session = try store.sessions.get(id)
        let agent = try? store.agents.get(session.agentId)
        return TranscriptHeader(session: session, agentSlug: agent?.slug ?? "?", taskTitle: session.taskId.flatMap { try? store.tasks.get($0).title },
                                pendingConfirmation: try store.toolCalls.pendingConfirmation(sessionId: id),
                                messageCount: try store.messages.count(sessionId: id))
    }

    /// A window of the transcript where `anchor` says; a seek that finds nothing leaves the window as it was
    /// asked around `from`.
    public func transcript(_ id: ID, anchor: TranscriptAnchor) throws -> TranscriptLoad {
        var load = try window(id, anchor: anchor)
        load.page.items = load.page.items.map(Self.prettyInputs)
        return load
    }

    /// Tool inputs stored as one line of JSON are shown pretty-printed; done here, off the UI thread, once per window.
    static func prettyInputs(_ item: TranscriptItem) -> TranscriptItem {
        guard var call = item.toolCall, call.input.utf8.count < 65_536, !call.input.contains("\n"),
              call.input.hasPrefix("{") || call.input.hasPrefix("["), let v = JSONValue.parse(call.input) else { return item }
        var out = item
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? enc.encode(v) else { return item }
        call.input = String(decoding: data, as: UTF8.self)
        out.toolCall = call
        return out
    }

    private func window(_ id: ID, anchor: TranscriptAnchor) throws -> TranscriptLoad {
        let m = store.messages, before = TranscriptModel.windowBefore, after = TranscriptModel.windowAfter
        let header = try transcriptHeader(id)
        switch anchor {
        case .start:
            return TranscriptLoad(header: header, page: try m.transcript(sessionId: id, limit: before + after), anchor: anchor, focusSeq: nil)
        case .end:
            return TranscriptLoad(header: header, page: try m.transcriptEnd(sessionId: id, limit: before + after), anchor: anchor, focusSeq: nil)
        case .around(let seq):
            return TranscriptLoad(header: header, page: try m.transcript(sessionId: id, around: seq, before: before, after: after),
                                  anchor: anchor, focusSeq: nil)
        case .seek(let what, let from, let forward):
            let hit = try m.seek(sessionId: id, what, from: from, forward: forward)
            return TranscriptLoad(header: header, page: try m.transcript(sessionId: id, around: hit ?? from, before: before, after: after),
                                  anchor: anchor, focusSeq: hit)
        }
    }

    public func subTranscript(_ id: ID) throws -> SubTranscript {
        var page = try store.messages.transcript(sessionId: id, limit: TranscriptModel.subInline)
        page.items = page.items.map(Self.prettyInputs)
        let total = try store.messages.count(sessionId: id)
        let shown = page.items.reduce(0) { $0 + 1 + $1.results.count }
        return SubTranscript(items: page.items, more: page.hasAfter ? max(1, total - shown) : 0)
    }
}
