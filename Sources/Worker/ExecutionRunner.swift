import Foundation
import Core
import Storage
import Importers

/// Runs one claimed execution to its end on one thread with its own connection: builds the launch plan,
/// starts the program, streams its output, enforces timeout, cancel and worker stop, and records the end
/// with `finish` (fenced by worker and attempt). The process group is gone before the end is recorded.
final class ExecutionRunner {
    enum StopReason: Equatable {
        case timeout(Int), cancelled, workerStopped
        /// The run is no longer ours (reaped as stale, or ended by someone else): stop, record nothing.
        case lostClaim(ExecutionStatus)
    }

    struct Result: Sendable, Equatable {
        let executionId: ID
        /// nil when the end was not ours to record (the claim was lost).
        let status: ExecutionStatus?
        let retryId: ID?
    }

    private let execution: Execution
    private let store: Store
    private let options: WorkerOptions
    private let stopping: @Sendable () -> Bool
    private let report: (String) -> Void

    init(execution: Execution, store: Store, options: WorkerOptions, stopping: @escaping @Sendable () -> Bool,
         report: @escaping (String) -> Void) {
        self.execution = execution; self.store = store; self.options = options
        self.stopping = stopping; self.report = report
    }

    func run() -> Result {
        let e = execution
        let sink: LogSink
        do {
            try LogSink.prepareDirectory(options.logDirectory)
            let repo = store.executions
            sink = try LogSink(directory: options.logDirectory, executionId: e.id, maxBytes: try capability().maxOutputBytes,
                               flushInterval: options.logFlushInterval, flushBytes: options.logFlushBytes,
                               appendToDatabase: { try repo.appendLog(e.id, $0) }, report: report)
            try store.executions.setProcess(e.id, workerId: options.workerId, pid: nil, logFilePath: sink.path)
        } catch {
            return record(.failed, exitCode: nil, error: "cannot start: \(error)")
        }

        let child: ChildProcess, timeoutSec: Int
        do {
            let cap = try capability()
            let agent = try store.agents.get(e.agentId)
            let plan = try LaunchPlan.make(execution: e, agent: agent, capability: cap,
                                           task: try store.tasks.get(e.taskId), workerEnvironment: options.environment,
                                           cwd: FileManager.default.currentDirectoryPath)
            timeoutSec = cap.timeoutSec
            child = try ChildProcess.spawn(plan)
            try? store.executions.setProcess(e.id, workerId: options.workerId, pid: Int(child.pid), logFilePath: nil)
            if ClaudeLiveTranscript.speaksStreamJSON(agent) {
                let log = options.log, worker = options.workerId
                live = LiveTranscriptFeed.start(connection: options.connection, execution: e, agent: agent,
                                                report: { line in log?("worker \(worker): \(line)") })
            }
        } catch {
            sink.note("cannot start: \(error)", now: Monotonic.now())
            sink.flush()
            return record(.failed, exitCode: nil, error: "cannot start: \(error)")
        }

        let (termination, reason) = supervise(child, sink: sink, timeoutSec: timeoutSec)
        sink.flush()
        live?.finish()  // the transcript's usage is on the execution before its end is recorded
        switch reason {
        case .timeout(let s)?:
            return record(.timedOut, exitCode: exitCode(termination), error: "timed out after \(s) s")
        case .cancelled?:
            return record(.cancelled, exitCode: exitCode(termination), error: "cancelled")
        case .workerStopped?:
            return record(.failed, exitCode: exitCode(termination), error: "worker stopped")
        case .lostClaim(let status)?:
            report("execution \(e.id): no longer ours (\(status.rawValue)); its process group was stopped")
            return Result(executionId: e.id, status: nil, retryId: nil)
        case nil:
            switch termination {
            case .exited(0): return record(.succeeded, exitCode: 0, error: nil)
            case .exited(let code): return record(.failed, exitCode: Int(code), error: "exited with code \(code)")
            case .signaled(let sig): return record(.failed, exitCode: nil, error: "killed by signal \(sig) (\(Self.signalName(sig)))")
            }
        }
    }

    /// The run's transcript, parsed as it comes, when its agent speaks Claude stream-json.
    private var live: LiveTranscriptFeed?

    private var cachedCapability: Capability?
    private func capability() throws -> Capability {
        if let c = cachedCapability { return c }
        let c = try store.agents.capability(execution.capabilityId)
        cachedCapability = c
        return c
    }

    /// The read loop: output to the sink as it comes; every deadline (flush, status check, timeout, kill)
    /// bounds the poll, so none is late by more than one poll.
    private func supervise(_ child: ChildProcess, sink: LogSink, timeoutSec: Int) -> (ChildProcess.Termination, StopReason?) {
        let start = Monotonic.now()
        let deadline = start + Double(timeoutSec)
        var nextStatusCheck = start + options.statusCheckInterval
        var reason: StopReason?
        var killAt: Double?
        var exitedAt: Double?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var now = Monotonic.now()
            if reason == nil {
                if now >= deadline { reason = .timeout(timeoutSec) }
                else if stopping() { reason = .workerStopped }
                else if now >= nextStatusCheck {
                    nextStatusCheck = now + options.statusCheckInterval
                    reason = checkStatus()
                }
                if reason != nil, exitedAt == nil {
                    child.signalGroup(SIGTERM)
                    killAt = now + options.killGrace
                }
            }
            if let k = killAt, now >= k { child.signalGroup(SIGKILL); killAt = nil }
            if exitedAt == nil, child.hasExited() { exitedAt = now }
            if let ended = exitedAt, child.outputFD < 0 || now - ended >= 0.2 {
                // The program ended; whatever it left in its group goes too, before it is reaped (so the
                // group id cannot have been reused), and the pipe is drained of what was written before.
                child.signalGroup(SIGKILL)
                let t = child.reap()
                drain(child, sink: sink, buffer: &buffer)
                return (t, reason)
            }
            var timeout = min(0.25, sink.flushDeadline ?? .infinity, deadline, nextStatusCheck, killAt ?? .infinity) - now
            if exitedAt != nil { timeout = min(timeout, 0.02) }
            var p = pollfd(fd: child.outputFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, Int32(max(1, (timeout * 1000).rounded(.up))))
            now = Monotonic.now()
            _ = child.readAvailable(into: &buffer) { sink.write($0, now: now); live?.feed($0) }
            sink.flushIfDue(now: now)
        }
    }

    /// After the group is killed, what is left in the pipe; bounded, since a process that left the group
    /// (setsid) may still hold the write end.
    private func drain(_ child: ChildProcess, sink: LogSink, buffer: inout [UInt8]) {
        let until = Monotonic.now() + 0.5
        while child.outputFD >= 0, Monotonic.now() < until {
            var p = pollfd(fd: child.outputFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 50)
            _ = child.readAvailable(into: &buffer) { sink.write($0, now: Monotonic.now()); live?.feed($0) }
        }
        child.closeOutput()
    }

    private func checkStatus() -> StopReason? {
        guard let status = try? store.executions.status(execution.id) else { return nil }  // a failed read: try again later
        switch status {
        case .running: return nil
        case .cancelling: return .cancelled
        default: return .lostClaim(status)
        }
    }

    private func exitCode(_ t: ChildProcess.Termination) -> Int? {
        if case .exited(let c) = t { return Int(c) }
        return nil
    }

    /// `finish`, retried a few times: the end of a run must not be lost to a passing database error.
    private func record(_ outcome: ExecutionStatus, exitCode: Int?, error: String?) -> Result {
        let o: ExecutionRepository.Outcome = switch outcome {
        case .succeeded: .succeeded
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        default: .failed
        }
        var lastError: Error?
        for attempt in 0..<5 {
            do {
                let fin = try store.executions.finish(execution.id, workerId: options.workerId, attempt: execution.attempt,
                                                      outcome: o, exitCode: exitCode, error: error)
                return Result(executionId: execution.id, status: fin?.status, retryId: fin?.retry?.id)
            } catch {
                lastError = error
                usleep(UInt32(100_000 * (attempt + 1)))
            }
        }
        report("execution \(execution.id): cannot record its end (\(lastError.map { "\($0)" } ?? "?")); it will be reaped as stale")
        return Result(executionId: execution.id, status: nil, retryId: nil)
    }

    static func signalName(_ sig: Int32) -> String {
        switch sig {
        case SIGKILL: "SIGKILL"
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGPIPE: "SIGPIPE"
        case SIGHUP: "SIGHUP"
        default: "signal \(sig)"
        }
    }
}
