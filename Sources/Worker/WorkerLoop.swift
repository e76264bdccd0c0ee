import Foundation
import Core
import Storage
import SystemSupport

/// The worker: claims queued executions up to `concurrency` at once and runs each on its own thread
/// (ExecutionRunner), heartbeats its row and its runs, and reaps the runs of workers that stopped
/// heartbeating. `requestStop` (a signal) stops claiming and ends every run before `run` returns.
public final class WorkerLoop: @unchecked Sendable {
    public struct Summary: Sendable, Equatable {
        public var claimed = 0
        public var byStatus: [ExecutionStatus: Int] = [:]
        /// Runs that were no longer ours when they ended (reaped meanwhile).
        public var lost = 0
        /// Stale runs of other workers this one reaped.
        public var reaped = 0
        public var line: String {
            let ended = ExecutionStatus.allCases.compactMap { s in byStatus[s].map { "\($0) \(s.rawValue)" } }
            return "ran \(claimed) execution\(claimed == 1 ? "" : "s")" + (ended.isEmpty ? "" : " (" + ended.joined(separator: ", ") + ")")
                + (reaped > 0 ? "; reaped \(reaped) stale" : "") + (lost > 0 ? "; \(lost) lost to reaping" : "")
        }
    }

    public let options: WorkerOptions
    private let store: Store
    private let pool: ConnectionPool
    private let wake: WakePipe
    private let stopFlag = Locked(false)
    private let inFlight = Locked<Set<ID>>([])
    /// Runs this worker learned were reaped while it could not reach the database: their runners stop.
    private let abandoned = Locked<Set<ID>>([])
    private let summary = Locked(Summary())
    private let outage = Outage()

    /// Validates the options, creates the log directory and opens (and migrates) the database.
    public init(options: WorkerOptions) throws {
        try options.validate()
        try LogSink.prepareDirectory(options.logDirectory)
        self.options = options
        store = try Store.open(options.connection)
        pool = ConnectionPool(connection: options.connection)
        wake = WakePipe()
        if let failure = wake.failure { throw WorkerError("cannot create a pipe: \(failure.reason)") }
    }

    /// Thread-safe; called from a signal handler's queue. Runs end as `failed` ("worker stopped") or
    /// `cancelled` if someone was cancelling them.
    public func requestStop() {
        stopFlag.with { $0 = true }
        wake.wake()
    }

    public var isStopping: Bool { stopFlag.get }

    /// Runs until stopped, or with `once` until nothing is claimable and nothing runs.
    @discardableResult
    public func run() throws -> Summary {
        defer { pool.closeAll(); store.close() }
        let reapInterval = max(0.5, min(options.heartbeatInterval, options.staleAfter / 4))
        var nextHeartbeat = 0.0, nextReap = 0.0
        var fatal: Error?
        while !stopFlag.get {
            let now = Monotonic.now()
            // While the database is away, heartbeats are tried at every turn, so they resume as soon as it is back.
            if now >= nextHeartbeat || outage.isOn { if heartbeat() { nextHeartbeat = now + options.heartbeatInterval } }
            if outage.isOn { wake.wait(timeout: 0.25); continue }
            if now >= nextReap { reap(); nextReap = now + reapInterval }
            var drained = false
            while inFlight.get.count < options.concurrency, !stopFlag.get {
                do {
                    guard let e = try store.executions.claim(workerId: options.workerId) else { drained = true; break }
                    start(e)
                } catch {
                    if error.isUnavailable, !options.once { noteOutage(error); break }
                    report("cannot claim: \(error)")
                    if options.once { fatal = error; stopFlag.with { $0 = true } }
                    break
                }
            }
            if options.once, drained, inFlight.get.isEmpty { break }
            wake.wait(timeout: min(options.pollInterval, nextHeartbeat - Monotonic.now(), nextReap - Monotonic.now()))
        }
        // Stopping: the runners see the flag within one poll and end their process groups. Heartbeats go
        // on meanwhile, so no other worker reaps a run that is still being wound down.
        while !inFlight.get.isEmpty {
            if Monotonic.now() >= nextHeartbeat { heartbeat(); nextHeartbeat = Monotonic.now() + options.heartbeatInterval }
            wake.wait(timeout: min(0.25, max(0, nextHeartbeat - Monotonic.now())))
        }
        try? store.workers.remove(workerId: options.workerId)
        if let fatal { throw fatal }
        return summary.get
    }

    private func start(_ e: Execution) {
        inFlight.with { _ = $0.insert(e.id) }
        summary.with { $0.claimed += 1 }
        report("claimed execution \(e.id) (task \(e.taskId), attempt \(e.attempt))")
        let opts = options, pool = pool, stopFlag = stopFlag
        let t = Thread { [self] in
            defer { inFlight.with { _ = $0.remove(e.id) }; wake.wake() }
            guard let conn = pool.take(report: report) else { return }  // unrecorded: reaped later as stale
            let abandoned = abandoned
            let result = ExecutionRunner(execution: e, store: conn.store, options: opts, stopping: { stopFlag.get },
                                         abandoned: { abandoned.get.contains(e.id) }, report: report).run()
            abandoned.with { _ = $0.remove(e.id) }
            pool.put(conn)
            summary.with { s in
                if let st = result.status { s.byStatus[st, default: 0] += 1 } else { s.lost += 1 }
            }
            let retry = result.retryId.map { "; retry queued as execution \($0)" } ?? ""
            report("execution \(e.id) \(result.status?.rawValue ?? "ended, not recorded (no longer ours)")\(retry)")
        }
        t.stackSize = 1 << 20
        t.start()
    }

    /// Heartbeats the worker and its runs; false when the database could not be reached.
    @discardableResult
    private func heartbeat() -> Bool {
        let ids = Array(inFlight.get)
        do {
            try store.workers.heartbeat(workerId: options.workerId, host: options.host, pid: Int(getpid()),
                                        currentExecutions: ids.count)
            try store.executions.heartbeat(workerId: options.workerId, executionIds: ids)
        } catch {
            if error.isUnavailable { noteOutage(error) } else { report("cannot heartbeat: \(error)") }
            return false
        }
        if let lasted = outage.end() { backFromOutage(lasted: lasted) }
        return true
    }

    private func noteOutage(_ error: Error) {
        if outage.begin() { report("database unreachable: \(error); runs go on, their logs wait in memory") }
    }

    /// Back from an outage: which runs are still ours? A run reaped meanwhile (the outage outlasted the
    /// stale-after time) is abandoned: its process group is stopped and nothing is recorded over the reaper's.
    private func backFromOutage(lasted: Double) {
        report("database reachable again after \(String(format: "%.1f", lasted)) s")
        let ids = Array(inFlight.get)
        guard let owned = try? store.executions.stillOwned(workerId: options.workerId, ids: ids) else { return }
        let lost = Set(ids).subtracting(owned)
        for id in lost.sorted() { report("execution \(id) was reaped while the database was unreachable; abandoning it") }
        if !lost.isEmpty { abandoned.with { $0.formUnion(lost) } }
    }

    private func reap() {
        do {
            let host = options.host
            let reaped = try store.executions.reapStale(staleAfter: options.staleAfter, exceptWorker: options.workerId) { e, runHost in
                // The dead worker ran here: end what is left of its run before the retry can start.
                if runHost == host, let pid = e.pid { ProcessGroup.killStale(pid: pid_t(pid)) }
                // A tmux-hosted run is not under a supervisor: its session outlives a worker that died.
                if runHost == host, let name = e.tmuxSessionName { try? TmuxServer.forWorker(environment: options.environment).killSession(name) }
            }
            for r in reaped {
                report("reaped execution \(r.reaped.id) of worker \(r.reaped.workerId ?? "?")"
                       + (r.retry.map { "; retry queued as execution \($0.id)" } ?? ""))
            }
            if !reaped.isEmpty { summary.with { $0.reaped += reaped.count } }
        } catch {
            if error.isUnavailable { noteOutage(error) } else { report("cannot reap stale runs: \(error)") }
        }
    }

    private func report(_ line: String) { options.log?("worker \(options.workerId): \(line)") }
}

/// One connection per runner thread at a time (a connection is used by one thread only), kept for reuse.
final class ConnectionPool: @unchecked Sendable {
    final class Connection: @unchecked Sendable {
        let store: Store
        init(_ store: Store) { self.store = store }
    }

    private let connection: String
    private let idle = Locked<[Connection]>([])
    private let all = Locked<[Connection]>([])

    init(connection: String) { self.connection = connection }

    func take(report: (String) -> Void) -> Connection? {
        if let c = idle.with({ $0.popLast() }) { return c }
        for attempt in 0..<5 {
            do {
                let c = Connection(try Store.open(connection, migrate: false))  // the main connection migrated
                all.with { $0.append(c) }
                return c
            } catch {
                if attempt == 4 { report("cannot open a connection for a run: \(error)") }
                usleep(UInt32(200_000 * (attempt + 1)))
            }
        }
        return nil
    }

    func put(_ c: Connection) { idle.with { $0.append(c) } }

    func closeAll() {
        for c in all.with({ a -> [Connection] in defer { a.removeAll() }; return a }) { c.store.close() }
        idle.with { $0.removeAll() }
    }
}
