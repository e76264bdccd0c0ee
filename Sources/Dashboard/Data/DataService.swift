import Foundation
import Core
import Storage
import Discovery
import LogTail

/// Runs effects on its own thread with its own connection, so the UI never waits for the database.
/// Between effects it checks the database's change token every `pollInterval`: a change made by another
/// process (the CLI, a worker, another dashboard) becomes a `.dataChanged` message.
public final class DataService: @unchecked Sendable {
    private let connection: String
    private let mailbox: Mailbox
    private let pollInterval: TimeInterval
    private let condition = NSCondition()
    private var queue: [Effect] = []
    private var stopped = false
    private var thread: Thread?
    /// Test hook: wraps the database (a slow one, say).
    private let wrap: @Sendable (Database) -> Database
    /// Pages of a followed log go out at most this often (a tail feels live at 20 frames a second).
    static let logInterval = 0.05
    /// Longest a search indexes what imports left before it answers (the rest waits for the sync thread).
    static let searchIndexingSeconds = 0.3
    /// When the last log page went out (data thread only).
    private var logPostedAt = 0.0
    /// The log being watched (data thread only), and its follower for waking the thread from `submit`.
    private var log: (reader: LogReader, anchor: LogAnchor, rows: Int)?
    private let follower = Locked<LogFollower?>(nil)

    public init(connection: String, mailbox: Mailbox, pollIntervalMs: Int = 250,
                wrap: @escaping @Sendable (Database) -> Database = { $0 }) {
        self.connection = connection; self.mailbox = mailbox; self.pollInterval = Double(pollIntervalMs) / 1000; self.wrap = wrap
    }

    public func start() {
        let t = Thread { [self] in run() }
        t.name = "agentmon-data"
        thread = t
        t.start()
    }

    public func submit(_ effects: [Effect]) {
        let work = effects.filter { $0 != .quit }
        guard !work.isEmpty else { return }
        condition.lock(); queue += work; condition.signal(); condition.unlock()
        follower.get?.wake()
    }

    private let finished = DispatchSemaphore(value: 0)

    /// Stops the thread after it has written everything still queued: a card moved just before quitting
    /// is moved. Waits for that.
    public func stop() {
        condition.lock()
        let wasRunning = thread != nil && !stopped
        stopped = true; condition.signal(); condition.unlock()
        follower.get?.wake()
        if wasRunning { finished.wait() }
    }

    private func run() {
        defer { finished.signal() }
        guard let store = openStore() else { return }
        defer { store.close() }
        var token = (try? store.db.changeToken()) ?? 0
        while true {
            // Watching a log file: sleep in its follower (inotify), which `submit` also wakes.
            if let f = follower.get {
                condition.lock()
                let idle = queue.isEmpty && !stopped
                // A log written line by line wakes the follower a thousand times a second: a page went out less
                // than `logInterval` ago, so the next one waits (effects still wake this wait at once).
                let rest = logPostedAt + Self.logInterval - ProcessInfo.processInfo.systemUptime
                if idle && rest > 0 { _ = condition.wait(until: Date().addingTimeInterval(rest)) }
                condition.unlock()
                if idle && rest <= 0 { _ = f.wait(timeoutMs: Int(pollInterval * 1000)) }
                condition.lock()
            } else {
                condition.lock()
                if queue.isEmpty && !stopped { _ = condition.wait(until: Date().addingTimeInterval(pollInterval)) }
            }
            let batch = queue
            queue.removeAll()
            let last = stopped
            condition.unlock()
            if last {
                let writes = held + batch.filter(\.isWrite)
                held.removeAll()
                for effect in writes { perform(effect, store) }
                // Still unreachable at quit: what could not be written is said once the terminal is back.
                unwrittenAtStop.with { $0 = held.map(Self.describe) }
                return
            }

            for effect in Self.coalesce(batch) { perform(effect, store) }
            if let l = log, l.reader.refresh(), l.anchor == .tail { postLog(store, search: nil) }
            // Any change since the last look, even one that landed while this batch's loads ran (they may
            // have read before it), is reported: the reload that follows is cheap, a missed change is not.
            do {
                let now = try store.db.changeToken()
                if outage != nil { recovered(store) }
                if now != token {
                    token = now
                    mailbox.post(.dataChanged)
                }
                pollError = nil
            } catch {
                if error.isUnavailable { unreachable(error) } else if "\(error)" != pollError {
                    pollError = "\(error)"  // said once, not at every poll
                    mailbox.post(.loadFailed("cannot look for changes: \(error)"))
                }
            }
        }
    }

    // MARK: outages

    /// Why the database is unreachable, while it is; the status bar says so until it clears.
    private var outage: String?
    /// The user's changes made while the database was away, written in order when it is back.
    private var held: [Effect] = []
    private var pollError: String?
    private let unwrittenAtStop = Locked<[String]>([])
    /// After `stop`: the user's changes the database never took (it was unreachable until the end).
    public var unwritten: [String] { unwrittenAtStop.get }

    /// The data thread's connection. A server that is down when the dashboard starts is waited for, with
    /// the status bar saying so, rather than leaving a dashboard that never loads.
    private func openStore() -> Store? {
        var delay = 0.25
        while true {
            do { return Store(db: wrap(try Store.open(connection).db)) } catch {
                guard case StorageError.cannotOpen = error, case .postgres = ConnectionString.target(for: connection) else {
                    mailbox.post(.loadFailed("\(error)"))
                    return nil
                }
                mailbox.post(.databaseUnreachable("\(error)", waitingWrites: 0))
                condition.lock()
                if !stopped { _ = condition.wait(until: Date().addingTimeInterval(delay)) }
                let stop = stopped
                condition.unlock()
                if stop { return nil }
                delay = min(delay * 2, 2)
            }
        }
    }

    private func unreachable(_ error: Error) {
        outage = "\(error)"
        mailbox.post(.databaseUnreachable(outage!, waitingWrites: held.count))
    }

    /// Back: the held changes are written in order, then every screen reloads what it missed.
    private func recovered(_ store: Store) {
        outage = nil
        let writes = held
        held.removeAll()
        for effect in writes { perform(effect, store) }
        if outage == nil { mailbox.post(.databaseReachable) }
    }

    /// Loads asked for several times in one batch run once (the last board request wins, anchors merged).
    static func coalesce(_ effects: [Effect]) -> [Effect] {
        var out: [Effect] = []
        var board: (anchors: [TaskStatus: WindowAnchor], filter: String)?
        var agents = false
        var sessionsWanted: String?
        var inboxWanted = false
        var usageWanted = false
        var details: [ID] = []
        var executions: ExecutionStatus??
        var logLoad: Effect?
        var watched: Set<ID>?
        for e in effects {
            switch e {
            case .loadBoard(let anchors, let filter):
                if let b = board, b.filter == filter { board = (b.anchors.merging(anchors) { $1 }, filter) } else { board = (anchors, filter) }
            case .loadAgents: agents = true
            case .loadSessions(let filter): sessionsWanted = filter  // typing: only the latest filter matters
            case .loadInbox: inboxWanted = true
            case .loadUsage: usageWanted = true
            case .watchRuns(let ids): watched = (watched ?? []).union(ids)
            case .loadDetail(let id): if !details.contains(id) { details.append(id) }
            case .loadExecutions(let status): executions = .some(status)
            case .loadLog(_, _, _, let search) where search == nil: logLoad = e  // scrolling: only the latest position matters
            default: out.append(e)  // writes keep their order
            }
        }
        if let board { out.append(.loadBoard(anchors: board.anchors, filter: board.filter)) }
        if agents { out.append(.loadAgents) }
        if let sessionsWanted { out.append(.loadSessions(filter: sessionsWanted)) }
        if inboxWanted { out.append(.loadInbox) }
        if usageWanted { out.append(.loadUsage) }
        if let watched { out.append(.watchRuns(watched.sorted())) }
        out += details.map { .loadDetail($0) }
        if let executions { out.append(.loadExecutions(status: executions)) }
        if let logLoad { out.append(logLoad) }
        return out
    }

    private func perform(_ effect: Effect, _ store: Store) {
        let loader = BoardLoader(store: store)
        do {
            switch effect {
            case .loadBoard(let anchors, let filter):
                mailbox.post(.boardLoaded(try loader.load(anchors: anchors, filter: filter)))
            case .loadAgents:
                mailbox.post(.agentsLoaded(try loader.agents()))
            case .loadAgentRemoval(let id):
                let a = try store.agents.get(id), d = try store.agents.removalCounts(of: id)
                mailbox.post(.agentRemovalLoaded(AgentRemoval(agentId: id, slug: a.slug, executions: d.executions, running: d.running,
                                                              sessions: d.sessions, capabilities: d.capabilities, rules: d.rules,
                                                              assignedTasks: d.assignedTasks)))
            case .loadDetail(let id):
                mailbox.post(.detailLoaded(try loader.detail(id)))
            case .loadExecutions(let status):
                mailbox.post(.executionsLoaded(try loader.executions(status: status), filter: status))
            case .loadLog(let id, let anchor, let rows, let search):
                if log?.reader.executionId != id {
                    log = (try LogReader(execution: try store.executions.get(id), connection: connection), anchor, rows)
                    follower.with { $0 = log?.reader.follower }
                }
                log?.anchor = anchor; log?.rows = rows
                postLog(store, search: search)
            case .loadSessions(let filter):
                mailbox.post(.sessionsLoaded(try loader.sessions(filter: filter)))
            case .loadUsage:
                mailbox.post(.usageLoaded(try loader.usage(now: Date())))
            case .loadInbox:
                let items = try loader.inbox()
                mailbox.post(.inboxLoaded(items, links: loader.inboxLinks(items)))
                mailbox.post(.inboxHistoryLoaded(try store.inbox.history(limit: 5)))
            case .watchRuns(let ids):
                mailbox.post(.runsWatched(try loader.runWatch(ids)))
            case .discover:
                // Runs programs (2 s each at most): on this thread, never the UI's.
                let found = Discovery.scan(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
                let slugs = Set(try store.agents.list().map(\.slug))
                mailbox.post(.discovered(found.map {
                    DiscoveredAgent(name: $0.known.name, path: $0.path, version: $0.version, skipped: $0.skipped,
                                    preset: $0.known.preset, registered: slugs.contains($0.known.name))
                }))
            case .bell, .notify:
                return  // the app's own (it performs them); never a write
            case .searchAll(let text, let limit):
                do {
                    // Indexing what imports left waits a moment at most: this thread serves every screen.
                    let found = try store.search.search(SearchQuery(text), limit: limit, indexingFor: Self.searchIndexingSeconds)
                    mailbox.post(.searchLoaded(query: text, .success(found.hits), complete: found.complete))
                } catch let e as SearchQuery.Invalid {
                    mailbox.post(.searchLoaded(query: text, .failure(SearchFailure(e.description))))
                }
            case .loadTranscript(let id, let anchor):
                mailbox.post(.transcriptLoaded(try loader.transcript(id, anchor: anchor)))
            case .loadSubTranscript(let id):
                mailbox.post(.subTranscriptLoaded(id, try loader.subTranscript(id)))
            case .closeLog:
                log = nil
                follower.with { $0 = nil }
            case .loadRunChoices(let taskId):
                mailbox.post(.runChoicesLoaded(taskId: taskId, try loader.runChoices(taskId)))
            case .quit:
                return
            default:
                if let loaded = try Self.manageLoad(effect, store) { mailbox.post(loaded); break }
                mailbox.post(.written(try write(effect, store)))
            }
        } catch {
            if error.isUnavailable {
                // Nothing the user wrote is lost to an outage: the change waits and is written when it is back.
                if effect.isWrite { held.append(effect) }
                unreachable(error)
                return
            }
            mailbox.post(effect.isWrite ? .writeFailed("\(error)") : .loadFailed("\(error)"))
        }
    }

    /// Who decides, recorded with each decision: the login name of the person at the dashboard.
    static let person: String = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "user"

    /// Reads the page for the current anchor (after a search moves it) and posts it.
    private func postLog(_ store: Store, search: LogSearchRequest?) {
        guard var l = log else { return }
        // One narrow row by primary key per refresh; the names of the title only when the status changes.
        guard let head = try? store.executions.logHead(l.reader.executionId) else { return }
        if l.reader.sourceName == "file", head.logFileIncomplete, let e = try? store.executions.get(l.reader.executionId),
           let reader = try? LogReader(execution: e, connection: connection) {
            // The worker could not write the whole file (a full disk): switch to the complete database copy.
            reader.notice = "the log file is incomplete (\(e.error ?? "a write failed")): reading the database copy"
            l.reader = reader
            follower.with { $0 = nil }
        }
        var hit: Int64?
        if let search {
            hit = l.reader.find(search)
            if let hit { l.anchor = .from(hit) }
        }
        let (rows, anchor) = l.reader.page(l.anchor, rows: l.rows, store: store)
        l.anchor = anchor
        log = l
        let id = l.reader.executionId
        if l.reader.names?.status != head.status {
            let names = try? store.executions.summary(id)
            l.reader.names = (head.status, names.map { "#\(id) \($0.agentSlug):\($0.capabilityKey) · \($0.taskTitle) · \(head.status.rawValue)" }
                                                ?? "#\(id) \(head.status.rawValue)")
        }
        let title = l.reader.names?.title ?? "#\(id)"
        var notice = l.reader.notice
        if search != nil && hit == nil { notice = "no match" }
        l.reader.notice = nil
        logPostedAt = ProcessInfo.processInfo.systemUptime
        mailbox.post(.logLoaded(LogPage(executionId: id, title: title, status: head.status, rows: rows, size: l.reader.file.size,
                                      totalLines: l.reader.file.totalLines, anchor: anchor, source: l.reader.sourceName,
                                      notice: notice, searchHit: hit)))
    }

    private func write(_ effect: Effect, _ store: Store) throws -> String? {
        if let done = try Self.manageWrite(effect, store) { return done }
        switch effect {
        case .moveTask(let id, let status, let position):
            try store.tasks.move(id, to: status, position: position, actor: .user)
            return nil
        case .createTask(let input):
            let assignee = try input.assigneeSlug.map { try store.agents.require(slug: $0).id }
            let auto = try Self.autoRunCapability(input.autoRun, store)
            let t = try store.db.transaction {
                let t = try store.tasks.create(NewTask(title: input.title, description: input.description, status: input.status,
                                                       priority: input.priority, assigneeId: assignee, dueAt: input.due))
                if let auto { _ = try store.tasks.update(t.id, TaskPatch(autoRunCapabilityId: auto)) }
                return t
            }
            return "created task #\(t.id)"
        case .updateTask(let id, let input):
            let assignee = try input.assigneeSlug.map { try store.agents.require(slug: $0).id }
            try store.tasks.update(id, TaskPatch(title: input.title, description: .some(input.description), priority: input.priority,
                                                 assigneeId: .some(assignee), dueAt: .some(input.due),
                                                 autoRunCapabilityId: try Self.autoRunCapability(input.autoRun, store)))
            return "saved task #\(id)"
        case .deleteTask(let id):
            try store.tasks.delete(id)
            return "deleted task #\(id)"
        case .setAgentActive(let id, let active):
            try store.agents.setActive(id, active)
            return nil
        case .removeAgent(let id, let slug):
            try store.agents.delete(id, withExecutions: true)
            return "removed agent \(slug)"
        case .deleteSession(let id):
            try store.sessions.delete(id)
            return "deleted session #\(id)"
        case .queueRun(let taskId, let capabilityId, let args):
            let e = try store.executions.queue(.init(taskId: taskId, capabilityId: capabilityId, args: args))
            return "queued execution #\(e.id)" + (e.requiresApproval ? " (waits for approval)" : "")
        case .cancelExecution(let id):
            let status = try store.executions.requestCancel(id)
            return status == .cancelled ? "cancelled execution #\(id)" : "cancelling execution #\(id)"
        case .retryExecution(let id):
            let e = try store.executions.retry(id)
            return "queued attempt \(e.attempt) as execution #\(e.id)"
        case .approveExecution(let id):
            try store.executions.approve(id, by: Self.person)
            return "approved execution #\(id)"
        case .decideToolCall(let id, let approve, let reason):
            // Through the inbox, so the decision is also queued for the run's worker to send to the agent.
            let ref = InboxRef(kind: .confirm, id: id)
            if approve { try store.inbox.approve(ref, by: Self.person) } else { try store.inbox.deny(ref, by: Self.person, reason: reason) }
            return approve ? "approved tool call #\(id)" : "denied tool call #\(id)"
        case .registerDiscovered:
            let found = Discovery.scan(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            let done = try Discovery.register(found, store: store)
            let added = done.filter { if case .registered = $0 { return true }; return false }.count
            return "registered \(added) agent\(added == 1 ? "" : "s")" + (done.count > added ? ", updated \(done.count - added)" : "")
        case .sendInput(let id, let kind, let body):
            let e = try store.executions.get(id)
            if let why = AgentInputs.refusal(agent: try store.agents.get(e.agentId), executionId: id) {
                throw StorageError.invalid(why)
            }
            try store.inputs.enqueue(executionId: id, kind: kind, body: body, sentBy: Self.person)
            return kind == .message ? "sent a message to run #\(id)" : "interrupted run #\(id)"
        case .denyExecution(let id, let reason):
            try store.executions.requestCancel(id, by: "\(Self.person) (denied: \(reason))")
            return "denied execution #\(id)"
        case .continueExecution(let id, let prompt):
            let e = try store.executions.continuation(of: id, prompt: prompt, by: Self.person)
            return "queued execution #\(e.id), continuing #\(id)" + (e.requiresApproval ? " (waits for approval)" : "")
        default:
            return nil
        }
    }
}
