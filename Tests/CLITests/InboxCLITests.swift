import Foundation
import Testing
import CLISupport
import Core
import Storage

@Suite("CLI: the inbox") struct InboxCLITests {
    static let keys: Set<String> = ["id", "kind", "execution_id", "session_id", "agent", "tool_name", "input", "danger", "created_at"]
    static let alice = ["USER": "alice"]

    @Test("inbox list, approve and deny, as the dashboard's a and D; ended, decided and unknown items refused", arguments: CLIBackend.allCases)
    func inbox(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let store = try Store.open(db.url)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        let fix = try store.agents.addCapability(Capability(agentId: agent.id, key: "fix", label: "Fix", mode: .template,
                                                            commandTokens: ["fix"], dangerLevel: 1))
        let push = try store.agents.addCapability(Capability(agentId: agent.id, key: "push", label: "Push", mode: .template,
                                                             commandTokens: ["push"], requiresApproval: true, dangerLevel: 2))
        let task = try store.tasks.create(NewTask(title: "t")).id
        let working = try store.executions.queue(.init(taskId: task, capabilityId: fix.id))
        let session = try store.sessions.create(Session(title: "s", agentId: agent.id, status: .running, executionId: working.id))
        let call = try store.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Bash", input: #"{"command":"rm -rf build"}"#, userMessage: "ok?")
        let run = try store.executions.queue(.init(taskId: task, capabilityId: push.id, args: ["branch": "main"]))

        let list = try #require(try db.run("inbox", "list", "--json").json as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.allSatisfy { Set($0.keys) == Self.keys }, "exactly the documented keys: \(list)")
        let c = try #require(list.first { $0["kind"] as? String == "confirm" })
        #expect(c["id"] as? String == "c\(call.id)" && c["execution_id"] as? Int == Int(working.id) && c["session_id"] as? Int == Int(session.id))
        #expect(c["agent"] as? String == "claude" && c["tool_name"] as? String == "Bash" && c["input"] as? String == call.input && c["danger"] as? Int == 1)
        let a = try #require(list.first { $0["kind"] as? String == "approve" })
        #expect(a["id"] as? String == "a\(run.id)" && a["execution_id"] as? Int == Int(run.id) && a["session_id"] is NSNull)
        #expect(a["tool_name"] as? String == "push" && a["danger"] as? Int == 2 && a["input"] as? String == #"{"branch":"main"}"#)

        let human = try db.run("inbox", "list")
        #expect(human.status == 0)
        let lines = human.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("ID") && lines[0].contains("KIND"))
        #expect(lines.contains { $0.hasPrefix("c\(call.id) ") && $0.contains("confirm") && $0.contains("Bash") })
        #expect(lines.contains { $0.hasPrefix("a\(run.id) ") && $0.contains("approve") && $0.contains("push") })

        // Approving each: recorded with who and when, and gone from the inbox.
        let ok = try CLI.run(["inbox", "approve", "c\(call.id)"], db: db.url, env: Self.alice)
        #expect(ok.status == 0 && ok.stdout.contains("approved c\(call.id)"))
        let decided = try store.toolCalls.get(call.id)
        #expect(decided.decidedBy == "alice" && decided.decidedAt != nil && !decided.requiresConfirmation)
        #expect(try CLI.run(["inbox", "approve", "a\(run.id)"], db: db.url, env: Self.alice).status == 0)
        let approved = try store.executions.get(run.id)
        #expect(approved.approvedBy == "alice" && approved.approvedAt != nil)
        #expect((try db.run("inbox", "list", "--json").json as? [Any])?.isEmpty == true)
        expectCleanError(try db.run("inbox", "approve", "c\(call.id)"), contains: "already decided by alice")
        expectCleanError(try db.run("inbox", "deny", "a\(run.id)"), contains: "already approved by alice")

        // Denying with a reason: the reason is recorded.
        let second = try store.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Bash", input: "{}", userMessage: nil)
        #expect(try CLI.run(["inbox", "deny", "c\(second.id)", "--reason", "not now"], db: db.url, env: Self.alice).status == 0)
        let denied = try store.toolCalls.get(second.id)
        #expect(denied.status == .denied && denied.decidedBy == "alice" && denied.decisionReason == "not now" && denied.decidedAt != nil)
        let risky = try store.executions.queue(.init(taskId: task, capabilityId: push.id))
        #expect(try CLI.run(["inbox", "deny", "a\(risky.id)", "--reason", "too risky"], db: db.url, env: Self.alice).status == 0)
        let cancelled = try store.executions.get(risky.id)
        #expect(cancelled.status == .cancelled && (cancelled.error ?? "").contains("alice (denied: too risky)"))

        // Ended runs, unknown ids and malformed ids are refused in one line.
        expectCleanError(try db.run("inbox", "approve", "a\(risky.id)"), contains: "has ended")
        _ = try store.executions.requestCancel(working.id)
        let late = try store.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Bash", input: "{}", userMessage: nil)
        expectCleanError(try db.run("inbox", "approve", "c\(late.id)"), contains: "has ended")
        expectCleanError(try db.run("inbox", "deny", "c\(late.id)", "--reason", "x"), contains: "has ended")
        #expect(try store.toolCalls.get(late.id).decidedAt == nil, "a refused answer changes nothing")
        expectCleanError(try db.run("inbox", "approve", "c99999"), contains: "no inbox item c99999")
        expectCleanError(try db.run("inbox", "deny", "a99999"), contains: "no inbox item a99999")
        for bad in ["12", "x1", "a", "c-1", "C1"] {
            expectCleanError(try db.run("inbox", "approve", bad), contains: "is not an inbox id")
        }
    }
}
