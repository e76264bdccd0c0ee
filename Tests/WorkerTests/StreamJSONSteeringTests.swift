import Foundation
import Testing
import Core
import Storage
@testable import Worker

/// Talking back to a Claude run over stream-json, with the stand-in CLI in Tests/StandIns: a permission
/// request answered from the inbox reaches the agent as its own control_response with the same request id,
/// a rule answers without a person, and an interrupt and a follow-up message keep the run alive.
@Suite("Worker: steering a stream-json agent") struct StreamJSONSteeringTests {
    static let standIn = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("StandIns/claude-stream-json").path

    /// The stand-in registered as the claude preset registers the real CLI: same args, same protocol.
    static func agent(_ s: Store, slug: String = "claude") throws -> Capability {
        let p = AgentPresets.claude
        let a = try s.agents.create(Agent(slug: slug, name: "Claude (stand-in)", toolType: .aiAgent, binaryPath: standIn,
                                          baseArgs: p.baseArgs, envAllowlist: ["STANDIN_LOG", "STANDIN_SESSION_ID"],
                                          sessionConfig: p.sessionConfig))
        return try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt,
                                                     promptTemplate: "{{task_title}}", timeoutSec: 60))
    }

    struct Run {
        let store: Store
        let execution: Execution
        let log: String
        let done: DispatchSemaphore

        /// The lines the stand-in read on stdin, parsed.
        func received() -> [JSONValue] {
            guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").compactMap { line in
                line.firstIndex(of: " ").flatMap { JSONParser.parse(Array(line[line.index(after: $0)...].utf8)) }
            }
        }

        func status() throws -> ExecutionStatus { try store.executions.status(execution.id) }

        func session() throws -> Session? { try store.sessions.list().first { $0.executionId == execution.id } }

        func transcript() throws -> [Message] {
            guard let s = try session() else { return [] }
            return try store.messages.all(sessionId: s.id)
        }

        func finished() throws -> ExecutionStatus {
            #expect(done.wait(timeout: .now() + 30) == .success, "the worker did not finish the run")
            return try status()
        }
    }

    /// Queues `prompt` as a task title for the stand-in and starts a worker that drains the queue.
    static func start(_ tdb: TestDatabase, prompt: String, slug: String = "claude") throws -> Run {
        let s = try tdb.store()
        let cap = try agent(s, slug: slug)
        let e = try s.queue(cap, task: try s.task(prompt))
        let log = tdb.path("standin-\(e.id).log")
        var env = ProcessInfo.processInfo.environment
        env["STANDIN_LOG"] = log
        env["STANDIN_SESSION_ID"] = "sess-steer-\(e.id)"
        let done = DispatchSemaphore(value: 0), environment = env
        let t = Thread { _ = try? tdb.drain(environment: environment); done.signal() }
        t.start()
        return Run(store: s, execution: e, log: log, done: done)
    }

    static func pendingConfirmation(_ run: Run) throws -> ToolCall? {
        guard let s = try run.session() else { return nil }
        return try run.store.toolCalls.pendingConfirmation(sessionId: s.id)
    }

    /// The run's permission request once the stand-in has asked it (an issue if it never does).
    static func awaitRequest(_ run: Run, sourceLocation: SourceLocation = #_sourceLocation) throws -> ToolCall? {
        var call: ToolCall?
        #expect(try waitUntil(20) { call = try pendingConfirmation(run); return call != nil }, "no permission request", sourceLocation: sourceLocation)
        return call
    }

    @Test("a can_use_tool request approved in the inbox reaches Claude as an allow with the same request id", arguments: Backend.allCases)
    func approved(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let run = try Self.start(tdb, prompt: "ask Bash: ls -la")
            defer { run.store.close() }
            guard let call = try Self.awaitRequest(run) else { return }
            #expect(call.toolName == "Bash")
            let details = try run.store.toolCalls.requestDetails(call.id)
            #expect(details?["tool_use_id"]?.stringValue?.hasPrefix("toolu_") == true)
            #expect(details?["permission_suggestions"]?.arrayValue?.count == 1)
            let requestId = try #require(details?["request_id"]?.stringValue)
            // The inbox lists it for scripts with the run it belongs to.
            let entry = try #require(try run.store.inbox.entries().first { $0.ref == InboxRef(kind: .confirm, id: call.id) })
            #expect(entry.executionId == run.execution.id && entry.toolName == "Bash")

            // A message sent while Claude waits is queued by the CLI and answered after the turn: the run still ends.
            try run.store.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "then run the tests", sentBy: "tester")
            #expect(waitUntil(10) { run.received().contains { $0["type"]?.stringValue == "user" && $0["message"]?["content"]?.stringValue == "then run the tests" } })
            try run.store.inbox.approve(InboxRef(kind: .confirm, id: call.id), by: "tester")
            #expect(try run.finished() == .succeeded)
            #expect(try run.transcript().contains { $0.content == "You said: then run the tests" })

            let answers = run.received().filter { $0["type"]?.stringValue == "control_response" }
            #expect(answers.count == 1)
            let r = answers.first?["response"]
            #expect(r?["subtype"]?.stringValue == "success")
            #expect(r?["request_id"]?.stringValue == requestId)
            #expect(r?["response"]?["behavior"]?.stringValue == "allow")
            #expect(r?["response"]?["updatedInput"]?["command"]?.stringValue == "ls -la")
            // The prompt went in as the first user message, not on the command line.
            let first = run.received().first
            #expect(first?["type"]?.stringValue == "user" && first?["message"]?["content"]?.stringValue == "ask Bash: ls -la")
            #expect(try run.transcript().contains { $0.content == "Done with Bash." })
            let decided = try run.store.toolCalls.get(call.id)
            #expect(decided.decidedBy == "tester" && decided.status != .denied)
            #expect(try run.transcript().contains { $0.role == .system && $0.content == "Bash allowed by tester" })
            let input = try #require(try run.store.inputs.list(executionId: run.execution.id).first { $0.kind == .decision })
            #expect(input.deliveredAt != nil && input.sentBy == "tester")
        }
    }

    @Test("a request denied with a reason reaches Claude as a deny carrying that reason", arguments: Backend.allCases)
    func denied(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let run = try Self.start(tdb, prompt: "ask Bash: rm -rf build")
            defer { run.store.close() }
            guard let call = try Self.awaitRequest(run) else { return }
            let requestId = try run.store.toolCalls.requestDetails(call.id)?["request_id"]?.stringValue
            try run.store.inbox.deny(InboxRef(kind: .confirm, id: call.id), by: "tester", reason: "not in this repo")
            #expect(try run.finished() == .succeeded)

            let r = run.received().first { $0["type"]?.stringValue == "control_response" }?["response"]
            #expect(r?["request_id"]?.stringValue == requestId)
            #expect(r?["response"]?["behavior"]?.stringValue == "deny")
            #expect(r?["response"]?["message"]?.stringValue == "not in this repo")
            #expect(try run.transcript().contains { $0.content.contains("Understood, not running it: not in this repo") })
            #expect(try run.store.toolCalls.get(call.id).status == .denied)
        }
    }

    @Test("an interrupt stops the turn but not the run; a follow-up message starts the next turn", arguments: Backend.allCases)
    func interruptAndFollowUp(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let run = try Self.start(tdb, prompt: "wait")
            defer { run.store.close() }
            #expect(try waitUntil(20) { try run.transcript().contains { $0.content == "Working on it..." } })
            try run.store.inputs.enqueue(executionId: run.execution.id, kind: .interrupt, sentBy: "tester")
            #expect(waitUntil(10) { run.received().contains { $0["request"]?["subtype"]?.stringValue == "interrupt" } })
            // The interrupted turn has ended (its result is parsed) and the run waits for the person: had stdin
            // been closed after that result, the stand-in would have exited and the message below would fail.
            #expect(try waitUntil(10) { try run.transcript().contains { $0.content == "Interrupted by tester" } })
            #expect(try waitUntil(10) { try run.transcript().contains { $0.isError && $0.content == "Interrupted" } })
            #expect(try run.status() == .running)

            try run.store.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "use the other branch", sentBy: "tester")
            #expect(try run.finished() == .succeeded)
            let lines = try run.transcript()
            let asked = lines.firstIndex { $0.role == .user && $0.content == "use the other branch" }
            let answered = lines.firstIndex { $0.content == "You said: use the other branch" }
            #expect(asked != nil && answered != nil && asked! < answered!)
            let inputs = try run.store.inputs.list(executionId: run.execution.id)
            #expect(inputs.map(\.kind) == [.interrupt, .message])
            #expect(inputs.allSatisfy { $0.deliveredAt != nil && $0.error == nil && $0.sentBy == "tester" })
            // Delivered in order: the stand-in read the interrupt before the message.
            let kinds = run.received().dropFirst().map { $0["type"]?.stringValue ?? "" }
            #expect(kinds == ["control_request", "user"])
        }
    }

    @Test("an interrupt while Claude waits for permission withdraws the request: the inbox stops offering it", arguments: Backend.allCases)
    func interruptWithdrawsTheRequest(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let run = try Self.start(tdb, prompt: "ask Bash: make deploy")
            defer { run.store.close() }
            guard let call = try Self.awaitRequest(run) else { return }
            try run.store.inputs.enqueue(executionId: run.execution.id, kind: .interrupt, sentBy: "tester")
            // Claude answers with control_cancel_request for that request id; the confirmation closes.
            #expect(try waitUntil(10) { try run.store.toolCalls.get(call.id).requiresConfirmation == false })
            let closed = try run.store.toolCalls.get(call.id)
            #expect(closed.decidedBy == "agentmon" && closed.decisionReason == "the agent withdrew the request")
            #expect(try run.store.inbox.list().isEmpty)
            #expect(throws: StorageError.self) { try run.store.inbox.approve(InboxRef(kind: .confirm, id: call.id), by: "tester") }
            #expect(try run.status() == .running, "the run stays alive for the person's next message")
            // The stopped tool use ends as an error (its rejection), not "running" for ever.
            #expect(try waitUntil(10) {
                try run.store.toolCalls.query(sessionId: call.sessionId, toolName: "Bash").contains { $0.status == .error && $0.output?.contains("STOP what you are doing") == true }
            })
            try run.store.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "skip the deploy", sentBy: "tester")
            #expect(try run.finished() == .succeeded)
            #expect(!run.received().contains { $0["type"]?.stringValue == "control_response" }, "nothing answered the withdrawn request")
        }
    }

    @Test("rules decide before a person: allow runs at once, deny by pattern, each recorded with the rule's id", arguments: Backend.allCases)
    func rules(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let allowRead = try s.rules.add(agentId: nil, toolName: "Read", match: nil, decision: .allow)
            let denyRm = try s.rules.add(agentId: nil, toolName: "Bash", match: "rm -rf", decision: .deny)
            _ = try s.rules.add(agentId: nil, toolName: nil, match: nil, decision: .ask)

            let read = try Self.start(tdb, prompt: "ask Read: README.md")
            defer { read.store.close() }
            #expect(try read.finished() == .succeeded)
            let readCall = try #require(try read.store.toolCalls.query(sessionId: try read.session()?.id).first { $0.requiresConfirmation || $0.decidedBy != nil })
            #expect(readCall.decidedBy == allowRead.decider)
            #expect(read.received().contains { $0["response"]?["response"]?["behavior"]?.stringValue == "allow" })

            let rm = try Self.start(tdb, prompt: "ask Bash: rm -rf /", slug: "claude-2")
            defer { rm.store.close() }
            #expect(try rm.finished() == .succeeded)
            let rmCall = try #require(try rm.store.toolCalls.query(sessionId: try rm.session()?.id).first { $0.decidedBy != nil })
            #expect(rmCall.decidedBy == denyRm.decider && rmCall.status == .denied)
            #expect(rm.received().contains { $0["response"]?["response"]?["message"]?.stringValue == "denied by \(denyRm.decider)" })
            // Shown in each transcript and in the inbox's history, with the rule's id.
            #expect(try read.transcript().contains { $0.role == .system && $0.content == "Read allowed by \(allowRead.decider)" })
            #expect(try rm.transcript().contains { $0.role == .system && $0.content == "Bash denied by \(denyRm.decider)" })
            let history = try s.inbox.history()
            #expect(history.map(\.decidedBy) == [denyRm.decider, allowRead.decider])
            #expect(history.first?.allowed == false && history.first?.executionId == rm.execution.id)
        }
    }

    @Test("an input to a run that has ended is refused with one clear line", arguments: Backend.allCases)
    func endedRunRefusesInput(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let run = try Self.start(tdb, prompt: "hello")
            defer { run.store.close() }
            #expect(try run.finished() == .succeeded)
            #expect(throws: StorageError.invalid("run #\(run.execution.id) has ended (succeeded); it cannot take input")) {
                try run.store.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "more", sentBy: "tester")
            }
        }
    }
}
