import Foundation
import Core

/// The rows imports wrote without indexing them for search (migration 019), and the work that indexes them.
/// SQLite only: PostgreSQL indexes every row as it is written, and every call here is then a no-op.
///
/// An entry `(table, session, from)` stands for the rows of that table and session with `id >= from`. A step
/// indexes one stretch of ids of one entry and moves the entry past it, or removes it once the stretch reaches
/// the table's last id, in one transaction: the index and the backlog always agree, whoever else writes.
public struct SearchBacklog {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Ids one step covers: a step holds the write lock for a few tens of milliseconds.
    public static let stepIds: Int64 = 20_000

    /// Whether anything waits to be indexed (false on PostgreSQL, or on a database from before 019).
    public func isEmpty() throws -> Bool {
        guard db.dialect == .sqlite, try hasTable() else { return true }
        return try db.queryOne("SELECT 1 AS x FROM search_backlog LIMIT 1") == nil
    }

    /// Rows waiting to be indexed (messages of the kinds searched, and tool calls).
    public func waitingRows() throws -> Int {
        guard db.dialect == .sqlite, try hasTable() else { return 0 }
        return Int(try db.queryOne("""
            SELECT (SELECT count(*) FROM search_backlog b JOIN messages m ON m.session_id = b.session_id AND m.id >= b.from_id
                    WHERE b.table_name = 'messages' AND m.kind NOT IN \(Schema.toolTextKinds))
                 + (SELECT count(*) FROM search_backlog b JOIN tool_calls t ON t.session_id = b.session_id AND t.id >= b.from_id
                    WHERE b.table_name = 'tool_calls') AS n
            """)?.int("n") ?? 0)
    }

    /// Indexes everything waiting, a step per transaction; stops early (false) when `shouldStop` says so
    /// between steps. Returns true when nothing waits any more.
    @discardableResult
    public func catchUp(stepIds: Int64 = SearchBacklog.stepIds, shouldStop: () -> Bool = { false }) throws -> Bool {
        // Read first: the sync thread asks after every pass, and a step takes the write lock.
        guard !(try isEmpty()) else { return true }
        while try step(ids: max(1, stepIds)) {
            if shouldStop() { return try isEmpty() }
        }
        return true
    }

    /// One stretch of one entry; false when the backlog was empty.
    func step(ids: Int64) throws -> Bool {
        try db.transaction(.immediate) {
            guard let e = try db.queryOne("SELECT table_name, session_id, from_id FROM search_backlog ORDER BY table_name, session_id LIMIT 1")
            else { return false }
            let session = e.int("session_id"), from = e.int("from_id"), name = e.string("table_name")
            // Named here, not taken from the row: a hand-edited file may hold anything in it.
            let table = name == "messages" ? "messages" : "tool_calls"
            let (sum, overflow) = from.addingReportingOverflow(ids)
            let to = overflow ? Int64.max : sum
            let range: [SQLValue] = [.int(from), .int(to), .int(session)]
            if table == "messages" {
                try db.execute("""
                    INSERT INTO messages_fts (rowid, content) SELECT id, content FROM messages
                    WHERE id >= ? AND id < ? AND session_id = ? AND kind NOT IN \(Schema.toolTextKinds)
                    """, range)
            } else {
                try db.execute("""
                    INSERT INTO tool_calls_fts (rowid, input, output) SELECT id, input, output FROM tool_calls
                    WHERE id >= ? AND id < ? AND session_id = ?
                    """, range)
            }
            // Where the session's rows go on; none: every row of it is indexed, and rows it gains later are
            // indexed as they are written.
            let next = try db.queryOne("SELECT min(id) AS n FROM \(table) WHERE session_id = ? AND id >= ?", [.int(session), .int(to)])?
                .optInt("n")
            if let next, next > from {
                try db.execute("UPDATE search_backlog SET from_id = ? WHERE table_name = ? AND session_id = ?",
                               [.int(next), .text(name), .int(session)])
            } else {
                if let next, table == "messages" {  // only a row at Int64.max is left: indexed on its own
                    try db.execute("INSERT INTO messages_fts (rowid, content) SELECT id, content FROM messages WHERE id = ? AND kind NOT IN \(Schema.toolTextKinds)", [.int(next)])
                } else if let next {
                    try db.execute("INSERT INTO tool_calls_fts (rowid, input, output) SELECT id, input, output FROM tool_calls WHERE id = ?", [.int(next)])
                }
                try db.execute("DELETE FROM search_backlog WHERE table_name = ? AND session_id = ?", [.text(name), .int(session)])
            }
            return true
        }
    }

    /// Records that the rows of `table` in `session` from `firstId` on are written without their index entries
    /// (an entry already there starts at an earlier id, and stays). Inside the transaction that writes them,
    /// before them.
    static func deferSQL(table: String) -> String {
        "INSERT OR IGNORE INTO search_backlog (table_name, session_id, from_id) VALUES ('\(table)', ?, ?)"
    }

    private func hasTable() throws -> Bool {
        try db.queryOne("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'search_backlog'") != nil
    }
}
