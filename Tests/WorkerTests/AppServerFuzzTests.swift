import Foundation
import Testing
import Core
import Storage
import Importers
import FuzzCorpus
@testable import Worker

/// The app-server client fed what a broken or hostile server could print, without a process: mutated
/// sessions (FuzzCorpus's TranscriptMutator over recorded-shape seeds) in random chunks, with people's
/// messages and interrupts in between. Nothing may crash, the client's counters stay sane, everything it
/// writes back is one JSON-RPC message per line, and requests it does not serve get "method not found".
@Suite("Worker: Codex app-server client under hostile input") struct AppServerFuzzTests {
    static let cases = 400
    static let baseSeed = SeededRandom.baseSeed(fallback: 0xC0DE_A5E7_2026, environment: ProcessInfo.processInfo.environment)

    /// A session as the client sees it when its requests are numbered from 0 (initialize, thread/start,
    /// turn/start), in the shapes of the app-server README and v2 protocol types.
    static let session = #"""
    {"id":0,"result":{"userAgent":"codex_vscode/0.1.0","codexHome":"/home/u/.codex","platformFamily":"unix","platformOs":"linux"}}
    {"id":1,"result":{"thread":{"id":"thr_fuzz","preview":"","ephemeral":false,"modelProvider":"openai","createdAt":1730910000,"status":{"type":"idle"},"path":null,"cwd":"/w","turns":[]},"model":"gpt-5.1-codex","modelProvider":"openai","cwd":"/w","approvalPolicy":"untrusted","sandbox":{"type":"readOnly"},"reasoningEffort":null}}
    {"method":"thread/started","params":{"thread":{"id":"thr_fuzz","preview":"","status":{"type":"idle"}}}}
    {"id":2,"result":{"turn":{"id":"turn_1","items":[],"status":"inProgress","error":null}}}
    {"method":"turn/started","params":{"threadId":"thr_fuzz","turn":{"id":"turn_1","items":[],"status":"inProgress","error":null}}}
    {"method":"item/started","params":{"item":{"type":"userMessage","id":"u1","clientId":null,"content":[{"type":"text","text":"go"}]},"threadId":"thr_fuzz","turnId":"turn_1","startedAtMs":1}}
    {"method":"item/completed","params":{"item":{"type":"reasoning","id":"rs_1","summary":["Looking at the tree."],"content":[]},"threadId":"thr_fuzz","turnId":"turn_1","completedAtMs":2}}
    {"method":"item/started","params":{"item":{"type":"commandExecution","id":"call_1","command":"ls -la","cwd":"/w","processId":null,"source":"agent","status":"inProgress","commandActions":[{"type":"listFiles","command":"ls -la","path":null}],"aggregatedOutput":null,"exitCode":null,"durationMs":null},"threadId":"thr_fuzz","turnId":"turn_1","startedAtMs":3}}
    {"id":0,"method":"item/commandExecution/requestApproval","params":{"threadId":"thr_fuzz","turnId":"turn_1","itemId":"call_1","startedAtMs":4,"reason":"needs approval","command":"ls -la","cwd":"/w","commandActions":[{"type":"unknown","command":"ls -la"}]}}
    {"method":"serverRequest/resolved","params":{"threadId":"thr_fuzz","requestId":0}}
    {"method":"item/commandExecution/outputDelta","params":{"threadId":"thr_fuzz","turnId":"turn_1","itemId":"call_1","delta":"total 0\n"}}
    {"method":"item/completed","params":{"item":{"type":"commandExecution","id":"call_1","command":"ls -la","cwd":"/w","processId":null,"source":"agent","status":"completed","commandActions":[],"aggregatedOutput":"total 0\n","exitCode":0,"durationMs":12},"threadId":"thr_fuzz","turnId":"turn_1","completedAtMs":5}}
    {"method":"item/started","params":{"item":{"type":"fileChange","id":"call_2","changes":[{"path":"/w/a.txt","kind":{"type":"update","move_path":null},"diff":"@@ -1 +1 @@\n-a\n+b\n"}],"status":"inProgress"},"threadId":"thr_fuzz","turnId":"turn_1","startedAtMs":6}}
    {"id":1,"method":"item/fileChange/requestApproval","params":{"threadId":"thr_fuzz","turnId":"turn_1","itemId":"call_2","startedAtMs":7,"reason":null,"grantRoot":null}}
    {"method":"item/completed","params":{"item":{"type":"fileChange","id":"call_2","changes":[],"status":"declined"},"threadId":"thr_fuzz","turnId":"turn_1","completedAtMs":8}}
    {"method":"item/completed","params":{"item":{"type":"mcpToolCall","id":"mcp_1","server":"docs","tool":"search","status":"completed","arguments":{"q":"x"},"result":{"content":[{"type":"text","text":"found"}]},"error":null,"durationMs":3},"threadId":"thr_fuzz","turnId":"turn_1","completedAtMs":9}}
    {"id":2,"method":"item/tool/requestUserInput","params":{"threadId":"thr_fuzz","turnId":"turn_1","itemId":"q1","questions":[]}}
    {"method":"turn/plan/updated","params":{"threadId":"thr_fuzz","turnId":"turn_1","explanation":null,"plan":[{"step":"look","status":"completed"}]}}
    {"method":"item/agentMessage/delta","params":{"threadId":"thr_fuzz","turnId":"turn_1","itemId":"msg_1","delta":"Done"}}
    {"method":"item/completed","params":{"item":{"type":"agentMessage","id":"msg_1","text":"Done.","phase":null,"memoryCitation":null},"threadId":"thr_fuzz","turnId":"turn_1","completedAtMs":10}}
    {"method":"thread/tokenUsage/updated","params":{"threadId":"thr_fuzz","turnId":"turn_1","tokenUsage":{"total":{"totalTokens":1050,"inputTokens":1000,"cachedInputTokens":200,"outputTokens":50,"reasoningOutputTokens":10},"last":{"totalTokens":1050,"inputTokens":1000,"cachedInputTokens":200,"outputTokens":50,"reasoningOutputTokens":10},"modelContextWindow":272000}}}
    {"method":"error","params":{"error":{"message":"stream disconnected","codexErrorInfo":"other","additionalDetails":null},"willRetry":true,"threadId":"thr_fuzz","turnId":"turn_1"}}
    {"method":"turn/completed","params":{"threadId":"thr_fuzz","turn":{"id":"turn_1","items":[],"status":"completed","error":null}}}
    {"method":"turn/failed","params":{"threadId":"thr_fuzz","turnId":"turn_1","error":{"message":"late"}}}
    {"method":"turn/completed","params":{"threadId":"thr_fuzz","turn":{"id":"turn_2","items":[],"status":"failed","error":{"message":"usage limit","codexErrorInfo":"usageLimitExceeded","additionalDetails":null}}}}
    """#

    /// The client on a pipe whose other end is read to the end on a thread (what the agent would read).
    final class Harness: @unchecked Sendable {
        let client: AppServerClient
        let input: AgentInput
        private let readFD: Int32
        private let output = Locked([UInt8]())
        private let finished = DispatchSemaphore(value: 0)

        init(store: Store, execution: Execution, agent: Agent) throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw WorkerError("pipe failed") }
            readFD = fds[0]
            input = AgentInput(fd: fds[1])
            let transcript = try CodexAppServerTranscript(store: store, execution: execution, agent: agent)
            client = AppServerClient(execution: execution, agent: agent, input: input, transcript: transcript, store: store, report: { _ in })
            let (fd, output, finished) = (readFD, output, finished)
            Thread {
                var buf = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = read(fd, &buf, buf.count)
                    if n <= 0 { break }
                    output.with { $0.append(contentsOf: buf[0..<n]) }
                }
                finished.signal()
            }.start()
        }

        /// Ends the input and returns every line the client wrote.
        func close() -> [String] {
            input.close()
            finished.wait()
            Foundation.close(readFD)
            return output.get.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    static func fixture(_ s: Store) throws -> (Agent, Capability, TaskItem) {
        let a = try s.agents.create(Agent(slug: "codex-fuzz", name: "Codex", toolType: .aiAgent, binaryPath: "codex", baseArgs: ["app-server"],
                                          sessionConfig: ["bidirectionalProtocol": "app-server"]))
        let c = try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "{{task_title}}"))
        return (a, c, try s.task("go"))
    }

    @Test("mutated server output never crashes the client; state stays sane and every reply is one JSON-RPC line")
    func mutatedSessions() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let (agent, cap, task) = try Self.fixture(s)
            let mutator = TranscriptMutator(seed: Array(Self.session.utf8))
            var sessions = 0, unknownAnswered = 0
            for i in 0..<Self.cases {
                let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
                var rng = SeededRandom(seed: seed)
                let (bytes, mutations) = mutator.generate(&rng)
                let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(mutations))"
                let e = try s.queue(cap, task: task)
                let h = try Harness(store: s, execution: e, agent: agent)
                h.client.start()
                var offset = 0, messages = 0, inputs = 0
                while offset < bytes.count {
                    let n = min(bytes.count - offset, 1 + rng.below(rng.chance(20) ? 4096 : 64))
                    h.client.feed(bytes[offset..<(offset + n)])
                    offset += n
                    if rng.chance(3) {
                        let kind: ExecutionInput.Kind = rng.chance(70) ? .message : .interrupt
                        if kind == .message { messages += 1 }
                        inputs += 1
                        _ = h.client.deliver(ExecutionInput(id: ID(i * 100 + offset), executionId: e.id, kind: kind,
                                                            body: rng.pick(["more", "", "\u{1B}]2;x\u{07}"]), sentBy: "fuzz"))
                    }
                }
                h.client.flushPartial()
                let state = h.client.snapshot
                #expect(state.turnsOwed >= 0 && state.steersInFlight >= 0 && state.queued.count <= messages, "\(replay): \(state)")
                #expect(state.pending.count <= state.nextId && state.nextId <= 3 + 4 * inputs, "\(replay): \(state.nextId) requests for \(inputs) inputs")
                let outcome = try h.client.transcript?.finish()
                if outcome != nil { sessions += 1 }
                let written = h.close()
                for line in written {
                    let v = JSONValue.parse(line)
                    #expect(v?.objectValue != nil && (v?["method"] != nil || v?["id"] != nil), "\(replay): wrote \(line)")
                    if v?["error"]?["code"] == .number(-32601) { unknownAnswered += 1 }
                }
            }
            print("app-server fuzz: \(Self.cases) cases, \(sessions) opened a session, \(unknownAnswered) unknown requests answered -32601")
            // Most cases get past the handshake: the fuzzer reaches the transcript and the turn logic.
            #expect(sessions > Self.cases / 2, "only \(sessions) cases opened a session")
            #expect(unknownAnswered > Self.cases / 4)
        }
    }

    @Test("unknown requests get method-not-found with their id, unknown notifications and garbage are skipped, an oversized line is dropped")
    func edges() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let (agent, cap, task) = try Self.fixture(s)
            let h = try Harness(store: s, execution: try s.queue(cap, task: task), agent: agent)
            h.client.start()
            // Before any thread there is no session to hold an approval: it is declined, never left waiting.
            h.client.feed(Array(#"{"id":5,"method":"item/commandExecution/requestApproval","params":{"itemId":"c","threadId":"t","turnId":"u"}}"#.utf8) + [0x0A])
            h.client.feed(Array(#"{"id":7,"method":"item/tool/requestUserInput","params":{}}"#.utf8) + [0x0A])
            h.client.feed(Array(#"{"id":"abc","method":"mcpServer/elicitation/request"}"#.utf8) + [0x0A])
            h.client.feed(Array(#"{"method":"some/new/notification","params":{"x":1}}"#.utf8) + [0x0A])
            h.client.feed(Array("not json\n[1,2]\n\n".utf8))
            h.client.feed([UInt8](repeating: UInt8(ascii: "x"), count: AppServerClient.maxLineBytes + 10) + [0x0A])
            // After all that, the handshake still goes on.
            h.client.feed(Array(#"{"id":0,"result":{"userAgent":"x"}}"#.utf8) + [0x0A])
            #expect(h.client.badLines == 2 && h.client.oversizedLines == 1)
            let written = h.close().compactMap { JSONValue.parse($0) }
            #expect(written.contains(["id": 5, "result": ["decision": "decline"]]))
            #expect(written.contains { $0["id"] == 7 && $0["error"]?["code"] == -32601 })
            #expect(written.contains { $0["id"] == "abc" && $0["error"]?["code"] == -32601 })
            #expect(written.map { $0["method"]?.stringValue } == ["initialize", nil, nil, nil, "initialized", "thread/start"])
        }
    }
}
