import Foundation
import ArgumentParser
import Core
import Storage
import Worker

/// `agentmon worker`: runs queued executions until stopped (SIGINT/SIGTERM end its runs, then it exits 0);
/// `agentmon worker list` shows the workers' heartbeats.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued executions as child processes (claims, logs, heartbeats, timeouts, retries, reaping).",
        subcommands: [List.self])
    @OptionGroup var global: GlobalOptions
    @Option(help: "Worker id (default: HOST-PID).") var id: String?
    @Option(help: "Executions run at once by this worker.") var concurrency: Int = 4
    @Flag(help: "Run what is claimable now, to completion, then exit.") var once = false
    @Option(help: "Milliseconds between looks at the queue when idle.") var pollInterval: Int = 1000
    @Option(help: "Seconds between heartbeats.") var heartbeat: Double = 30
    @Option(help: "Seconds without a heartbeat after which another worker's run is reaped.") var staleAfter: Double = 120
    @Option(help: "Folder of the log files (default: $XDG_DATA_HOME/agentmon/logs).") var logDir: String?
    @Option(help: "Seconds between SIGTERM and SIGKILL when a run is stopped.") var killGrace: Double = 3
    @Flag(help: "No activity lines on stderr.") var quiet = false

    func run() throws {
        if concurrency < 1 { throw CLIError("--concurrency must be at least 1") }
        if pollInterval < 1 { throw CLIError("--poll-interval must be at least 1 ms") }
        if !(heartbeat > 0) { throw CLIError("--heartbeat must be positive") }
        if !(staleAfter > 0) { throw CLIError("--stale-after must be positive") }
        if !(killGrace >= 0) { throw CLIError("--kill-grace must be 0 or more") }
        if let id, id.isEmpty || id.contains(where: \.isNewline) { throw CLIError("--id must be a non-empty line") }
        let quiet = quiet
        var log: (@Sendable (String) -> Void)?
        if !quiet { log = { line in WorkerCommand.stderr(line) } }
        let options = try WorkerOptions(
            connection: global.connection, workerId: id, concurrency: concurrency, once: once,
            pollInterval: Double(pollInterval) / 1000, heartbeatInterval: heartbeat, staleAfter: staleAfter,
            logDirectory: logDir, killGrace: killGrace, log: log)
        let worker: WorkerLoop
        do { worker = try WorkerLoop(options: options) } catch let e as WorkerError { throw CLIError(e.description) }
        let signals = StopSignals { sig in
            let name = sig == SIGINT ? "SIGINT" : sig == SIGHUP ? "SIGHUP" : "SIGTERM"
            if !quiet { WorkerCommand.stderr("worker \(options.workerId): \(name); stopping its runs") }
            worker.requestStop()
        }
        defer { signals.cancel() }
        if !quiet {
            WorkerCommand.stderr("worker \(options.workerId) started (concurrency \(concurrency), logs in \(options.logDirectory))")
        }
        let summary = try worker.run()
        Console.line("worker \(options.workerId): \(summary.line)")
    }

    static func stderr(_ line: String) {
        Console.error(line)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List workers with their last heartbeat.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let workers = try store.workers.list()
            if json {
                JSONOutput.print(.array(workers.map { w in
                    .object(["worker_id": .string(w.workerId), "host": .string(w.host), "pid": JSONOutput.int(w.pid),
                             "started_at": JSONOutput.time(w.startedAt), "last_seen_at": JSONOutput.time(w.lastSeenAt),
                             "current_executions": JSONOutput.int(w.currentExecutions)])
                }))
                return
            }
            TextTable.print(header: ["WORKER", "HOST", "PID", "RUNNING", "LAST SEEN", "STARTED"], rows: workers.map { w in
                [w.workerId, w.host, String(w.pid), String(w.currentExecutions), SQLTime.format(w.lastSeenAt), SQLTime.format(w.startedAt)]
            })
        }
    }
}
