import Foundation
import Testing
import Core
import Storage
@testable import Importers

/// The live reader: any chunking of the bytes gives the same transcript; bad and oversized lines are counted.
@Suite struct ClaudeLiveTranscriptTests {
    @Test func chunkedBytesBadLinesAndOversizedLines() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "claude", name: "Claude", toolType: .aiAgent, binaryPath: "claude"))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "hi"))
        let task = try store.tasks.create(NewTask(title: "t"))
        let e = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))

        let file = try String(contentsOfFile: fixture("claude/stream-tools.jsonl"), encoding: .utf8)
        var lines = file.split(separator: "\n").map(String.init)
        lines.insert("not json at all", at: 2)
        lines.insert("{\"type\":\"assistant\",\"pad\":\"" + String(repeating: "x", count: 5000) + "\"}", at: 3)
        let bytes = Array((lines.joined(separator: "\n")).utf8)  // the last line has no newline: finish() reads it
        let live = try ClaudeLiveTranscript(store: store, execution: e, agent: agent, maxLineBytes: 4096)
        var i = 0, size = 1
        while i < bytes.count {  // chunks of 1, 2, 3 … bytes: lines split anywhere
            let end = min(bytes.count, i + size)
            live.feed(bytes[i..<end])
            i = end; size = size % 97 + 1
        }
        let outcome = try #require(live.finish())
        #expect(live.badLines == 1 && live.oversizedLines == 1)
        #expect(outcome.status == .completed && near(outcome.costUsd, 0.0123))
        let s = try store.sessions.get(outcome.sessionId)
        #expect(s.externalSessionId == "sess-stream-1" && s.executionId == e.id && s.taskId == task.id)
        #expect(try store.messages.count(sessionId: s.id) == 8 && (try store.toolCalls.query(sessionId: s.id)).count == 2)  // the prompt "hi" and 7 from the stream
        let run = try store.executions.get(e.id)
        #expect(run.sessionRef == "sess-stream-1" && run.inputTokens == 25 && near(run.costUsd, 0.0123))
    }

    @Test func aRunThatEndsClosesItsOpenPermissionRequest() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "claude", name: "Claude", toolType: .aiAgent, binaryPath: "claude"))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "hi"))
        let e = try store.executions.queue(.init(taskId: try store.tasks.create(NewTask(title: "t")).id, capabilityId: cap.id))
        let live = try ClaudeLiveTranscript(store: store, execution: e, agent: agent)
        live.feed(Array(try Data(contentsOf: URL(fileURLWithPath: fixture("claude/stream-permissions.jsonl")))))
        let sid = try #require(live.sessionId)
        // While the run goes on, its last request waits for a person.
        #expect(try store.toolCalls.pendingConfirmation(sessionId: sid)?.externalId == "perm:req_4")
        #expect(live.finish()?.status == .stopped)
        #expect(try store.toolCalls.pendingConfirmation(sessionId: sid) == nil)
        let closed = try #require(try store.toolCalls.find(sessionId: sid, externalId: "perm:req_4"))
        #expect(closed.decidedBy == "agentmon" && closed.decisionReason == "the run ended before an answer")
        #expect(try store.toolCalls.find(sessionId: sid, externalId: "perm:req_2")?.status == .denied)
    }

    @Test func streamJSONAgentsAreRecognised() {
        let by = { (args: [String], config: JSONValue?) in
            ClaudeLiveTranscript.speaksStreamJSON(Agent(slug: "a", name: "a", binaryPath: "a", baseArgs: args, sessionConfig: config))
        }
        #expect(by([], ["bidirectionalProtocol": "stream-json"]))
        #expect(by(["-p", "--output-format", "stream-json"], nil))
        #expect(by(["--output-format=stream-json"], nil))
        #expect(!by(["--output-format", "json"], ["bidirectionalProtocol": "tmux"]))
        #expect(!by(["stream-json"], nil))
    }
}
