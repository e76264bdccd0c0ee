import Foundation
import Core
import Storage
@testable import Worker

/// Builders so each test reads as the behaviour it checks.
extension Store {
    /// An agent running `binary` with a template capability of `tokens`; returns the capability.
    @discardableResult
    func program(_ slug: String, _ binary: String, _ tokens: [String], maxConcurrent: Int = 8, envAllow: [String] = [],
                 workingDir: String? = nil, timeout: Int = 60, maxOutput: Int64 = 10 << 20,
                 schema: JSONValue = .object([:])) throws -> Capability {
        let a = try agents.create(Agent(slug: slug, name: slug, binaryPath: binary, workingDir: workingDir,
                                        envAllowlist: envAllow, maxConcurrent: maxConcurrent))
        return try agents.addCapability(Capability(agentId: a.id, key: "run", label: "Run", mode: .template, commandTokens: tokens,
                                                   argsSchema: schema, timeoutSec: timeout, maxOutputBytes: maxOutput))
    }

    func task(_ title: String = "t", context: TaskInputContext = .init()) throws -> TaskItem {
        try tasks.create(NewTask(title: title, inputContext: context))
    }

    @discardableResult
    func queue(_ cap: Capability, task: TaskItem, _ args: [String: String] = [:], retries: Int = 0) throws -> Execution {
        try executions.queue(.init(taskId: task.id, capabilityId: cap.id, args: args, maxRetries: retries))
    }
}

extension TestDatabase {
    func options(id: String = "w1", concurrency: Int = 4, once: Bool = true, environment: [String: String]? = nil,
                 heartbeat: Double = 1, staleAfter: Double = 30, killGrace: Double = 1) -> WorkerOptions {
        WorkerOptions(connection: url, workerId: id, concurrency: concurrency, once: once, pollInterval: 0.05,
                      heartbeatInterval: heartbeat, staleAfter: staleAfter, logDirectory: logDir,
                      environment: environment ?? ProcessInfo.processInfo.environment, killGrace: killGrace,
                      statusCheckInterval: 0.05, logFlushInterval: 0.1)
    }

    /// `worker --once` in-process: drains the queue and returns its summary.
    @discardableResult
    func drain(id: String = "w1", concurrency: Int = 4, environment: [String: String]? = nil) throws -> WorkerLoop.Summary {
        try WorkerLoop(options: options(id: id, concurrency: concurrency, environment: environment)).run()
    }

    /// A long-lived worker on its own thread; `stop()` asks it to stop and waits for `run` to return.
    func background(_ opts: WorkerOptions) throws -> BackgroundWorker { try BackgroundWorker(opts) }

    func logBytes(_ id: ID) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: LogSink.path(directory: logDir, executionId: id))))
    }
}

final class BackgroundWorker: @unchecked Sendable {
    let loop: WorkerLoop
    private let done = DispatchSemaphore(value: 0)
    let result = Locked<Result<WorkerLoop.Summary, Error>?>(nil)

    init(_ opts: WorkerOptions) throws {
        loop = try WorkerLoop(options: opts)
        let t = Thread { [loop, result, done] in
            let r = Result { try loop.run() }
            result.with { $0 = r }
            done.signal()
        }
        t.start()
    }

    @discardableResult
    func stop(timeout: Double = 20) throws -> WorkerLoop.Summary {
        if let done = result.get { return try done.get() }  // stopped already (a test's defer after its own stop)
        loop.requestStop()
        guard done.wait(timeout: .now() + timeout) == .success else { throw WorkerError("the worker did not stop in \(timeout) s") }
        return try result.get!.get()
    }
}

/// Processes whose command line holds `marker` (a /proc scan: nothing of a run may outlive it).
func processes(containing marker: String) -> [Int32] {
    let me = getpid()
    return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name in
        guard let pid = Int32(name), pid != me,
              let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty else { return nil }
        // A zombie has an empty cmdline; a live process of the run shows its argv.
        return String(decoding: data, as: UTF8.self).contains(marker) ? pid : nil
    }
}

/// Whether any process of group `pgid` is left.
func groupExists(_ pgid: Int32) -> Bool { kill(-pgid, 0) == 0 || errno != ESRCH }
