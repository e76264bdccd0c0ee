import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Importers

/// `agentmon import opencode`: OpenCode's storage folder (see the fixtures' README), on both backends.
@Suite struct OpenCodeImportTests {
    static let main = "ses_6a1f0c2e3ffe4Qz8Xk2mVb7RtN", sub = "ses_6a1f0b9d1ffeH3pL0sWq5YcJdE"

    @Test("OpenCode storage: sessions, sub-agents, tool calls, recorded cost else the price table; idempotent", arguments: [false, true])
    func storage(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "opencode") { db in
            let store = try db.store()
            defer { store.close() }
            let summary = try Importer(store: store).run(.opencode, paths: [fixture("opencode")])
            #expect(summary.files == 2 && summary.sessions == 2)
            #expect(summary.toolCalls == 2 && summary.skippedLines == 0)

            let main = try session(store, Self.main)
            #expect(main.title == "Why does the cart total ignore discounts?" && main.status == .completed)
            let msgs = try store.messages.all(sessionId: main.id)
            let kinds: [MessageKind] = msgs.map(\.kind)
            let expected: [MessageKind] = [.message, .thought, .action, .observation, .action, .observation, .message]
            #expect(kinds == expected, "the synthetic text OpenCode wrote is left out")
            #expect(main.inputTokens == 1200 && main.outputTokens == 350)
            #expect(main.cacheReadTokens == 8000 && main.cacheWriteTokens == 400)
            #expect(near(main.costUsd, 0.0123))
            let task = try #require(try store.toolCalls.find(sessionId: main.id, externalId: "toolu_01OpenCodeTask"))
            #expect(task.toolName == "task" && task.status == .success && task.output == "cart.test.ts: 3 tests")
            let bash = try #require(try store.toolCalls.find(sessionId: main.id, externalId: "toolu_01OpenCodeBash"))
            #expect(bash.status == .error && bash.output == "Error: 1 test failed")

            let children = try store.sessions.children(of: main.id)
            #expect(children.count == 1 && children.first?.toolCallId == task.id)
            let sub = try session(store, Self.sub)
            #expect(sub.title == "List the tests that cover cart totals")
            #expect(try store.messages.count(sessionId: sub.id) == 2)
            #expect(near(sub.costUsd, (1000.0 * 1 + 200.0 * 5) / 1_000_000), "no recorded cost: the price table's")

            let once = try Counts(store)
            _ = try Importer(store: store).run(.opencode, paths: [fixture("opencode/storage")])
            #expect(try Counts(store) == once)
        }
    }

    @Test func aFolderWithoutStorageImportsNothing() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        #expect(try Importer(store: store).run(.opencode, paths: [fixture("claude")]).sessions == 0)
        #expect(throws: ImportError.self) { try Importer(store: store).run(.opencode, paths: ["/nonexistent/opencode"]) }
    }
}
