import Foundation
import Testing
import Core
@testable import Storage

@Suite("Full-text search") struct SearchRepositoryTests {
    /// A session of `messages` messages through `TranscriptBatch` (multi-row inserts): every third a tool result,
    /// its call's output holding `word` once, at `needle`.
    static func fill(_ s: Store, messages: Int, needle: Int, word: String) throws -> ID {
        let agent = try s.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        let session = try s.sessions.create(Session(title: "big one", agentId: agent.id))
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        try s.db.transaction {
            let batch = TranscriptBatch(db: s.db)
            var call: ToolCall?
            for i in 0..<messages {
                let at = base.addingTimeInterval(Double(i))
                if i % 3 == 1 {
                    let m = try batch.append(Message(sessionId: session.id, role: .assistant, content: "Step \(i): reading the retry schedule",
                                                     externalId: "m\(i)", createdAt: at))
                    call = try batch.create(ToolCall(sessionId: session.id, messageId: m.id, externalId: "t\(i)", toolName: "Bash",
                                                     input: "{\"command\":\"grep -n backoff File\(i % 97).swift\"}", createdAt: at))
                } else if i % 3 == 2, let c = call {
                    let r = try batch.append(Message(sessionId: session.id, role: .tool, content: "result \(i)", externalId: "m\(i)", createdAt: at))
                    let extra = i == needle ? " then \(word) appeared" : ""
                    try batch.complete(c.id, output: "File\(i % 97).swift:\(i % 50): let backoff = base * 2\(extra)", status: .success, resultMessageId: r.id)
                } else {
                    _ = try batch.append(Message(sessionId: session.id, role: .user, content: "go on with turn \(i)", externalId: "m\(i)", createdAt: at))
                }
            }
            try batch.flush()
        }
        return session.id
    }

    @Test("a word in one tool output among 100,000 messages is found, with its session, message and snippet", arguments: Backend.allCases)
    func needle(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let session = try Self.fill(s, messages: 100_000, needle: 61_112, word: "Zanzibar")
            #expect(try s.messages.count(sessionId: session) == 100_000)
            let hits = try s.search.search(SearchQuery("zanzibar"), limit: 20)
            #expect(hits.count == 1)
            let h = try #require(hits.first)
            #expect(h.kind == .toolOutput && h.sessionId == session && h.agent == "claude" && h.sessionTitle == "big one")
            #expect(h.seq == 61_113, "the result message (seq counts from 1)")
            let marked = h.highlights.map { String(Array(h.snippet)[$0]) }
            #expect(marked == ["Zanzibar"], "\(h.snippet)")
            // A word in every third row: the newest first, bounded by the limit.
            let many = try s.search.search(SearchQuery("BACKOFF"), limit: 5)
            #expect(many.count == 5)
            #expect(many.map(\.createdAt) == many.map(\.createdAt).sorted(by: >))
            #expect(many.first?.createdAt == Date(timeIntervalSince1970: 1_800_000_000 + 99_997), "the newest call")
            let both = try s.search.search(SearchQuery("retry schedule step 4"), limit: 3)
            #expect(both.map(\.kind) == [.message] && both.first?.seq == 5)
        }
    }

    @Test("writes, completions, re-imports, changes and deletes keep the index right", arguments: Backend.allCases)
    func upkeep(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let session = try Self.fill(s, messages: 30, needle: 14, word: "quokka")
            func count(_ q: String) throws -> Int { try s.search.search(SearchQuery(q), limit: 100).count }
            #expect(try count("quokka") == 1 && count("backoff") == 10 && count("turn") == 10)
            // Importing the same rows again writes nothing, so nothing is found twice.
            try s.db.transaction {
                let batch = TranscriptBatch(db: s.db)
                for i in 0..<30 where i % 3 == 0 {
                    _ = try batch.append(Message(sessionId: session, role: .user, content: "go on with turn \(i)", externalId: "m\(i)"))
                }
                try batch.flush()
            }
            #expect(try count("turn") == 10)
            // Live writes: a message, a call, its completion.
            let m = try s.messages.append(Message(sessionId: session, role: .assistant, content: "The wombat test passes"))
            let c = try s.toolCalls.create(ToolCall(sessionId: session, messageId: m.id, toolName: "Read", input: "{\"path\":\"numbat.txt\"}"))
            #expect(try count("wombat") == 1 && count("numbat") == 1 && count("platypus") == 0)
            try s.toolCalls.complete(c.id, output: "platypus\u{1B}[31m inside", status: .success)
            let p = try s.search.search(SearchQuery("platypus"), limit: 5)
            #expect(p.map(\.kind) == [.toolOutput] && p.first?.snippet == "platypus [31m inside")
            #expect(try s.search.search(SearchQuery("numbat"), limit: 5).map(\.kind) == [.toolInput])
            // Changed text: the old words go, the new come.
            _ = try s.db.execute("UPDATE messages SET content = 'The echidna test passes' WHERE id = ?", .int(m.id))
            #expect(try count("wombat") == 0 && count("echidna") == 1)
            try s.messages.delete(m.id)
            #expect(try count("echidna") == 0 && count("numbat") == 1)
            // A deleted session takes its rows out of the index (cascade).
            try s.sessions.delete(session)
            #expect(try count("numbat") == 0 && count("quokka") == 0 && count("turn") == 0)
        }
    }

    @Test("hostile queries give one line or results, never a crash", arguments: Backend.allCases)
    func hostile(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            _ = try Self.fill(s, messages: 30, needle: 14, word: "quokka")
            let queries = ["\"", "\"quokka", "NEAR(", "NEAR(quokka", "*", "quok*", "", "   ", String(repeating: "a", count: 10_240),
                           String(repeating: "quokka ", count: 1400), "\u{1B}[2J\u{0}quokka\u{7}", "AND OR NOT", "quokka OR", "-quokka",
                           "col:quokka", "^quokka", "'; DROP TABLE messages; --", "{input output}: quokka", "\u{202E}quokka",
                           (0..<20).map { "w\($0)" }.joined(separator: " ")]
            var found = 0
            for text in queries {
                do {
                    let q = try SearchQuery(text)
                    found += try s.search.search(q, limit: 10).count
                } catch let e as SearchQuery.Invalid {
                    #expect(!e.description.contains("\n") && !e.description.isEmpty)
                }
            }
            #expect(found == 4, "quotes, '-', '^' and U+202E only separate words")
            #expect(try s.messages.count(sessionId: 1) == 30)
        }
    }

    /// A tool's binary output may hold a NUL: SQLite's text functions stop there, so the snippet was cut before
    /// the word it was found for.
    @Test("a word after a NUL in a text gets its snippet and highlight", arguments: Backend.allCases)
    func textWithANul(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let session = try SearchBacklogTests.session(s, "binary")
            // PostgreSQL's text holds no NUL (the repositories write it as U+FFFD there): the same search holds.
            let text = "PNG\u{0}\u{1}header then the wombat é"
            let m = try s.messages.append(Message(sessionId: session, role: .tool, content: text))
            let hits = try s.search.search(SearchQuery("wombat"), limit: 5)
            #expect(hits.map(\.messageId) == [m.id])
            let h = try #require(hits.first)
            #expect(h.snippet.contains("the wombat é") && h.highlights.map { String(Array(h.snippet)[$0]) } == ["wombat"])
        }
    }

    @Test func snippetIsOneSafeLineWithRanges() throws {
        let q = try SearchQuery("Retry")
        let (text, marks) = q.snippet(of: String(repeating: "x ", count: 100) + "then\n\t\u{1B}[1mretry\u{7} and RETRY again" + String(repeating: " y", count: 100), width: 60)
        #expect(text.count <= 60 && text.hasPrefix("…") && text.hasSuffix("…"))
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(marks.map { String(Array(text)[$0]) } == ["retry", "RETRY"])
        #expect(try SearchQuery("\"a\" b* NEAR(c)").words == ["a", "b", "near", "c"])
        #expect(try SearchQuery("x").fts5 == "\"x\"")
    }
}
