import Foundation
import Core

/// The transcript: messages in order (`seq` per session), with hierarchy and keyset pagination.
public struct MessageRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Appends at the end of the session (seq assigned here); a message whose external id is already stored
    /// is returned as it is, so imports are idempotent.
    @discardableResult
    public func append(_ m: Message) throws -> Message {
        try db.transaction(.immediate) {
            if let ext = m.externalId,
               let r = try db.queryOne("SELECT \(Columns.message) FROM messages m WHERE m.session_id = ? AND m.external_id = ?",
                                       .int(m.sessionId), .text(ext)) { return r.message }
            let seq = (try db.queryOne("SELECT coalesce(max(seq), 0) AS s FROM messages WHERE session_id = ?", .int(m.sessionId))?.int("s") ?? 0) + 1
            let id = try db.insert("""
                INSERT INTO messages (session_id, parent_id, seq, role, kind, content, metadata, external_id, input_tokens,
                    output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, model, cost_usd, is_error, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.int(m.sessionId), .optional(m.parentId), .int(seq), .text(m.role.rawValue), .text(m.kind.rawValue),
                      .text(m.content), .text(m.metadata.jsonString), .optional(m.externalId), .int(m.inputTokens),
                      .int(m.outputTokens)] + m.usageValues + [.bool(m.isError), .date(m.createdAt)])
            try db.execute("UPDATE sessions SET message_count = message_count + 1, updated_at = \(db.dialect.now) WHERE id = ?", .int(m.sessionId))
            return try get(id)
        }
    }

    public func get(_ id: ID) throws -> Message {
        guard let r = try db.queryOne("SELECT \(Columns.message) FROM messages m WHERE m.id = ?", .int(id)) else {
            throw StorageError.notFound("no message with id \(id)")
        }
        return r.message
    }

    /// Keyset page in transcript order: the `limit` messages after `afterSeq` (or before `beforeSeq`).
    public func page(sessionId: ID, afterSeq: Int64 = 0, beforeSeq: Int64? = nil, limit: Int = 200, role: MessageRole? = nil) throws -> [Message] {
        var sql = "SELECT \(Columns.message) FROM messages m WHERE m.session_id = ?"
        var params: [SQLValue] = [.int(sessionId)]
        if let role { sql += " AND m.role = ?"; params.append(.text(role.rawValue)) }
        if let beforeSeq {
            sql += " AND m.seq < ? ORDER BY m.seq DESC LIMIT ?"
            params += [.int(beforeSeq), .int(Int64(limit))]
            return try db.query(sql, params).map(\.message).reversed()
        }
        sql += " AND m.seq > ? ORDER BY m.seq LIMIT ?"
        params += [.int(afterSeq), .int(Int64(limit))]
        return try db.query(sql, params).map(\.message)
    }

    /// Seed `findBySession(limit)` and `getHistory`.
    public func all(sessionId: ID) throws -> [Message] {
        try db.query("SELECT \(Columns.message) FROM messages m WHERE m.session_id = ? ORDER BY m.seq", .int(sessionId)).map(\.message)
    }

    /// The session's counter, kept by `append` and the deletes in their own transactions: O(1) where
    /// `count(*)` over a session of 100,000 messages took milliseconds on every sessions screen load.
    public func count(sessionId: ID) throws -> Int {
        try db.queryOne("SELECT message_count AS n FROM sessions WHERE id = ?", .int(sessionId))?.intValue("n") ?? 0
    }

    /// Seed `getLastMessage`.
    public func last(sessionId: ID) throws -> Message? {
        try db.queryOne("SELECT \(Columns.message) FROM messages m WHERE m.session_id = ? ORDER BY m.seq DESC LIMIT 1", .int(sessionId))?.message
    }

    public func children(of parentId: ID) throws -> [Message] {
        try db.query("SELECT \(Columns.message) FROM messages m WHERE m.parent_id = ? ORDER BY m.seq", .int(parentId)).map(\.message)
    }

    public func setContent(_ id: ID, _ content: String) throws {
        try db.execute("UPDATE messages SET content = ? WHERE id = ?", .text(content), .int(id))
    }

    public func delete(_ id: ID) throws {
        try db.transaction(.immediate) {
            guard let m = try? get(id) else { throw StorageError.notFound("no message with id \(id)") }
            try db.execute("DELETE FROM messages WHERE id = ?", .int(id))
            try db.execute("UPDATE sessions SET message_count = message_count - 1 WHERE id = ?", .int(m.sessionId))
        }
    }

    /// Seed `deleteSessionMessages`.
    public func deleteAll(sessionId: ID) throws {
        try db.transaction(.immediate) {
            try db.execute("DELETE FROM messages WHERE session_id = ?", .int(sessionId))
            try db.execute("UPDATE sessions SET message_count = 0 WHERE id = ?", .int(sessionId))
        }
    }
}
