import Foundation
import Testing
import Core
import Storage
@testable import Importers

@Suite struct CodexImportTests {
    @Test func execJSONWithAFailedTurn() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.codex, paths: [fixture("codex/exec-failed.jsonl")])
        #expect(summary.sessions == 1 && summary.messages == 7 && summary.toolCalls == 2 && summary.skippedLines == 0)
        let s = try session(store, "0199a213-81c0-7800-8aa1-bbab2a035a53")
        #expect(s.status == .failed)
        #expect(s.title == "exec-failed", "no prompt in the output: the file's name")
        #expect(try store.agents.get(s.agentId).slug == "codex")
        let calls = try store.toolCalls.query(sessionId: s.id)
        #expect(calls.map(\.status) == [.success, .error])
        #expect(calls[0].input == "bash -lc ls" && calls[0].output == "README.md\nSources\n")
        let msgs = try store.messages.all(sessionId: s.id)
        #expect(msgs.first?.kind == .thought)
        #expect(msgs.last?.role == .system && msgs.last?.content == "stream disconnected before completion")
        #expect(s.inputTokens == 200 && s.cacheReadTokens == 1000 && s.outputTokens == 80)
    }

    @Test func rolloutWithFunctionCalls() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.codex, paths: [fixture("codex/sessions")])
        #expect(summary.sessions == 1 && summary.messages == 8 && summary.toolCalls == 2 && summary.skippedLines == 0)
        let s = try session(store, "0199a1f0-3b7e-7c31-9d8e-5a3f1c2b4d60")
        #expect(s.title == "List the files and run the tests" && s.overrides.model == "gpt-5-codex")
        let calls = try store.toolCalls.query(sessionId: s.id)
        #expect(calls.map(\.externalId) == ["call_1", "call_2"])
        #expect(calls[0].status == .success && calls[0].output == "README.md\nSources\n")
        #expect(calls[1].status == .error && calls[1].input.contains("swift test"))
        // The last cumulative token_count wins; cost from the gpt-5 price ($1.25 in, $10 out, $0.125 cached).
        #expect(s.inputTokens == 1000 && s.cacheReadTokens == 4000 && s.outputTokens == 300)
        let expected: Double = (1250.0 + 3000.0 + 500.0) / 1_000_000
        #expect(near(s.costUsd, expected))
    }
}
