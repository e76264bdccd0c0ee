import Foundation
import Core
import Storage
import SystemSupport

/// Runs one claimed execution to its end on one thread with its own connection: builds the launch plan,
/// starts the program, streams its output, enforces timeout, cancel and worker stop, and records the end
/// with `finish` (fenced by worker and attempt). The process group is gone before the end is recorded.
final class ExecutionRunner {
    enum StopReason: Equatable {
        case timeout(Int), cancelled, workerStopped
        /// The run is no longer ours (reaped as stale, or ended by someone else): stop, record nothing.
        case lostClaim(ExecutionStatus)

        var isLost: Bool { if case .lostClaim = self { return true }; return false }
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
    /// Set by the worker when, back from an outage, it learns that this run was reaped meanwhile.
    private let abandoned: @Sendable () -> Bool
    private let report: (String) -> Void

    init(execution: Execution, store: Store, options: WorkerOptions, stopping: @escaping @Sendable () -> Bool,
         abandoned: @escaping @Sendable () -> Bool = { false }, report: @escaping (String) -> Void) {
        self.execution = execution; self.store = store; self.options = options
        self.stopping = stopping; self.abandoned = abandoned; self.report = report
    }

    /// Files made for this run only (its MCP configuration), removed when it ends.
    private var runFiles: [String] = []

    func run() -> Result {
        defer { for f in runFiles { unlink(f) } }
        let e = execution
        let sink: LogSink
        do {
            try LogSink.prepareDirectory(options.logDirectory)
            let repo = store.executions, worker = options.workerId
            sink = try LogSink(directory: options.logDirectory, executionId: e.id, maxBytes: try capability().maxOutputBytes,
                               flushInterval: options.logFlushInterval, flushBytes: options.logFlushBytes,
                               appendToDatabase: { try repo.appendLog(e.id, $0, workerId: worker, attempt: e.attempt) },
                               fileFailed: { _ = try? repo.markLogFileIncomplete(e.id, workerId: worker, attempt: e.attempt, error: $0) },
                               report: report, resumeFrom: e.logByteSize)
            try store.executions.setProcess(e.id, workerId: options.workerId, pid: nil, logFilePath: sink.path)
        } catch {
            return record(.failed, exitCode: nil, error: "cannot start: \(error)")
        }

        let child: RunningProgram, timeoutSec: Int
        do {
            let cap = try capability()
            let agent = try store.agents.get(e.agentId)
            let proto = AgentProtocol.of(agent)
            let task = try store.tasks.get(e.taskId)
            var plan = try LaunchPlan.make(execution: e, agent: agent, capability: cap,
                                           task: task, workerEnvironment: options.environment,
                                           cwd: FileManager.default.currentDirectoryPath, promptInArgv: proto.promptInArgv(agent))
                .isolated(execution: e, task: task, capability: cap, store: store, options: options)
            if agent.mcpEnabled {
                runFiles = try MCPLaunchConfig.apply(to: &plan, agent: agent, executionId: e.id, connection: options.connection,
                                                     agentmon: options.agentmonBinary, runDirectory: options.logDirectory)
            }
            timeoutSec = cap.timeoutSec
            let log = options.log, worker = options.workerId
            let logLine: @Sendable (String) -> Void = { line in log?("worker \(worker): \(line)") }
            _ = AgentInput.ignoreBrokenPipes
            if proto == .tmux {
                // Hosted in a tmux session on agentmon's socket (Worker/Tmux), recorded so people can attach.
                let server = try TmuxServer.forWorker(environment: options.environment)
                let hosted = try TmuxHostedProgram.start(plan, executionId: e.id, attempt: e.attempt, server: server,
                                                         logDirectory: options.logDirectory)
                child = hosted
                try store.executions.setTmuxSession(e.id, workerId: options.workerId, attempt: e.attempt, name: hosted.session)
                conversation = TmuxConversation(server: server, session: hosted.session)
            } else {
                let spawned = try ChildProcess.spawn(plan, withInput: proto.takesInput(agent))
                child = spawned
                conversation = proto.start(ConversationContext(connection: options.connection, execution: e, agent: agent,
                                                               input: spawned.input, report: logLine))
                if conversation == nil { spawned.input?.close() }
            }
            try? store.executions.setProcess(e.id, workerId: options.workerId, pid: Int(child.pid), logFilePath: nil)
            conversation?.started()
        } catch {
            sink.note("cannot start: \(error)", now: Monotonic.now())
            sink.flush()
            return record(.failed, exitCode: nil, error: "cannot start: \(error)")
        }

        inputs = InputDelivery(store: store, executionId: e.id, conversation: { [unowned self] in conversation }, report: report)
        var (termination, reason) = supervise(child, sink: sink, timeoutSec: timeoutSec)
        conversation?.ended()  // the transcript's usage is on the execution before its end is recorded
        inputs?.close(reason: "run #\(e.id) ended before it was delivered")
        // Every byte reaches the database before the end is recorded, however long an outage lasts.
        if reason == nil || !(reason!.isLost), !deliverLog(sink) { reason = .lostClaim(.failed) }
        if let fileError = sink.fileError, !(reason?.isLost ?? false) {
            // The file was cut: readers must take the chunks. The run's own status stays what it is.
            if persist("mark its log incomplete", { try store.executions.markLogFileIncomplete(
                e.id, workerId: options.workerId, attempt: e.attempt, error: fileError) }) == false { reason = .lostClaim(.failed) }
        }
        logError = sink.fileError
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
            let (status, code, error): (ExecutionStatus, Int?, String?) = switch termination {
            // A protocol may know better than the exit code (a failed turn, then a clean exit).
            case .exited(0): conversation?.verdict.flatMap { $0.status != .succeeded ? ($0.status, 0, $0.reason) : nil } ?? (.succeeded, 0, nil)
            case .exited(let c): (.failed, Int(c), "exited with code \(c)")
            case .signaled(let sig): (.failed, nil, "killed by signal \(sig) (\(Self.signalName(sig)))")
            }
            if status != .succeeded, let requeued = requeueAfterLimit(sink: sink) { return requeued }
            return record(status, exitCode: code, error: error)
        }
    }

    /// What the output said about a provider's rate limit.
    private let limits = RateLimitWatch()

    /// A run that failed on a provider's rate limit goes back to the queue until the reset (not a failed
    /// attempt); nil when it did not, or when the requeue was refused (then its end is recorded as usual).
    private func requeueAfterLimit(sink: LogSink) -> Result? {
        guard let limit = limits.signal.limit, let until = limits.signal.resumeAt(now: Date()) else { return nil }
        let e = execution
        sink.note("rate limit: \(limit.reason); requeued to start after \(SQLTime.format(until))", now: Monotonic.now())
        sink.flush()
        let done = persist("requeue it after the rate limit") {
            try store.executions.requeueAfterLimit(e.id, workerId: options.workerId, attempt: e.attempt, until: until,
                                                   provider: limit.provider, reason: limit.reason)
        }
        guard done == true else { return nil }
        report("execution \(e.id): \(limit.reason); requeued to start after \(SQLTime.format(until))")
        return Result(executionId: e.id, status: .queued, retryId: nil)
    }

    /// Why the log file is incomplete, added to the recorded error (the status stays the program's).
    private var logError: String?

    /// Sends what waits for the database, retrying through an outage; false when the database refused it
    /// (the run was reaped meanwhile).
    private func deliverLog(_ sink: LogSink) -> Bool {
        let stored = persist("store its log") { () -> Bool in
            if let error = sink.flush() { throw error }
            return !sink.refused
        }
        return stored ?? true  // not stored in time: the file has the bytes, the end is still recorded
    }

    /// Runs `op` until it succeeds. While the database is unreachable it waits (backing off to 2 s) for as
    /// long as it takes, or, once the worker is stopping, until a reaper would have taken the run anyway;
    /// other errors get five tries. nil when it gave up.
    private func persist<T>(_ what: String, _ op: () throws -> T) -> T? {
        var delay = 0.1, tries = 0, reported = false
        let start = Monotonic.now()
        while true {
            do { return try op() } catch {
                tries += 1
                let waitOut = error.isUnavailable && (!stopping() || Monotonic.now() - start < options.staleAfter)
                if !waitOut && tries >= 5 {
                    report("execution \(execution.id): cannot \(what) (\(error)); it will be reaped as stale")
                    return nil
                }
                if error.isUnavailable, !reported {
                    reported = true
                    report("execution \(execution.id): waiting for the database to \(what)")
                }
                usleep(UInt32(delay * 1_000_000))
                delay = min(delay * 2, 2)
            }
        }
    }

    /// The run's conversation with its agent, when its protocol has one (a transcript parsed as it comes).
    private var conversation: AgentConversation?
    /// Delivers what people send the run while it runs.
    private var inputs: InputDelivery?

    private var cachedCapability: Capability?
    private func capability() throws -> Capability {
        if let c = cachedCapability { return c }
        let c = try store.agents.capability(execution.capabilityId)
        cachedCapability = c
        return c
    }

    /// The read loop: output to the sink as it comes; every deadline (flush, status check, timeout, kill)
    /// bounds the poll, so none is late by more than one poll.
    private func supervise(_ child: RunningProgram, sink: LogSink, timeoutSec: Int) -> (ChildProcess.Termination, StopReason?) {
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
                else if abandoned() { reason = .lostClaim(.failed) }
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
            if reason == nil, exitedAt == nil { inputs?.poll(now: now) }
            var timeout = min(0.25, sink.flushDeadline ?? .infinity, deadline, nextStatusCheck, killAt ?? .infinity,
                              inputs?.nextDeadline ?? .infinity) - now
            if exitedAt != nil { timeout = min(timeout, 0.02) }
            var fds = [pollfd(fd: child.outputFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inputs?.wakeFD ?? -1, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, Int32(max(1, (timeout * 1000).rounded(.up))))
            now = Monotonic.now()
            _ = child.readAvailable(into: &buffer) { sink.write($0, now: now); conversation?.received($0); limits.received($0) }
            sink.flushIfDue(now: now)
        }
    }

    /// After the group is killed, what is left in the pipe; bounded, since a process that left the group
    /// (setsid) may still hold the write end.
    private func drain(_ child: RunningProgram, sink: LogSink, buffer: inout [UInt8]) {
        let until = Monotonic.now() + 0.5
        while child.outputFD >= 0, Monotonic.now() < until {
            var p = pollfd(fd: child.outputFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 50)
            _ = child.readAvailable(into: &buffer) { sink.write($0, now: Monotonic.now()); conversation?.received($0); limits.received($0) }
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

    /// `finish`, retried through an outage: the end of a run must not be lost to the database being away.
    /// A log that could not be written in full adds its reason to the error; the status is the program's.
    private func record(_ outcome: ExecutionStatus, exitCode: Int?, error: String?) -> Result {
        let o: ExecutionRepository.Outcome = switch outcome {
        case .succeeded: .succeeded
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        default: .failed
        }
        let message = [error, logError].compactMap { $0 }.joined(separator: "; ")
        guard let fin = persist("record its end", {
            try store.executions.finish(execution.id, workerId: options.workerId, attempt: execution.attempt,
                                        outcome: o, exitCode: exitCode, error: message.isEmpty ? nil : message)
        }) else { return Result(executionId: execution.id, status: nil, retryId: nil) }
        if fin == nil { report("execution \(execution.id): its end was refused (reaped meanwhile); the reaper's result stands") }
        return Result(executionId: execution.id, status: fin?.status, retryId: fin?.retry?.id)
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
