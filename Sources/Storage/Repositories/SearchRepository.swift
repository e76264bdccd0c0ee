import Foundation
import Core

/// Full-text search over messages and tool calls' inputs and outputs (migration 011): the newest `limit`
/// places holding every word, with their session, agent and a snippet.
///
/// Each index gives its newest `candidates` matches by row id (FTS5 walks its rowids backwards and stops;
/// PostgreSQL sorts only the ids the GIN index found); those are ordered by time and the first `limit` are read
/// with their text (bounded), from which the snippet is cut in Swift, the same way on both backends. So a word
/// in millions of rows costs a bounded read, and the order is exactly newest first while a search matches at
/// most `candidates` rows of each kind.
public struct SearchRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    public static let candidates = 2000
    /// Characters of a text read for its snippet (bytes on SQLite).
    static let textChars = 200_000

    private struct Candidate { let toolCall: Bool; let id: ID; let at: Date }

    /// The hits of every row: what imports left for the index (migration 019) is indexed first.
    public func search(_ query: SearchQuery, limit: Int) throws -> [SearchHit] {
        try search(query, limit: limit, indexingFor: nil).hits
    }

    /// The hits, after indexing what imports left for at most `seconds` (nil: all of it); `complete` is false
    /// when rows still wait, so the newest imports may hold matches not found. For the dashboard, whose data
    /// thread must not stop for the minutes a first import of gigabytes leaves to index.
    public func search(_ query: SearchQuery, limit: Int, indexingFor seconds: Double?) throws -> (hits: [SearchHit], complete: Bool) {
        guard limit > 0 else { return ([], true) }
        let sqlite = db.dialect == .sqlite
        var complete = true
        if sqlite, !(try SearchBacklog(db).isEmpty()) {
            let deadline = seconds.map { Date().addingTimeInterval($0) }
            do { complete = try SearchBacklog(db).catchUp(shouldStop: { deadline.map { Date() >= $0 } ?? false }) }
            catch StorageError.sql(let message, _) where message.contains("readonly") {
                complete = true  // a database opened read-only is searched as its index stands: nothing more will come
            }
        }
        return (try hits(query, limit: limit, sqlite: sqlite), complete)
    }

    private func hits(_ query: SearchQuery, limit: Int, sqlite: Bool) throws -> [SearchHit] {
        // A tool call's text is searched in the call, not again in its action and observation messages
        // (migration 018: SQLite's index leaves them out; PostgreSQL's generated column still covers them).
        let match: (String) -> String = { table in
            sqlite ? "SELECT rowid AS id FROM \(table)_fts WHERE \(table)_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
                   : "SELECT id FROM \(table) WHERE search_words @@ plainto_tsquery('simple'::regconfig, ?)"
                     + (table == "messages" ? " AND kind NOT IN \(Schema.toolTextKinds)" : "") + " ORDER BY id DESC LIMIT ?"
        }
        let q: SQLValue = .text(sqlite ? query.fts5 : query.plain)
        var found: [Candidate] = []
        for (table, call) in [("messages", false), ("tool_calls", true)] {
            let rows = try db.query("""
                SELECT x.id, x.created_at FROM \(table) x JOIN (\(match(table))) f ON f.id = x.id
                ORDER BY x.created_at DESC, x.id DESC LIMIT ?
                """, [q, .int(Int64(Self.candidates)), .int(Int64(limit))])
            found += rows.map { Candidate(toolCall: call, id: $0.int("id"), at: $0.date("created_at")) }
        }
        found.sort { ($0.at, $0.id, $0.toolCall ? 1 : 0) > ($1.at, $1.id, $1.toolCall ? 1 : 0) }
        let top = found.prefix(limit)
        let messageIds = top.filter { !$0.toolCall }.map(\.id), callIds = top.filter(\.toolCall).map(\.id)
        var hits: [String: SearchHit] = [:]
        if !messageIds.isEmpty {
            for r in try db.query("""
                SELECT m.id, m.session_id, m.seq, m.created_at, \(Self.head("m.content", sqlite)) AS text, s.title, a.slug
                FROM messages m JOIN sessions s ON s.id = m.session_id JOIN agents a ON a.id = s.main_agent_id
                WHERE m.id IN (\(Self.marks(messageIds.count)))
                """, messageIds.map { .int($0) }) {
                let (snippet, marks) = query.snippet(of: r.string("text"))
                hits["m\(r.int("id"))"] = SearchHit(sessionId: r.int("session_id"), sessionTitle: r.optString("title"), agent: r.string("slug"),
                                                    messageId: r.int("id"), seq: r.int("seq"), kind: .message, createdAt: r.date("created_at"),
                                                    snippet: snippet, highlights: marks)
            }
        }
        if !callIds.isEmpty {
            for r in try db.query("""
                SELECT t.id, t.session_id, t.created_at, \(Self.head("t.input", sqlite)) AS input,
                    \(Self.head("coalesce(t.output, '')", sqlite)) AS output, t.message_id, t.result_message_id,
                    cm.seq AS call_seq, rm.seq AS result_seq, s.title, a.slug
                FROM tool_calls t JOIN sessions s ON s.id = t.session_id JOIN agents a ON a.id = s.main_agent_id
                LEFT JOIN messages cm ON cm.id = t.message_id LEFT JOIN messages rm ON rm.id = t.result_message_id
                WHERE t.id IN (\(Self.marks(callIds.count)))
                """, callIds.map { .int($0) }) {
                let output = r.string("output")
                let inOutput = query.occurs(in: output) || !query.occurs(in: r.string("input"))
                let (snippet, marks) = query.snippet(of: inOutput ? output : r.string("input"))
                let resultFirst = inOutput && r.optInt("result_message_id") != nil
                hits["t\(r.int("id"))"] = SearchHit(
                    sessionId: r.int("session_id"), sessionTitle: r.optString("title"), agent: r.string("slug"),
                    messageId: resultFirst ? r.optInt("result_message_id") : r.optInt("message_id") ?? r.optInt("result_message_id"),
                    seq: resultFirst ? r.optInt("result_seq") : r.optInt("call_seq") ?? r.optInt("result_seq"),
                    kind: inOutput ? .toolOutput : .toolInput, createdAt: r.date("created_at"), snippet: snippet, highlights: marks)
            }
        }
        return top.compactMap { hits[($0.toolCall ? "t" : "m") + String($0.id)] }
    }

    /// The start of a text for its snippet. SQLite's text functions stop at a NUL (a tool's binary output may
    /// hold one), so there its bytes are cut instead (`textChars` bytes; a character cut in two is repaired
    /// when read). PostgreSQL's text holds no NUL.
    static func head(_ column: String, _ sqlite: Bool) -> String {
        sqlite ? "CAST(substr(CAST(\(column) AS BLOB), 1, \(textChars)) AS TEXT)" : "substr(\(column), 1, \(textChars))"
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
