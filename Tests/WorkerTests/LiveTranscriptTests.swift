import Foundation
import Testing
import Core
import Storage
@testable import Worker

/// A fake Claude (a shell script written by the test) speaking stream-json: the worker parses its
/// output while it runs, and a continuation resumes its session.
@Suite("Worker: live Claude transcripts and continuations") struct LiveTranscriptTests {
    static let sessionId = "sess-live-1"

    /// Writes the fake agent: it records its argv, prints init, an assistant turn with a tool call, the
    /// tool's result and a noise line, then waits for `gate` (bounded) before the last turn and the result.
    /// Every line it prints is also appended to `copy`, so the log can be compared byte for byte.
    static func fakeClaude(_ tdb: TestDatabase) throws -> String {
        let argv = tdb.path("argv.txt"), gate = tdb.path("gate"), copy = tdb.path("copy.txt")
        let m = "claude-sonnet-4-5-20250929", sid = sessionId
        let script = """
            #!/bin/sh
            { for a in "$@"; do printf '%s\\n' "$a"; done; echo ==; } >> '\(argv)'
            out() { printf '%s\\n' "$1"; printf '%s\\n' "$1" >> '\(copy)'; }
            out '{"type":"system","subtype":"init","session_id":"\(sid)","model":"\(m)","cwd":"/tmp","tools":["Bash"]}'
            out '{"type":"assistant","message":{"id":"msg_a_'$$'","role":"assistant","model":"\(m)","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"toolu_'$$'","name":"Bash","input":{"command":"ls"}}],"usage":{"input_tokens":10,"output_tokens":5}},"session_id":"\(sid)","uuid":"a1-'$$'"}'
            out '{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_'$$'","content":"README.md"}]},"session_id":"\(sid)","uuid":"u1-'$$'"}'
            out 'npm WARN this line is not JSON'
            n=0
            while [ ! -e '\(gate)' ] && [ $n -lt 1500 ]; do sleep 0.02; n=$((n+1)); done
            out '{"type":"assistant","message":{"id":"msg_b_'$$'","role":"assistant","model":"\(m)","content":[{"type":"text","text":"Done."}],"usage":{"input_tokens":90,"output_tokens":35}},"session_id":"\(sid)","uuid":"a2-'$$'"}'
            out '{"type":"result","subtype":"success","is_error":false,"session_id":"\(sid)","total_cost_usd":0.25,"usage":{"input_tokens":100,"output_tokens":40,"cache_read_input_tokens":1000,"cache_creation_input_tokens":50}}'

            """
        let path = tdb.path("fake-claude")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// The fake agent with a prompt capability; `resume: false` leaves resumeFlags out of its session config.
    static func agent(_ s: Store, _ binary: String, slug: String = "fake-claude", resume: Bool = true) throws -> Capability {
        var config: [String: JSONValue] = ["bidirectionalProtocol": "stream-json"]
        if resume { config["resumeFlags"] = ["--resume", "{{sessionRef}}"] }
        let a = try s.agents.create(Agent(slug: slug, name: "Fake Claude", toolType: .aiAgent, binaryPath: binary,
                                          baseArgs: ["-p", "--output-format", "stream-json"], sessionConfig: .object(config)))
        return try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt,
                                                     promptTemplate: "Do {{task_title}}", timeoutSec: 60))
    }

    /// Polls `condition` every 20 ms for at most `seconds`.
    static func waitUntil(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    /// `worker --once` on a thread; the returned semaphore is signalled when it has drained the queue.
    static func drainInBackground(_ tdb: TestDatabase) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let t = Thread { _ = try? tdb.drain(); done.signal() }
        t.start()
        return done
    }

    @Test("messages and tool calls reach the database while the run goes on; the result sets usage and cost", arguments: Backend.allCases)
    func liveParsing(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let cap = try Self.agent(s, try Self.fakeClaude(tdb))
            let task = try s.task("live")
            let e = try s.queue(cap, task: task)
            let done = Self.drainInBackground(tdb)

            // The program is blocked on the gate: whatever is in the database now was parsed live.
            let seen = try Self.waitUntil {
                guard let ss = try s.sessions.find(externalSessionId: Self.sessionId) else { return false }
                return try s.messages.count(sessionId: ss.id) >= 4  // the prompt, a text, the call and its result
            }
            #expect(seen)
            #expect(!FileManager.default.fileExists(atPath: tdb.path("gate")))
            #expect(try s.executions.status(e.id) == .running)
            let during = try #require(try s.sessions.find(externalSessionId: Self.sessionId))
            #expect(during.status == .running && during.executionId == e.id)
            #expect(try s.toolCalls.query(sessionId: during.id).first?.status == .success)

            _ = FileManager.default.createFile(atPath: tdb.path("gate"), contents: Data())
            #expect(done.wait(timeout: .now() + 30) == .success)

            let run = try s.executions.get(e.id)
            #expect(run.status == .succeeded && run.sessionRef == Self.sessionId)
            let ss = try s.sessions.get(during.id)
            #expect(ss.executionId == e.id && ss.taskId == task.id && ss.externalSessionId == Self.sessionId)
            #expect(ss.status == .completed && ss.title == "Do live")
            let msgs = try s.messages.all(sessionId: ss.id)
            #expect(msgs.map(\.kind) == [.message, .message, .action, .observation, .message])
            #expect(msgs[0].role == .user && msgs[0].content == "Do live", "the prompt is the person's turn (print mode does not echo it)")
            let calls = try s.toolCalls.query(sessionId: ss.id)
            #expect(calls.count == 1 && calls[0].toolName == "Bash" && calls[0].output == "README.md" && calls[0].status == .success)
            #expect(msgs[3].parentId == msgs[2].id)
            #expect(ss.inputTokens == 100 && ss.outputTokens == 40 && ss.cacheReadTokens == 1000 && ss.cacheWriteTokens == 50)
            #expect(abs(ss.costUsd - 0.25) < 1e-9)
            #expect(run.inputTokens == 100 && run.outputTokens == 40 && run.cacheReadTokens == 1000 && run.cacheWriteTokens == 50)
            #expect(abs(run.costUsd - 0.25) < 1e-9)
            // The log is the program's output, byte for byte, noise line included.
            let printed = Array(try Data(contentsOf: URL(fileURLWithPath: tdb.path("copy.txt"))))
            #expect(try tdb.logBytes(e.id) == printed)
            #expect(try s.executions.logChunks(e.id).flatMap(\.data) == printed)
        }
    }

    @Test("a continuation resumes the session: --resume <session id>, parent set, same session", arguments: Backend.allCases)
    func continuation(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let cap = try Self.agent(s, try Self.fakeClaude(tdb))
            _ = FileManager.default.createFile(atPath: tdb.path("gate"), contents: Data())
            let first = try s.queue(cap, task: try s.task("first"))
            // Not ended yet: refused with a clear message.
            #expect(throws: StorageError.self) { try s.executions.continuation(of: first.id, prompt: nil) }
            try tdb.drain()

            let next = try s.executions.continuation(of: first.id, prompt: "and now the tests", by: "tester")
            #expect(next.parentExecutionId == first.id && next.sessionRef == Self.sessionId && next.status == .queued)
            #expect(next.taskId == first.taskId && next.capabilityId == first.capabilityId && next.prompt == "and now the tests")
            try tdb.drain()

            let runs = try String(contentsOfFile: tdb.path("argv.txt"), encoding: .utf8)
                .components(separatedBy: "==\n").filter { !$0.isEmpty }.map { $0.split(separator: "\n").map(String.init) }
            #expect(runs == [["-p", "--output-format", "stream-json", "Do first"],
                             ["-p", "--output-format", "stream-json", "--resume", Self.sessionId, "and now the tests"]])
            let done = try s.executions.get(next.id)
            #expect(done.status == .succeeded && done.sessionRef == Self.sessionId)
            let sessions = try s.sessions.list().filter { $0.externalSessionId == Self.sessionId }
            #expect(sessions.count == 1)
            let ss = try #require(sessions.first)
            #expect(ss.executionId == next.id && ss.status == .completed)
            #expect(try s.messages.count(sessionId: ss.id) == 10 && (try s.toolCalls.query(sessionId: ss.id)).count == 2)
            #expect(try s.messages.all(sessionId: ss.id).filter { $0.role == .user && $0.kind == .message }.map(\.content) == ["Do first", "and now the tests"])
            // Each run's usage is added to the session; the execution has its own run's.
            #expect(ss.inputTokens == 200 && abs(ss.costUsd - 0.5) < 1e-9)
            #expect(done.inputTokens == 100 && abs(done.costUsd - 0.25) < 1e-9)

            // An empty prompt means the capability's prompt again.
            let again = try s.executions.continuation(of: next.id, prompt: "")
            #expect(again.prompt == "Do first" && again.parentExecutionId == next.id)
        }
    }

    @Test("continuing is refused without a session ref or without resume flags", arguments: Backend.allCases)
    func continuationRefused(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let binary = try Self.fakeClaude(tdb)
            _ = FileManager.default.createFile(atPath: tdb.path("gate"), contents: Data())
            let noResume = try Self.agent(s, binary, slug: "no-resume", resume: false)
            let e = try s.queue(noResume, task: try s.task())
            let plain = try s.program("true", "/bin/true", ["ok"])
            let p = try s.queue(plain, task: try s.task())
            try tdb.drain()
            #expect(try s.executions.get(e.id).sessionRef == Self.sessionId)
            do { _ = try s.executions.continuation(of: e.id, prompt: nil); Issue.record("continued without resume flags") }
            catch StorageError.invalid(let m) { #expect(m.contains("resumeFlags")) }
            do { _ = try s.executions.continuation(of: p.id, prompt: nil); Issue.record("continued without a session") }
            catch StorageError.invalid(let m) { #expect(m.contains("no session")) }
            #expect(throws: StorageError.self) { try s.executions.continuation(of: 999_999, prompt: nil) }
        }
    }
}
