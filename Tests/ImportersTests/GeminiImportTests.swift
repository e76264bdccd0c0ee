import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Importers

/// `agentmon import gemini`: Gemini CLI chats, the older whole-JSON files and the newer JSONL ones (see the
/// fixtures' README for where the format comes from), on both backends.
@Suite struct GeminiImportTests {
    @Test("Gemini chats: messages, tool calls, usage once per message, cost from the price table; idempotent", arguments: [false, true])
    func chats(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "gemini") { db in
            let store = try db.store()
            defer { store.close() }
            let summary = try Importer(store: store).run(.gemini, paths: [fixture("gemini")])
            #expect(summary.files == 3 && summary.sessions == 2)
            #expect(summary.toolCalls == 3)
            #expect(summary.skippedLines == 1, "logs.json is not a chat")

            let old = try session(store, "3f2a9c1e-7b6d-4e5f-9a8b-1c2d3e4f5a6b")
            #expect(old.title == "Add a --verbose flag to the CLI" && old.status == .completed)
            let msgs = try store.messages.all(sessionId: old.id)
            let kinds: [MessageKind] = msgs.map(\.kind)
            let expected: [MessageKind] = [.message, .thought, .action, .observation, .message, .action, .observation, .message]
            #expect(kinds == expected)
            #expect(msgs[1].content == "Locating the argument parser: I'll look for where the flags are declared.")
            #expect(msgs.last?.role == .system && msgs.last?.content == "Request cancelled.")
            let read = try #require(try store.toolCalls.find(sessionId: old.id, externalId: "read_file-1763892010000-a1b2c3d4e5f6"))
            #expect(read.toolName == "read_file" && read.status == .success && read.output == "const args = parse(process.argv);")
            let shell = try #require(try store.toolCalls.find(sessionId: old.id, externalId: "run_shell_command-1763892050000-0f9e8d7c6b5a"))
            #expect(shell.status == .error && shell.output == "1 test failed: cli.verbose")
            // input excludes the cached part; thoughts are output.
            #expect(old.inputTokens == 4600)
            #expect(old.outputTokens == 490 && old.cacheReadTokens == 20000)
            let price: Double = 4600 * 1.25 + 490 * 10 + 20000 * 0.31
            #expect(near(old.costUsd, price / 1_000_000))

            let new = try session(store, "8d7e6f5a-4b3c-4d2e-9f1a-0b9c8d7e6f5a")
            #expect(new.title == "Why is the build slow?")
            let texts = try store.messages.all(sessionId: new.id).map(\.content)
            #expect(!texts.contains("never mind, try again"), "the rewound message is gone")
            #expect(texts.count == 5)
            let glob = try #require(try store.toolCalls.find(sessionId: new.id, externalId: "glob-1763982004000-aa11"))
            #expect(glob.status == .success && glob.output == "Found 120 matching file(s)")
            // e2's record was written three times: its tokens counted once.
            #expect(new.inputTokens == 7000)
            #expect(new.outputTokens == 60 && new.cacheReadTokens == 4000)

            let once = try Counts(store)
            let again = try Importer(store: store).run(.gemini, paths: [fixture("gemini")])
            #expect(again.sessions == 2)
            #expect(try Counts(store) == once)
        }
    }

    @Test func notAChatCreatesNothing() throws {
        let (store, dir) = try tempStore()
        defer { store.close() }
        let claude = fixture("claude/stream-tools.jsonl")
        let s = try Importer(store: store).run(.gemini, paths: [claude, fixture("codex")])
        #expect(s.sessions == 0 && s.messages == 0 && s.skippedLines > 0)
        let junk = dir.appendingPathComponent("x.json").path
        try #"{"sessionId": "x", "messages": "not a list"}"#.write(toFile: junk, atomically: true, encoding: .utf8)
        #expect(try Importer(store: store).run(.gemini, paths: [junk]).sessions == 0)
    }
}
