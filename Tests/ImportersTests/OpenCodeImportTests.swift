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

/// Newer OpenCode versions keep the same records in `opencode.db`: built here from the storage fixture with the
/// tables of packages/opencode/src/session/session.sql.ts (the record, without its ids, in `data`).
@Suite struct OpenCodeDatabaseImportTests {
    static func makeDatabase(at path: String) throws {
        let db = try SQLiteDatabase(path: path)
        defer { db.close() }
        try db.execute("""
            CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, parent_id text, slug text, directory text NOT NULL,
                title text NOT NULL, version text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL)
            """)
        try db.execute("CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL)")
        try db.execute("CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL)")
        let root = URL(fileURLWithPath: fixture("opencode/storage"))
        let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "json" }
        for f in files {
            guard case .object(var o)? = JSONValue.parse(String(decoding: try Data(contentsOf: f), as: UTF8.self)) else { continue }
            let id = o["id"]?.stringValue ?? ""
            switch f.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent {
            case "session":
                try db.execute("INSERT INTO session VALUES (?, ?, ?, NULL, ?, ?, ?, 0, 0)", .text(id), .text(o["projectID"]?.stringValue ?? ""),
                               o["parentID"]?.stringValue.map(SQLValue.text) ?? .null, .text(o["directory"]?.stringValue ?? ""),
                               .text(o["title"]?.stringValue ?? ""), .text("1.0.0"))
            case "message":
                let session = o["sessionID"]?.stringValue ?? ""
                o["id"] = nil; o["sessionID"] = nil
                try db.execute("INSERT INTO message VALUES (?, ?, 0, 0, ?)", .text(id), .text(session), .text(JSONValue.object(o).jsonString))
            case "part":
                let message = o["messageID"]?.stringValue ?? "", session = o["sessionID"]?.stringValue ?? ""
                o["id"] = nil; o["messageID"] = nil; o["sessionID"] = nil
                try db.execute("INSERT INTO part VALUES (?, ?, ?, 0, 0, ?)", .text(id), .text(message), .text(session),
                               .text(JSONValue.object(o).jsonString))
            default: continue
            }
        }
    }

    @Test("opencode.db imports as the storage folder does, and is not changed", arguments: [false, true])
    func databaseLikeFolder(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "opencodedb") { db in
            let dir = db.path("opencode")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Self.makeDatabase(at: dir + "/opencode.db")
            let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/opencode.db"))
            let store = try db.store()
            defer { store.close() }
            let s = try Importer(store: store).run(.opencode, paths: [dir])
            #expect(s.sessions == 2 && s.toolCalls == 2 && s.skippedLines == 0)
            let fromDatabase = try BatchImportTests.Snapshot(store)
            _ = try Importer(store: store).run(.opencode, paths: [dir + "/opencode.db"])
            #expect(try BatchImportTests.Snapshot(store) == fromDatabase, "a second import changes nothing")
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/opencode.db")) == before)

            let (ref, refDir) = try tempStore()
            defer { ref.close(); try? FileManager.default.removeItem(at: refDir) }
            _ = try Importer(store: ref).run(.opencode, paths: [fixture("opencode")])
            let fromFolder = try BatchImportTests.Snapshot(ref)
            #expect(fromDatabase.sessions == fromFolder.sessions)
            #expect(fromDatabase.messages == fromFolder.messages)
            #expect(fromDatabase.calls == fromFolder.calls)
        }
    }
}
