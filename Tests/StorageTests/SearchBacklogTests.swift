import Foundation
import Testing
import Core
@testable import Storage

/// Migration 019 (Schema019SearchBacklog.swift, SearchBacklog.swift): rows an import writes wait for their
/// search index entries, and the index made later is the index the triggers would have made.
@Suite("Search: the index built behind imports (migration 019)") struct SearchBacklogTests {
    /// An agent and a session to write into.
    static func session(_ s: Store, _ title: String) throws -> ID {
        let agent = try s.agents.find(slug: "claude") ?? s.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        return try s.sessions.create(Session(title: title, agentId: agent.id)).id
    }

    /// Words found by the index itself (no catch-up first, as `SearchRepository` would do).
    static func indexed(_ db: Database, _ table: String, _ word: String) throws -> Int64 {
        try db.queryOne("SELECT count(*) AS n FROM \(table)_fts WHERE \(table)_fts MATCH ?", .text(word))?.int("n") ?? -1
    }

    static func integrityCheck(_ db: Database) throws {
        try db.executeScript("""
            INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check');
            INSERT INTO tool_calls_fts (tool_calls_fts) VALUES ('integrity-check');
            """)
    }

    /// A deferred batch's messages and one tool use, in a transaction as `Importer` holds one.
    static func importBatch(_ s: Store, session: ID, words: [String], tool: (input: String, output: String)?, key: String) throws {
        try s.db.transaction {
            let batch = TranscriptBatch(db: s.db, flushRows: 2, deferSearch: true)
            for (i, w) in words.enumerated() {
                _ = try batch.append(Message(sessionId: session, role: .assistant, content: "about the \(w)", externalId: "\(key)-\(i)"))
            }
            if let tool {
                try SearchOnceTests.toolUse(s, session: session, batch: batch, name: "Bash", input: tool.input, output: tool.output, key: key)
            }
            try batch.flush()
        }
    }

    @Test("an import's rows wait for the index, and a search indexes them first and finds them", arguments: Backend.allCases)
    func searchCatchesUp(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let session = try Self.session(s, "imported")
            try Self.importBatch(s, session: session, words: ["platypus", "quokka", "numbat"], tool: ("grep wombat", "wombat.txt"), key: "a")
            if s.db.dialect == .sqlite {
                #expect(try Self.indexed(s.db, "messages", "platypus") == 0 && Self.indexed(s.db, "tool_calls", "wombat") == 0)
                #expect(try !s.searchBacklog.isEmpty() && s.searchBacklog.waitingRows() == 4)
            } else {
                #expect(try s.searchBacklog.isEmpty(), "PostgreSQL indexes as it writes")
            }
            let hits = try s.search.search(SearchQuery("platypus"), limit: 10)
            #expect(hits.map(\.kind) == [.message] && hits.first?.sessionId == session)
            #expect(try s.search.search(SearchQuery("wombat"), limit: 10).map(\.kind) == [.toolOutput])
            #expect(try s.searchBacklog.isEmpty() && s.searchBacklog.waitingRows() == 0)
            if s.db.dialect == .sqlite {
                #expect(try Self.indexed(s.db, "messages", "quokka") == 1 && Self.indexed(s.db, "tool_calls", "wombat") == 1)
                try Self.integrityCheck(s.db)
            }
        }
    }

    @Test("a search with a time bound indexes a stretch at least, answers from the index as it stands, and says so")
    func boundedSearch() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let a = try Self.session(s, "a"), b = try Self.session(s, "b")
            try Self.importBatch(s, session: a, words: ["platypus"], tool: nil, key: "a")
            try Self.importBatch(s, session: b, words: ["platypus"], tool: nil, key: "b")
            let first = try s.search.search(SearchQuery("platypus"), limit: 10, indexingFor: 0)
            #expect(!first.complete && first.hits.count == 1, "one stretch (session a's messages) indexed before the answer")
            let all = try s.search.search(SearchQuery("platypus"), limit: 10, indexingFor: nil)
            #expect(all.complete && Set(all.hits.map(\.sessionId)) == [a, b])
            #expect(try s.search.search(SearchQuery("platypus"), limit: 10, indexingFor: 0).complete)
        }
    }

    @Test("waiting rows may be changed, completed, added to and deleted: the index made later is the index the triggers make")
    func changesWhileWaiting() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let session = try Self.session(s, "busy"), other = try Self.session(s, "gone")
            try Self.importBatch(s, session: session, words: ["platypus", "quokka", "numbat", "bilby"], tool: ("grep wombat", "bandicoot.txt"), key: "a")
            try Self.importBatch(s, session: other, words: ["dingo"], tool: ("ls emu", "emu.txt"), key: "b")
            // A written row changed by hand, a call completed again, a live message into the waiting session, one deleted,
            // and a whole session deleted (its rows go by cascade) — all before the index is made.
            let quokka = try #require(try s.db.queryOne("SELECT id FROM messages WHERE content = 'about the quokka'")?.int("id"))
            _ = try s.db.execute("UPDATE messages SET content = 'about the kangaroo' WHERE id = ?", .int(quokka))
            _ = try s.db.execute("DELETE FROM messages WHERE content = 'about the numbat'")
            let call = try #require(try s.db.queryOne("SELECT id FROM tool_calls WHERE session_id = ?", .int(session))?.int("id"))
            try s.toolCalls.complete(call, output: "koala.txt", status: .success)
            _ = try s.messages.append(Message(sessionId: session, role: .user, content: "and the echidna"))
            #expect(try Self.indexed(s.db, "messages", "echidna") == 0, "a live row of a waiting session waits too")
            try s.sessions.delete(other)
            #expect(try s.searchBacklog.catchUp())
            #expect(try s.searchBacklog.isEmpty())
            try Self.integrityCheck(s.db)
            for (word, n) in [("platypus", 1), ("kangaroo", 1), ("quokka", 0), ("numbat", 0), ("echidna", 1), ("bilby", 1), ("dingo", 0)] {
                #expect(try Self.indexed(s.db, "messages", word) == Int64(n), "\(word)")
            }
            #expect(try Self.indexed(s.db, "tool_calls", "koala") == 1 && Self.indexed(s.db, "tool_calls", "bandicoot") == 0)
            #expect(try Self.indexed(s.db, "tool_calls", "wombat") == 1)
            #expect(try Self.indexed(s.db, "tool_calls", "emu") == 0)
            // Indexed now: a change goes through the triggers again, and the index stays whole.
            _ = try s.db.execute("UPDATE messages SET content = 'about the wallaby' WHERE id = ?", .int(quokka))
            try s.sessions.delete(session)
            try Self.integrityCheck(s.db)
            #expect(try Self.indexed(s.db, "messages", "wallaby") == 0 && Self.indexed(s.db, "messages", "platypus") == 0)
        }
    }

    @Test("a catch-up goes a stretch of ids at a time over interleaved sessions, and stops between stretches when asked")
    func stretches() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let a = try Self.session(s, "a"), b = try Self.session(s, "b"), live = try Self.session(s, "live")
            for round in 0..<5 {
                try Self.importBatch(s, session: a, words: (0..<4).map { "alpha\(round)x\($0)" }, tool: nil, key: "a\(round)")
                _ = try s.messages.append(Message(sessionId: live, role: .user, content: "live gamma\(round)"))
                try Self.importBatch(s, session: b, words: (0..<3).map { "beta\(round)x\($0)" }, tool: nil, key: "b\(round)")
            }
            #expect(try Self.indexed(s.db, "messages", "gamma3") == 1, "a session no import wrote is indexed as written")
            #expect(try s.searchBacklog.waitingRows() == 35)
            var steps = 0
            #expect(try s.searchBacklog.catchUp(stepIds: 3, shouldStop: { steps += 1; return steps == 4 }) == false)
            let left = try s.searchBacklog.waitingRows()
            #expect(left > 0 && left < 35)
            #expect(try s.searchBacklog.catchUp(stepIds: 3))
            for round in 0..<5 {
                #expect(try Self.indexed(s.db, "messages", "alpha\(round)x3") == 1 && Self.indexed(s.db, "messages", "beta\(round)x2") == 1)
            }
            #expect(try Self.indexed(s.db, "messages", "about") == 35)
            try Self.integrityCheck(s.db)
        }
    }

    /// The sync thread asks after every pass: with nothing waiting it must not take the write lock, which
    /// another writer (a worker, the dashboard) may hold.
    @Test("with nothing waiting, a catch-up only reads")
    func emptyCatchUpOnlyReads() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let other = try tdb.connect()
            defer { other.close() }
            try other.executeScript("BEGIN IMMEDIATE")
            defer { try? other.executeScript("ROLLBACK") }
            #expect(try s.searchBacklog.catchUp(), "no busy error after the busy timeout")
        }
    }

    @Test("a backlog a hand-edited file made impossible (ids at the end of Int64, unknown tables) ends without a trap")
    func hostileBacklog() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let session = try Self.session(s, "edge")
            try s.db.executeScript("""
                PRAGMA ignore_check_constraints = 1;
                INSERT INTO search_backlog VALUES ('messages', \(session), 9223372036854775800);
                INSERT INTO search_backlog VALUES ('tool_calls', \(session), -9223372036854775808);
                INSERT INTO search_backlog VALUES ('x'' OR 1 --', 7, 1);
                PRAGMA ignore_check_constraints = 0;
                """)
            _ = try s.messages.append(Message(sessionId: session, role: .user, content: "the last word"))
            #expect(try s.searchBacklog.catchUp())
            #expect(try s.searchBacklog.isEmpty())
            try Self.integrityCheck(s.db)
        }
    }

    @Test("rolling 019 back indexes what was waiting; migrating again starts with an empty backlog")
    func rollback() throws {
        try withDatabase(.sqlite) { tdb in
            let db = try tdb.connect()
            defer { db.close() }
            try Migrator(db).migrate()
            let s = Store(db: db)
            let session = try Self.session(s, "rolled")
            try Self.importBatch(s, session: session, words: ["platypus"], tool: ("grep wombat", "wombat.txt"), key: "a")
            #expect(try Self.indexed(db, "messages", "platypus") == 0)
            #expect(try Migrator(db).rollbackLast()?.id == "019")
            #expect(try Self.indexed(db, "messages", "platypus") == 1 && Self.indexed(db, "tool_calls", "wombat") == 1)
            try db.executeScript("DELETE FROM messages WHERE content = 'about the platypus'")  // 018's triggers again
            try Self.integrityCheck(db)
            try Migrator(db).migrate()
            #expect(try s.searchBacklog.isEmpty() && Self.indexed(db, "messages", "platypus") == 0)
            try Self.integrityCheck(db)
        }
    }
}
