import Foundation
import Testing
import CLISupport
import Core
@testable import Storage

/// `agentmon exec continue ID [--prompt TEXT] [--json]` through the real binary.
@Suite("CLI: exec continue") struct ExecContinueCLITests {
    /// An ended run of an agent that can resume sessions, with a session ref; and a queued one.
    func setUp(_ db: CLIDatabase) throws -> (ended: ID, queued: ID) {
        let store = try Store.open(db.url)
        defer { store.close() }
        let a = try store.agents.create(Agent(slug: "cl", name: "Claude", toolType: .aiAgent, binaryPath: "/bin/true",
                                              sessionConfig: ["resumeFlags": ["--resume", "{{sessionRef}}"]]))
        let cap = try store.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "Fix {{task_title}}"))
        let t = try store.tasks.create(NewTask(title: "the bug"))
        let e = try store.executions.queue(.init(taskId: t.id, capabilityId: cap.id))
        _ = try store.executions.claim(workerId: "w")
        try store.executions.setSessionRef(e.id, "sess-9")
        try store.executions.finish(e.id, workerId: "w", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil)
        let q = try store.executions.queue(.init(taskId: t.id, capabilityId: cap.id))
        return (e.id, q.id)
    }

    @Test("queues a continuation and prints it; user errors are one line", arguments: CLIBackend.allCases)
    func continueRun(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (ended, queued) = try setUp(db)
        let r = try db.run("exec", "continue", "\(ended)", "--prompt", "now add a test", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(r.json as? [String: Any])
        #expect(json["parent_execution_id"] as? Int == Int(ended) && json["session_ref"] as? String == "sess-9")
        #expect(json["status"] as? String == "queued" && json["prompt"] as? String == "now add a test")

        let plain = try db.run("exec", "continue", "\(ended)")
        #expect(plain.status == 0, "\(plain.stderr)")
        let id = try #require(Int(plain.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let shown = try #require(try db.run("exec", "show", "\(id)", "--json").json as? [String: Any])
        #expect(shown["prompt"] as? String == "Fix the bug" && shown["parent_execution_id"] as? Int == Int(ended))

        expectCleanError(try db.run("exec", "continue", "\(queued)"), contains: "only an ended run can be continued")
        expectCleanError(try db.run("exec", "continue", "999"), contains: "no execution with id 999")
        expectCleanError(try db.run("exec", "continue", "x1"), contains: "is not an execution id")
    }
}
