import Foundation
import Core

extension SessionRepository {
    /// The newest `limit` sessions whose title, goal, external id, status, agent or task contain `text` (or whose
    /// id it is, written `#12`)
    /// (case-insensitive; empty matches all), with how many match in all — one query for the rows, one for
    /// the count, so a list of thousands of sessions costs the same as one of ten.
    public func search(_ text: String, limit: Int) throws -> (rows: [SessionListing], total: Int) {
        var cond = ""
        var params: [SQLValue] = []
        let q = text.trimmingCharacters(in: .whitespaces).lowercased()
        if !q.isEmpty {
            let pattern = "%" + q.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            let fields = ["s.title", "s.user_goal", "s.external_session_id", "s.status", "a.slug", "t.title"]
            var tests = fields.map { "lower(coalesce(\($0), '')) LIKE ? ESCAPE '\\'" }
            params = Array(repeating: .text(pattern), count: fields.count)
            if q.hasPrefix("#"), let id = Int64(q.dropFirst()) { tests.append("s.id = ?"); params.append(.int(id)) }  // "#12": that session
            cond = " WHERE (" + tests.joined(separator: " OR ") + ")"
        }
        let from = "FROM sessions s JOIN agents a ON a.id = s.main_agent_id LEFT JOIN tasks t ON t.id = s.task_id\(cond)"
        let rows = try db.query("SELECT \(Columns.session), s.message_count, a.slug AS agent_slug, t.title AS task_title \(from) ORDER BY s.created_at DESC, s.id DESC LIMIT ?",
                                params + [.int(Int64(limit))]).map { r in
            SessionListing(session: r.session, agentSlug: r.string("agent_slug"), taskTitle: r.optString("task_title"),
                           messageCount: r.intValue("message_count"))
        }
        let total = rows.count < limit ? rows.count : try db.queryOne("SELECT count(*) AS n \(from)", params)?.intValue("n") ?? rows.count
        return (rows, total)
    }
}
