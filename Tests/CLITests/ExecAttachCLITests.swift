import Foundation
import Testing
import CLISupport
import Core
import Storage

/// `agentmon exec attach`: each refusal is one line naming the run. (Attaching itself is driven in a real
/// terminal by the end-to-end test, TmuxAttachE2ETests.)
@Suite("CLI: exec attach refusals") struct ExecAttachCLITests {
    static func localHost() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        _ = gethostname(&buf, buf.count - 1)
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// A run of an agent with `protocol`, claimed by worker `worker` on `host` (nil: left queued).
    static func run(_ db: CLIDatabase, protocol proto: String, worker: String?, host: String = localHost(),
                    session: Bool = true) throws -> (Store, Execution) {
        let s = try Store.open(db.url)
        let a = try s.agents.create(Agent(slug: "gem-\(proto)-\(UUID().uuidString.prefix(6).lowercased())", name: "gem", binaryPath: "/bin/cat",
                                          sessionConfig: ["bidirectionalProtocol": .string(proto)]))
        let c = try s.agents.addCapability(Capability(agentId: a.id, key: "chat", label: "Chat", mode: .template,
                                                      commandTokens: ["-"], argsSchema: .object([:])))
        let t = try s.tasks.create(NewTask(title: "t"))
        var e = try s.executions.queue(.init(taskId: t.id, capabilityId: c.id))
        if let worker {
            try s.workers.heartbeat(workerId: worker, host: host, pid: 1, currentExecutions: 1)
            e = try #require(try s.executions.claim(workerId: worker))
            if session { try s.executions.setTmuxSession(e.id, workerId: worker, attempt: e.attempt, name: "agentmon-e\(e.id)-a1") }
        }
        return (s, try s.executions.get(e.id))
    }

    @Test("a run not hosted in tmux, or not started yet", arguments: CLIBackend.allCases)
    func notTmux(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (s, queued) = try Self.run(db, protocol: "tmux", worker: nil)
        expectCleanError(try db.run("exec", "attach", "\(queued.id)"), contains: "run #\(queued.id) has not started")
        _ = try s.executions.requestCancel(queued.id)
        s.close()
        let (s2, plain) = try Self.run(db, protocol: "none", worker: "w1", session: false)
        defer { s2.close() }
        expectCleanError(try db.run("exec", "attach", "\(plain.id)"), contains: "run #\(plain.id) is not hosted in tmux")
    }

    @Test("a run that has ended", arguments: CLIBackend.allCases)
    func ended(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (s, e) = try Self.run(db, protocol: "tmux", worker: "w1")
        defer { s.close() }
        #expect(e.tmuxSessionName == "agentmon-e\(e.id)-a1")
        try s.executions.finish(e.id, workerId: "w1", attempt: e.attempt, outcome: .succeeded, exitCode: 0, error: nil)
        expectCleanError(try db.run("exec", "attach", "\(e.id)"), contains: "run #\(e.id) has ended (succeeded)")
    }

    @Test("a run on another machine names its host and worker", arguments: CLIBackend.allCases)
    func otherHost(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (s, e) = try Self.run(db, protocol: "tmux", worker: "w-build-2", host: "build-2")
        defer { s.close() }
        expectCleanError(try db.run("exec", "attach", "\(e.id)"),
                         contains: "run #\(e.id) runs on host build-2 (worker w-build-2); attach there")
    }

    @Test("without a terminal", arguments: CLIBackend.allCases)
    func notATerminal(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (s, e) = try Self.run(db, protocol: "tmux", worker: "w1")
        defer { s.close() }
        expectCleanError(try db.run("exec", "attach", "\(e.id)"), contains: "attach needs a terminal")
        expectCleanError(try db.run("exec", "attach", "0"), contains: "not an execution id")
    }
}
