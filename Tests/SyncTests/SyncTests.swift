import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Importers
@testable import Sync

/// `agentmon sync` in process, on both backends: a test home filled from the importer fixtures.
@Suite("Sync") struct SyncTests {
    static func sync(_ store: Store, _ home: AgentHome) throws -> SyncReport {
        try Syncer(store: store, locations: .from(environment: home.environment)).pass()
    }

    /// A fresh database of the backend and a test home filled from the fixtures.
    static func withHome(_ postgres: Bool, _ body: (Store, AgentHome) throws -> Void) throws {
        try withScratchDatabase(postgres: postgres, name: "sync") { tdb in
            let store = try tdb.store()
            defer { store.close() }
            try body(store, try AgentHome())
        }
    }

    static func messageCount(_ store: Store) throws -> Int {
        Int(try store.db.queryOne("SELECT count(*) AS n FROM messages")?.int("n") ?? -1)
    }

    @Test("the first sync imports every fixture, the second nothing, one appended line exactly one message", arguments: [false, true])
    func incremental(_ postgres: Bool) throws {
        try Self.withHome(postgres) { store, home in
            let first = try Self.sync(store, home)
            #expect(first.total.sessionsNew == AgentHome.fixtureSessions)
            #expect(first.total.messagesAdded == AgentHome.fixtureMessages)
            #expect(first.total.filesScanned == 6)  // 2 Claude, 1 Codex, 2 Gemini, OpenCode's storage
            #expect(first.skipped.isEmpty)
            #expect(try Self.messageCount(store) == AgentHome.fixtureMessages)

            let second = try Self.sync(store, home)
            #expect(second.total.filesRead == 0)
            #expect(second.total.messagesAdded == 0 && second.total.sessionsNew == 0)

            try home.append(AgentHome.claudeSession, AgentHome.claudeLine(session: "2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01", uuid: "u9",
                                                                         parent: "a3", role: "user", text: "and the FIXMEs?"))
            let third = try Self.sync(store, home)
            #expect(third.counts[.claude]?.filesRead == 1)
            #expect(third.total.messagesAdded == 1 && third.total.sessionsNew == 0)
            #expect(third.counts[.claude]?.sessionsUpdated == 1)

            try home.append(AgentHome.codexRollout, """
                {"timestamp": "2026-11-20T09:01:00.000Z", "type": "response_item", "payload": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "fix them"}]}}

                """)
            let fourth = try Self.sync(store, home)
            #expect(fourth.counts[.codex]?.filesRead == 1)
            #expect(fourth.total.messagesAdded == 1)
            #expect(try Self.messageCount(store) == AgentHome.fixtureMessages + 2)
            // The Codex session keeps its id (only the first record names it) and its usage.
            let codex = try #require(try store.sessions.find(externalSessionId: "0199a1f0-3b7e-7c31-9d8e-5a3f1c2b4d60"))
            #expect(codex.inputTokens + codex.cacheReadTokens == 5000)
            let last = try store.messages.last(sessionId: codex.id)
            #expect(last?.content == "fix them")
        }
    }

    @Test("a line being written waits for its newline; a file cut short or replaced is read again without duplicates", arguments: [false, true])
    func partialAndRewritten(_ postgres: Bool) throws {
        try Self.withHome(postgres) { store, home in
            _ = try Self.sync(store, home)
            let line = AgentHome.claudeLine(session: "2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01", uuid: "u9", parent: "a3", role: "user", text: "half")
            try home.append(AgentHome.claudeSession, String(line.dropLast(10)))
            #expect(try Self.sync(store, home).total.messagesAdded == 0)
            try home.append(AgentHome.claudeSession, String(line.suffix(10)))
            #expect(try Self.sync(store, home).total.messagesAdded == 1)

            // Rewritten shorter (a new inode, fewer bytes): read whole again, nothing written twice.
            let path = home.file(AgentHome.claudeSession)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try FileManager.default.removeItem(atPath: path)
            try text.split(separator: "\n").prefix(3).map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
            let again = try Self.sync(store, home)
            #expect(again.counts[.claude]?.filesRead == 1)
            #expect(again.total.messagesAdded == 0)
            #expect(try Self.messageCount(store) == AgentHome.fixtureMessages + 1)
        }
    }

    @Test("record by record as an agent writes them, sync stores what one import of the whole file stores", arguments: [false, true])
    func sameAsWholeImport(_ postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "sync") { tdb in
            let store = try tdb.store()
            defer { store.close() }
            let home = try AgentHome(filled: false)
            let whole = try Store.open(tdb.path("whole.db"))
            defer { whole.close() }
            for (relative, source) in [(AgentHome.claudeSession, ImportSource.claude), (AgentHome.codexRollout, .codex),
                                       (".claude/projects/-work-demo/2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01/subagents/agent-a1b2c3.jsonl", .claude)] {
                let fixture = AgentHome.fixtures.appendingPathComponent(String(relative.dropFirst())).path  // ".claude/…" → "claude/…"
                _ = try Importer(store: whole).run(source, paths: [fixture])
                for line in try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n") {
                    try home.append(relative, line + "\n")
                    _ = try Self.sync(store, home)
                }
            }
            #expect(try Self.transcripts(store) == Self.transcripts(whole))
        }
    }

    @Test("a big file is read in bounded chunks; a line longer than a chunk is one skipped line and the rest is as a whole import", arguments: [false, true])
    func chunks(_ postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "sync") { tdb in
            let store = try tdb.store()
            defer { store.close() }
            let whole = try Store.open(tdb.path("whole.db"))
            defer { whole.close() }
            let home = try AgentHome(filled: false)
            let lines = try String(contentsOf: AgentHome.fixtures.appendingPathComponent(String(AgentHome.codexRollout.dropFirst())), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let text = (lines.prefix(4) + [String(repeating: "x", count: 10_000)] + lines.dropFirst(4)).joined(separator: "\n") + "\n"
            try home.append(AgentHome.codexRollout, text)
            _ = try Importer(store: whole).run(.codex, paths: [home.file(AgentHome.codexRollout)])
            let syncer = Syncer(store: store, locations: .from(environment: home.environment))
            syncer.chunkBytes = 1024
            let r = try syncer.pass()
            #expect(r.total.skippedLines == 1)
            #expect(r.total.messagesAdded == 8)
            #expect(try Self.transcripts(store) == Self.transcripts(whole))
            #expect(try syncer.pass().total.filesRead == 0)
        }
    }

    /// Every session with its totals and its messages' external ids and contents, in order.
    static func transcripts(_ s: Store) throws -> [String] {
        var out: [String] = []
        for session in try s.sessions.list(limit: 100) {
            let messages: [String] = try s.messages.all(sessionId: session.id).map { m in "\(m.externalId ?? "-")=\(m.content)" }
            let ext = session.externalSessionId ?? "-", title = session.title ?? "-"
            let usage = "in=\(session.inputTokens) out=\(session.outputTokens) cr=\(session.cacheReadTokens) cw=\(session.cacheWriteTokens)"
            out.append("\(ext) \(title) \(usage) cost=\(session.costUsd) " + messages.joined(separator: " | "))
        }
        return out.sorted()
    }

    @Test("unreadable entries are named skips and the rest is imported; sessions stay when the agent deletes its files", arguments: [false, true])
    func skipsAndDeletes(_ postgres: Bool) throws {
        try Self.withHome(postgres) { store, home in
            let folder = home.file(".claude/projects/-work-demo/folder.jsonl")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: home.file(".codex/sessions/gone.jsonl"), withDestinationPath: "/nonexistent/x")
            #expect(mkfifo(home.file(".claude/projects/-work-demo/pipe.jsonl"), 0o600) == 0)
            let r = try Self.sync(store, home)
            let named = Dictionary(uniqueKeysWithValues: r.skipped.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.reason) })
            #expect(named == ["folder.jsonl": "is a folder", "gone.jsonl": "No such file or directory", "pipe.jsonl": "not a regular file"])
            #expect(r.total.messagesAdded == AgentHome.fixtureMessages)

            try FileManager.default.removeItem(at: home.dir.appendingPathComponent(".claude"))
            try FileManager.default.removeItem(at: home.dir.appendingPathComponent(".codex"))
            let after = try Self.sync(store, home)
            #expect(after.total.messagesAdded == 0)
            #expect(try Self.messageCount(store) == AgentHome.fixtureMessages)
            #expect(try store.sessions.list(limit: 100).count == AgentHome.fixtureSessions)
        }
    }

    @Test("CLAUDE_CONFIG_DIR (a comma-separated list), CODEX_HOME and XDG_DATA_HOME move the folders read")
    func locations() {
        let l = SyncLocations.from(environment: ["HOME": "/h", "CLAUDE_CONFIG_DIR": "/a, ~/b,,", "CODEX_HOME": "/c", "XDG_DATA_HOME": "/d"])
        #expect(l.claude == ["/h/.claude/projects", "/a/projects", "/h/b/projects"])
        #expect(l.codex == ["/c/sessions"])
        #expect(l.gemini == ["/h/.gemini/tmp"])
        #expect(l.opencode == ["/d/opencode"])
        #expect(SyncLocations.from(environment: ["HOME": "/h"]).codex == ["/h/.codex/sessions"])
        #expect(SyncLocations.from(environment: ["HOME": "/h"]).opencode == ["/h/.local/share/opencode"])
    }
}
