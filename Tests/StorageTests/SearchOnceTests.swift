import Foundation
import Testing
import Core
@testable import Storage

/// Migration 018 (Schema018SearchOnce.swift): a tool call's text is searched once, through the call, not
/// again in the action and observation messages an importer writes beside it.
@Suite("Search: tool text once (migration 018)") struct SearchOnceTests {
    /// As `TranscriptWriter` writes a tool call: the action ("name input"), the call, the observation (the
    /// output), the call completed with it. Live (`live`: the repositories, one row at a time) or batched.
    @discardableResult
    static func toolUse(_ s: Store, session: ID, batch: TranscriptBatch?, name: String, input: String, output: String,
                        key: String) throws -> (action: Message, result: Message) {
        let action = Message(sessionId: session, role: .assistant, kind: .action, content: "\(name) \(input)", externalId: "call:" + key)
        if let batch {
            let m = try batch.append(action)
            let c = try batch.create(ToolCall(sessionId: session, messageId: m.id, externalId: key, toolName: name, input: input))
            let r = try batch.append(Message(sessionId: session, parentId: m.id, role: .tool, kind: .observation, content: output,
                                             externalId: "result:" + key))
            try batch.complete(c.id, output: output, status: .success, resultMessageId: r.id)
            return (m, r)
        }
        let m = try s.messages.append(action)
        let c = try s.toolCalls.create(ToolCall(sessionId: session, messageId: m.id, externalId: key, toolName: name, input: input))
        let r = try s.messages.append(Message(sessionId: session, parentId: m.id, role: .tool, kind: .observation, content: output,
                                              externalId: "result:" + key))
        try s.toolCalls.complete(c.id, output: output, status: .success, resultMessageId: r.id)
        return (m, r)
    }

    @Test("a word in a tool's input or output is one hit, the call's, at the message that shows it", arguments: Backend.allCases)
    func oneHitPerToolText(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let agent = try s.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
            let session = try s.sessions.create(Session(title: "tools", agentId: agent.id)).id
            _ = try s.messages.append(Message(sessionId: session, role: .assistant, content: "I will look for the platypus"))
            _ = try s.messages.append(Message(sessionId: session, role: .assistant, kind: .thought, content: "maybe a dingo"))
            let live = try Self.toolUse(s, session: session, batch: nil, name: "Bash", input: #"{"command":"ls quokka"}"#,
                                        output: "wombat.txt", key: "t1")
            var batched: (action: Message, result: Message)?
            try s.db.transaction {
                let batch = TranscriptBatch(db: s.db)
                batched = try Self.toolUse(s, session: session, batch: batch, name: "Read", input: #"{"path":"numbat.md"}"#,
                                           output: "echidna lives here", key: "t2")
                try batch.flush()
            }
            func hits(_ q: String) throws -> [SearchHit] { try s.search.search(SearchQuery(q), limit: 10) }
            for (word, kind, seq) in [("quokka", SearchHit.Kind.toolInput, live.action.seq), ("wombat", .toolOutput, live.result.seq),
                                      ("numbat", .toolInput, batched?.action.seq), ("echidna", .toolOutput, batched?.result.seq)] {
                let found = try hits(word)
                #expect(found.map(\.kind) == [kind], "\(word): \(found.map(\.kind))")
                #expect(found.first?.seq == seq, "\(word) leads to its message")
            }
            #expect(try hits("platypus").map(\.kind) == [.message] && hits("dingo").map(\.kind) == [.message])
            // An observation's text changed by hand stays out of the message index, and nothing breaks.
            _ = try s.db.execute("UPDATE messages SET content = 'kangaroo' WHERE id = ?", .int(live.result.id))
            _ = try s.db.execute("UPDATE messages SET content = 'the koala' WHERE kind = 'thought'")
            #expect(try hits("kangaroo").isEmpty && hits("dingo").isEmpty && hits("koala").count == 1)
            if s.db.dialect == .sqlite { try s.db.executeScript("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')") }
            try s.sessions.delete(session)
            #expect(try hits("platypus").isEmpty && hits("koala").isEmpty && hits("echidna").isEmpty)
            if s.db.dialect == .sqlite { try s.db.executeScript("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')") }
        }
    }

    @Test("migrating a database of 017 takes the tool messages out of the index; rolling back puts them in again")
    func migrationKeepsTheIndexRight() throws {
        try withDatabase(.sqlite) { tdb in
            let db = try tdb.connect()
            defer { db.close() }
            try Migrator(db, migrations: Array(Schema.migrations.prefix { $0.id != "018" })).migrate()
            let s = Store(db: db)
            let agent = try s.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
            let session = try s.sessions.create(Session(title: "before", agentId: agent.id)).id
            _ = try s.messages.append(Message(sessionId: session, role: .user, content: "find the wombat"))
            try Self.toolUse(s, session: session, batch: nil, name: "Bash", input: "grep wombat", output: "wombat found", key: "a")
            func indexed(_ word: String) throws -> Int64 {
                try db.queryOne("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?", .text(word))?.int("n") ?? -1
            }
            func hits() throws -> [SearchHit.Kind] { try s.search.search(SearchQuery("wombat"), limit: 10).map(\.kind) }
            #expect(try indexed("wombat") == 3 && hits().count == 4, "017: the message, the action, the observation, and the call")
            try Migrator(db, migrations: Array(Schema.migrations.prefix { $0.id != "019" })).migrate()
            #expect(try indexed("wombat") == 1)
            #expect(try Set(hits()) == [.toolOutput, .message] && hits().count == 2)
            try db.executeScript("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
            #expect(try Migrator(db).rollbackLast()?.id == "018")
            #expect(try indexed("wombat") == 3)
            try s.sessions.delete(session)
            #expect(try indexed("wombat") == 0)
            try db.executeScript("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
        }
    }
}
