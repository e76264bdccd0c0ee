import Foundation
import Testing
import Core
import Storage
@testable import Importers

@Suite struct ClaudeStreamImportTests {
    @Test func toolCallsAreMatchedToResults() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.claude, paths: [fixture("claude/stream-tools.jsonl")])
        #expect(summary.sessions == 1 && summary.messages == 7 && summary.toolCalls == 2 && summary.skippedLines == 0)

        let s = try session(store, "sess-stream-1")
        #expect(s.status == .completed)
        #expect(s.title == "stream-tools", "no prompt in the stream: the file's name")
        #expect(s.overrides.model == "claude-sonnet-4-5-20250929")
        #expect(try store.agents.get(s.agentId).slug == "claude")
        let msgs = try store.messages.all(sessionId: s.id)
        #expect(msgs.map(\.kind) == [.thought, .message, .action, .observation, .action, .observation, .message])
        #expect(msgs[3].role == .tool && msgs[3].parentId == msgs[2].id)

        let calls = try store.toolCalls.query(sessionId: s.id)
        #expect(calls.map(\.externalId) == ["toolu_01", "toolu_02"])
        #expect(calls[0].toolName == "Bash" && calls[0].status == .success && calls[0].output == "README.md\nSources")
        #expect(calls[0].input.contains("\"command\" : \"ls\""))
        #expect(calls[1].status == .error && calls[1].output?.contains("File does not exist") == true)
        #expect(calls[0].messageId == msgs[2].id)

        // Tokens from the result's usage; cost is the recorded total_cost_usd.
        #expect(s.inputTokens == 25 && s.outputTokens == 12 && s.cacheReadTokens == 1500 && s.cacheWriteTokens == 100)
        #expect(near(s.costUsd, 0.0123))
        // Usage repeated on three blocks of msg_01 is put on its first message only.
        #expect(msgs[0].outputTokens == 3 && msgs[1].outputTokens == 0 && msgs[2].outputTokens == 0)
    }

    /// A stream read with `--input-format stream-json` holds the person's messages: the first is the title.
    @Test func theFirstRequestInTheStreamIsTheTitle() throws {
        let (store, dir) = try tempStore()
        defer { store.close() }
        let file = dir.appendingPathComponent("run.jsonl")
        try """
            {"type":"system","subtype":"init","session_id":"sess-in","model":"claude-sonnet-4-5","cwd":"/w"}
            {"type":"user","message":{"role":"user","content":[{"type":"text","text":"<system-reminder>x</system-reminder>"}]},"session_id":"sess-in"}
            {"type":"user","message":{"role":"user","content":"Rename the retry helper"},"session_id":"sess-in"}
            {"type":"assistant","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"Done."}]},"session_id":"sess-in"}
            """.write(to: file, atomically: true, encoding: .utf8)
        _ = try Importer(store: store).run(.claude, paths: [file.path])
        #expect(try session(store, "sess-in").title == "Rename the retry helper")
    }

    @Test func interruptedRunIsStoppedWithItsCallPending() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.claude, paths: [fixture("claude/stream-interrupted.jsonl")])
        #expect(summary.skippedLines == 1)  // the npm warning printed around the JSON
        let s = try session(store, "sess-stream-2")
        #expect(s.status == .stopped)
        let calls = try store.toolCalls.query(sessionId: s.id)
        #expect(calls.count == 1 && calls[0].status == .pending && calls[0].output == nil)
        // No recorded cost: computed with the price table (claude-sonnet-4: $3 in, $15 out per Mtok).
        #expect(s.inputTokens == 40 && s.outputTokens == 7)
        let expected: Double = (120.0 + 105.0) / 1_000_000
        #expect(near(s.costUsd, expected))
    }

    @Test func errorResultFailsTheSession() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.claude, paths: [fixture("claude/stream-error.jsonl")])
        #expect(summary.messages == 2)
        let s = try session(store, "sess-stream-3")
        #expect(s.status == .failed)
        #expect(near(s.costUsd, 0.5))
        let last = try #require(try store.messages.last(sessionId: s.id))
        #expect(last.role == .system && last.content == "error_max_turns")
    }
}
