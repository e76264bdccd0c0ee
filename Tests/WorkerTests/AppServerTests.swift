import Foundation
import Testing
import Core
import Storage
import CLISupport
@testable import Worker

/// The real worker running a stand-in `codex app-server` (Tests/StandIns/codex-app-server, which speaks the
/// protocol as the real server does and logs every line it reads): the handshake, approvals answered with
/// the request's own id, steering, interrupts, a failed turn, usage, and a continuation resuming its thread.
@Suite("Worker: Codex app-server") struct AppServerTests {
    /// The stand-in, executable.
    static let standIn: String = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("StandIns/codex-app-server").path
        chmod(path, 0o755)
        return path
    }()

    /// A fake codex agent as the preset configures codex (`app-server`, resumed by thread/resume), whose
    /// prompt is the task's title, so a test chooses the stand-in's scenario by naming its task.
    static func agent(_ s: Store) throws -> Capability {
        if let a = try s.agents.find(slug: "fake-codex"), let c = try s.agents.capability(agentId: a.id, key: "ask") { return c }
        let a = try s.agents.create(Agent(slug: "fake-codex", name: "Fake Codex", toolType: .aiAgent, binaryPath: standIn,
                                          baseArgs: ["app-server"], envAllowlist: ["FAKE_CODEX_LOG"], maxConcurrent: 4,
                                          sessionConfig: ["bidirectionalProtocol": "app-server", "sessionIdSource": "app_server",
                                                          "resumeMethod": "thread/resume"]))
        return try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt,
                                                     promptTemplate: "{{task_title}}", timeoutSec: 60))
    }

    /// One run of the stand-in under a real worker (`worker --once` on a thread).
    final class Run: @unchecked Sendable {
        let tdb: TestDatabase
        let store: Store
        let execution: Execution
        let log: String
        private let done = DispatchSemaphore(value: 0)

        init(_ tdb: TestDatabase, _ store: Store, prompt: String, queue: ((Capability, TaskItem) throws -> Execution)? = nil) throws {
            self.tdb = tdb; self.store = store
            log = tdb.path("codex-\(UUID().uuidString).log")
            let cap = try AppServerTests.agent(store)
            let task = try store.task(prompt)
            execution = try queue?(cap, task) ?? store.queue(cap, task: task)
            var environment = ProcessInfo.processInfo.environment
            environment["FAKE_CODEX_LOG"] = log
            let env = environment
            let t = Thread { [done] in _ = try? tdb.drain(environment: env); done.signal() }
            t.start()
        }

        /// Waits for the worker to finish the run; the execution as it ended.
        func finish(_ seconds: Double = 30) throws -> Execution {
            #expect(done.wait(timeout: .now() + seconds) == .success, "the run did not end in \(seconds) s")
            return try store.executions.get(execution.id)
        }

        /// Every line the stand-in read, parsed, with its raw text.
        var received: [(raw: String, json: JSONValue)] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map { (String($0), JSONValue.parse(String($0)) ?? .null) }
        }

        func requests(_ method: String) -> [JSONValue] { received.map(\.json).filter { $0["method"]?.stringValue == method } }

        /// The run's session, once the thread is open.
        var session: Session? { (try? store.sessions.list())?.first { $0.executionId == execution.id } }

        var messages: [Message] { session.flatMap { try? store.messages.all(sessionId: $0.id) } ?? [] }

        /// The inbox entry of this run's open confirmation.
        func waitForConfirmation() throws -> InboxEntry {
            var entry: InboxEntry?
            try #require(waitUntil(20) {
                entry = try store.inbox.entries().first { $0.executionId == execution.id }
                return entry != nil
            }, "no confirmation reached the inbox")
            return entry!
        }
    }

    static func text(of turnRequest: JSONValue) -> String? { turnRequest["params"]?["input"]?.arrayValue?.first?["text"]?.stringValue }

    @Test("a command approval accepted in the inbox reaches the agent as accept with its request id; the command is in the transcript",
          arguments: Backend.allCases)
    func commandAccepted(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "run: ls")
            let entry = try run.waitForConfirmation()
            #expect(entry.toolName == "shell" && entry.input == "ls")
            let details = try #require(try s.toolCalls.requestDetails(entry.ref.id))
            #expect(details["protocol"] == "app-server" && details["method"] == "item/commandExecution/requestApproval")
            let requestId = try #require(details["request_id"])
            try s.inbox.approve(entry.ref, by: "tester")

            let e = try run.finish()
            #expect(e.status == .succeeded && e.exitCode == 0, "\(e.status) \(e.error ?? "")")
            // The handshake, in order, then the prompt as the first turn.
            let methods = run.received.compactMap { $0.json["method"]?.stringValue }
            #expect(Array(methods.prefix(4)) == ["initialize", "initialized", "thread/start", "turn/start"])
            #expect(run.requests("initialize").first?["params"]?["clientInfo"]?["name"] == "agentmon")
            #expect(run.requests("turn/start").first.flatMap(Self.text) == "run: ls")
            // The answer: the server's id, as it sent it (an integer), and the decision in its words.
            #expect(requestId == .number(0))
            #expect(run.received.map(\.raw).contains(#"{"id":0,"result":{"decision":"accept"}}"#), "\(run.received.map(\.raw))")
            // The transcript: the command ran, its output recorded; the request is decided by the person.
            let calls = try s.toolCalls.query(sessionId: try #require(run.session).id)
            let command = try #require(calls.first { $0.toolName == "shell" && !$0.requiresConfirmation && $0.externalId?.hasPrefix("call_") == true })
            #expect(command.input == "ls" && command.status == .success && command.output == "fake output of ls\n")
            let permission = try s.toolCalls.get(entry.ref.id)
            #expect(permission.decidedBy == "tester" && permission.status == .success)
            #expect(run.messages.map(\.content).contains("Ran ls."))
            #expect(run.session?.externalSessionId == e.sessionRef && e.sessionRef?.hasPrefix("thr_") == true)
        }
    }

    @Test("a file change denied in the inbox reaches the agent as decline with its request id", arguments: Backend.allCases)
    func fileChangeDeclined(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "edit: file.txt")
            let entry = try run.waitForConfirmation()
            #expect(entry.toolName == "apply_patch" && entry.input.contains("file.txt"))
            try s.inbox.deny(entry.ref, by: "tester", reason: "not now")

            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            #expect(run.received.map(\.raw).contains(#"{"id":0,"result":{"decision":"decline"}}"#), "\(run.received.map(\.raw))")
            let permission = try s.toolCalls.get(entry.ref.id)
            #expect(permission.status == .denied && permission.decisionReason == "not now")
            let change = try s.toolCalls.query(sessionId: try #require(run.session).id).first { $0.toolName == "apply_patch" && $0.id != entry.ref.id }
            #expect(change?.status == .denied)
            #expect(run.messages.map(\.content).contains("Left file.txt alone."))
        }
    }

    @Test("a message while a turn runs is turn/steer with the running turn's id; the transcript shows it", arguments: Backend.allCases)
    func steer(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "wait")
            try #require(waitUntil(20) { run.messages.contains { $0.content == "Waiting." } }, "the turn never started")
            let input = try s.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "focus on the tests", sentBy: "tester")

            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            let steer = try #require(run.requests("turn/steer").first, "no turn/steer: \(run.received.map(\.raw))")
            #expect(Self.text(of: steer) == "focus on the tests")
            #expect(steer["params"]?["expectedTurnId"] == "turn_1" && steer["params"]?["threadId"]?.stringValue == e.sessionRef)
            #expect(run.requests("turn/start").count == 1)
            #expect(try s.inputs.get(input.id).deliveredAt != nil)
            let sent = try #require(run.messages.first { $0.externalId == "input:\(input.id)" })
            #expect(sent.role == .user && sent.content == "focus on the tests")
            #expect(run.messages.map(\.content).contains("Steered: focus on the tests"))
        }
    }

    @Test("an interrupt is turn/interrupt; the run stays open and the next message starts a new turn", arguments: Backend.allCases)
    func interruptThenMessage(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "wait")
            try #require(waitUntil(20) { run.messages.contains { $0.content == "Waiting." } }, "the turn never started")
            let stop = try s.inputs.enqueue(executionId: run.execution.id, kind: .interrupt, sentBy: "tester")
            try #require(waitUntil(20) { run.messages.contains { $0.externalId == "input:\(stop.id)" } }, "the interrupt was not delivered")
            let interrupt = try #require(run.requests("turn/interrupt").first)
            #expect(interrupt["params"]?["turnId"] == "turn_1" && interrupt["params"]?["threadId"]?.stringValue == run.session?.externalSessionId)
            #expect(run.messages.first { $0.externalId == "input:\(stop.id)" }?.content == "Interrupted by tester")
            // The interrupted turn has ended at the agent, and the run is still there for the next message.
            try #require(waitUntil(20) { (try? s.sessions.get(run.session!.id))?.status == .running && run.received.count >= 5 })
            #expect(try s.executions.get(run.execution.id).status == .running)

            let next = try s.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "try again", sentBy: "tester")
            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            let turns = run.requests("turn/start")
            #expect(turns.count == 2 && turns.last.flatMap(Self.text) == "try again", "\(run.received.map(\.raw))")
            #expect(try s.inputs.get(next.id).deliveredAt != nil && s.inputs.get(next.id).error == nil)
            #expect(run.messages.map(\.content).contains("Done: try again"))
        }
    }

    @Test("a turn that ends with status failed fails the run, though the server exits 0", arguments: Backend.allCases)
    func failedTurn(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "fail")
            let e = try run.finish()
            #expect(e.status == .failed && e.exitCode == 0)
            #expect(e.error?.contains("fake upstream failure") == true, "\(e.error ?? "")")
            #expect(run.messages.filter { $0.isError && $0.content == "fake upstream failure" }.count == 2)  // the error, and the turn's
            #expect(run.session?.status == .failed)
        }
    }

    @Test("usage from thread/tokenUsage/updated lands on the execution once, however often it is repeated", arguments: Backend.allCases)
    func usage(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "hello")
            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            // 1000 input of which 200 cached, 50 output: input excludes the cached part, as for every Codex usage.
            #expect(e.inputTokens == 800 && e.cacheReadTokens == 200 && e.outputTokens == 50, "\(e.inputTokens) \(e.cacheReadTokens) \(e.outputTokens)")
            let session = try #require(run.session)
            #expect(session.inputTokens == 800 && session.outputTokens == 50 && session.status == .completed)
            #expect(run.messages.contains { $0.kind == .thought && $0.content == "Thinking about it." })
            #expect(run.messages.first?.content == "hello" && run.messages.first?.role == .user)
            // The server's echo of the prompt is not written twice.
            #expect(run.messages.filter { $0.content == "hello" }.count == 1)
        }
    }

    @Test("a continuation resumes its parent's thread with thread/resume and adds only its own usage", arguments: Backend.allCases)
    func continuation(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let first = try Run(tdb, s, prompt: "hello")
            let parent = try first.finish()
            let thread = try #require(parent.sessionRef)
            let second = try Run(tdb, s, prompt: "unused") { _, _ in try s.executions.continuation(of: parent.id, prompt: "and more") }
            let e = try second.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            let resume = try #require(second.requests("thread/resume").first, "\(second.received.map(\.raw))")
            #expect(resume["params"]?["threadId"]?.stringValue == thread)
            #expect(second.requests("thread/start").isEmpty)
            #expect(second.requests("turn/start").first?["params"]?["threadId"]?.stringValue == thread)
            #expect(e.sessionRef == thread && e.inputTokens == 800 && e.outputTokens == 50)
            // One session for both runs: the thread.
            #expect(try s.sessions.list().filter { $0.externalSessionId == thread }.count == 1)
        }
    }

    @Test("a decision made by another process (agentmon inbox approve) reaches the running agent", arguments: Backend.allCases)
    func decisionFromAnotherProcess(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "run: make test")
            let entry = try run.waitForConfirmation()
            let r = try CLI.run(["inbox", "approve", entry.ref.description], db: tdb.url, timeout: 60)
            #expect(r.status == 0, "\(r.stderr)")
            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            #expect(run.received.map(\.raw).contains(#"{"id":0,"result":{"decision":"accept"}}"#))
            #expect(run.messages.map(\.content).contains("Ran make test."))
        }
    }

    @Test("an approval rule answers the request at once: the agent never waits for a person", arguments: Backend.allCases)
    func ruleAnswers(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            try s.rules.add(agentId: nil, toolName: "shell", match: "^rm ", decision: .deny)
            let run = try Run(tdb, s, prompt: "run: rm -rf build")
            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            #expect(run.received.map(\.raw).contains(#"{"id":0,"result":{"decision":"decline"}}"#))
            #expect(run.messages.map(\.content).contains("Did not run rm -rf build."))
        }
    }

    @Test("an interrupt while an approval waits: the server withdraws the request and the inbox no longer shows it", arguments: Backend.allCases)
    func interruptWithdrawsApproval(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let run = try Run(tdb, s, prompt: "run: ls")
            let entry = try run.waitForConfirmation()
            _ = try s.inputs.enqueue(executionId: run.execution.id, kind: .interrupt, sentBy: "tester")
            try #require(waitUntil(20) { try !s.inbox.entries().contains { $0.ref == entry.ref } }, "the withdrawn request is still in the inbox")
            let call = try s.toolCalls.get(entry.ref.id)
            #expect(call.decidedBy == "agentmon" && call.status == .pending && !call.requiresConfirmation)
            #expect(throws: (any Error).self) { try s.inbox.approve(entry.ref, by: "tester") }
            _ = try s.inputs.enqueue(executionId: run.execution.id, kind: .message, body: "never mind", sentBy: "tester")
            let e = try run.finish()
            #expect(e.status == .succeeded, "\(e.status) \(e.error ?? "")")
            #expect(!run.received.contains { $0.json["result"]?["decision"] != nil }, "an answer was sent for a withdrawn request")
            #expect(run.messages.map(\.content).contains("Done: never mind"))
        }
    }
}
