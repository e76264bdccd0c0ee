import Foundation
import Core

/// Small queries the transcript importers need.
extension SessionRepository {
    /// Sets a session's usage totals (absolute, so re-importing the same transcript changes nothing).
    public func setUsageTotals(_ id: ID, _ u: Usage, costUsd: Double) throws {
        try db.execute("""
            UPDATE sessions SET input_tokens = ?, output_tokens = ?, cache_read_tokens = ?, cache_write_tokens = ?, cost_usd = ?,
                updated_at = \(db.dialect.now) WHERE id = ?
            """, .int(u.inputTokens), .int(u.outputTokens), .int(u.cacheReadTokens), .int(u.cacheWriteTokens), .double(costUsd), .int(id))
    }

    /// An imported session started when its first message was written, not when it was imported.
    public func startAtFirstMessage(_ id: ID) throws {
        try db.execute("""
            UPDATE sessions SET created_at = (SELECT min(m.created_at) FROM messages m WHERE m.session_id = sessions.id)
            WHERE id = ? AND (SELECT min(m.created_at) FROM messages m WHERE m.session_id = sessions.id) < created_at
            """, .int(id))
    }
}
