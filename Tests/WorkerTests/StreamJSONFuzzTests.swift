import Foundation
import Testing
import Core
import Storage
import Importers
import FuzzCorpus
@testable import Worker

/// The stream-json conversation fed what a broken or hostile Claude could print, without a process: mutated
/// sessions (FuzzCorpus's TranscriptMutator over a session in the stand-in's shapes, with permission
/// requests) in random chunks, with people's messages and interrupts in between, and approval rules that
/// answer some requests. Nothing may crash, and everything written to the agent is one JSON object per line
/// of the three kinds the SDK writes.
@Suite("Worker: stream-json conversation under hostile input") struct StreamJSONFuzzTests {
    static let cases = 150
    static let baseSeed = SeededRandom.baseSeed(fallback: 0x57E3_A4_2026, environment: ProcessInfo.processInfo.environment)

    static let session = #"""
    {"type":"system","subtype":"init","cwd":"/w","session_id":"sess-fuzz","tools":["Bash","Read"],"mcp_servers":[],"model":"claude-sonnet-4-5-20250929","permissionMode":"default","apiKeySource":"none"}
    {"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"I need Bash."},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"rm -rf build"}}],"stop_reason":"tool_use","usage":{"input_tokens":12,"output_tokens":7}},"parent_tool_use_id":null,"session_id":"sess-fuzz","uuid":"u-1"}
    {"type":"control_request","request_id":"req-1","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"rm -rf build"},"tool_use_id":"toolu_1","permission_suggestions":[{"type":"addRules","rules":[{"toolName":"Bash","ruleContent":"rm:*"}],"behavior":"allow","destination":"localSettings"}]}}
    {"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Permission denied","is_error":true}]},"parent_tool_use_id":null,"session_id":"sess-fuzz","uuid":"u-2"}
    {"type":"assistant","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"tool_use","id":"toolu_2","name":"Read","input":{"file_path":"README.md"}}],"stop_reason":"tool_use","usage":{"input_tokens":12,"output_tokens":7}},"parent_tool_use_id":null,"session_id":"sess-fuzz","uuid":"u-3"}
    {"type":"control_request","request_id":"req-2","request":{"subtype":"can_use_tool","tool_name":"Read","input":{"file_path":"README.md"},"tool_use_id":"toolu_2"}}
    {"type":"control_request","request_id":"req-3","request":{"subtype":"can_use_tool","tool_name":"Edit","input":{"file_path":"a.txt"},"tool_use_id":"toolu_3"}}
    {"type":"control_response","response":{"subtype":"success","request_id":"agentmon_interrupt_1_1","response":{}}}
    {"type":"control_cancel_request","request_id":"req-3"}
    {"type":"control_cancel_request","request_id":12345}
    {"type":"result","subtype":"error_during_execution","is_error":true,"result":"Interrupted","session_id":"sess-fuzz","total_cost_usd":0.01,"usage":{"input_tokens":40,"output_tokens":20}}
    {"type":"assistant","message":{"id":"msg_3","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"You said: more"}],"stop_reason":"end_turn","usage":{"input_tokens":12,"output_tokens":7}},"parent_tool_use_id":null,"session_id":"sess-fuzz","uuid":"u-4"}
    {"type":"result","subtype":"success","is_error":false,"result":"Done","session_id":"sess-fuzz","total_cost_usd":0.0125,"usage":{"input_tokens":40,"output_tokens":20}}
    """#

    @Test("mutated Claude output never crashes the conversation; every line written is one SDK message")
    func mutatedSessions() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let p = AgentPresets.claude
            let agent = try s.agents.create(Agent(slug: "claude-fuzz", name: "Claude", toolType: .aiAgent, binaryPath: "claude",
                                                  baseArgs: p.baseArgs, sessionConfig: p.sessionConfig))
            let cap = try s.agents.addCapability(Capability(agentId: agent.id, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "{{task_title}}"))
            _ = try s.rules.add(agentId: nil, toolName: "Read", match: nil, decision: .allow)
            _ = try s.rules.add(agentId: nil, toolName: "Bash", match: "rm -rf", decision: .deny)
            let task = try s.task("go")
            var answered = 0, opened = 0
            for i in 0..<Self.cases {
                let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
                var rng = SeededRandom(seed: seed)
                // A session of its own per case: a request id already stored in a session is a replay, not news.
                let mutator = TranscriptMutator(seed: Array(Self.session.replacingOccurrences(of: "sess-fuzz", with: "sess-fuzz-\(i)").utf8))
                let (bytes, mutations) = mutator.generate(&rng)
                let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(mutations))"
                let e = try s.queue(cap, task: task)
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { Issue.record("pipe failed"); return }
                let reader = PipeReader(fd: fds[0])
                let input = AgentInput(fd: fds[1])
                guard let c = StreamJSONConversation.start(ConversationContext(connection: tdb.url, execution: e, agent: agent,
                                                                             input: input, report: { _ in })) else {
                    Issue.record("\(replay): no conversation"); return
                }
                c.started()
                var offset = 0
                while offset < bytes.count {
                    let n = min(bytes.count - offset, 1 + rng.below(rng.chance(20) ? 4096 : 64))
                    c.received(bytes[offset..<(offset + n)])
                    offset += n
                    if rng.chance(3) {
                        let kind: ExecutionInput.Kind = rng.chance(70) ? .message : .interrupt
                        _ = c.deliver(ExecutionInput(id: ID(i * 1000 + offset), executionId: e.id, kind: kind,
                                                     body: rng.pick(["more", "", "\u{1B}]2;x\u{07}", "line\nbreak"]), sentBy: "fuzz"))
                    }
                }
                c.finish()  // every queued byte parsed (rules answer as they parse), then the input ends
                input.close()
                let written = reader.finish()
                #expect(!written.isEmpty, "\(replay): the prompt was not written")
                for line in written {
                    let v = JSONParser.parse(Array(line.utf8))
                    let type = v?["type"]?.stringValue
                    #expect(["user", "control_request", "control_response"].contains(type), "\(replay): wrote \(line)")
                    if type == "control_response" { answered += 1 }
                }
                if try s.sessions.list().contains(where: { $0.executionId == e.id }) { opened += 1 }
            }
            print("stream-json fuzz: \(Self.cases) cases, \(opened) opened a session, \(answered) requests answered by rules")
            #expect(opened > Self.cases / 2, "only \(opened) cases reached a session")
            #expect(answered > Self.cases / 2, "the rules answered only \(answered) times: the fuzzer does not reach them")
        }
    }
}

/// Reads a pipe to its end on a thread: what the agent would have read on its stdin.
final class PipeReader: @unchecked Sendable {
    private let fd: Int32
    private let bytes = Locked([UInt8]())
    private let done = DispatchSemaphore(value: 0)

    init(fd: Int32) {
        self.fd = fd
        let (bytes, done) = (bytes, done)
        Thread {
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fd, &buf, buf.count)
                if n <= 0 { break }
                bytes.with { $0.append(contentsOf: buf[0..<n]) }
            }
            done.signal()
        }.start()
    }

    /// Waits for the end of input (the writer closed) and returns the lines written.
    func finish() -> [String] {
        done.wait()
        close(fd)
        return bytes.get.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }
}
