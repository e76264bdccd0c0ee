import Foundation
import Core

/// Transcript reading for the dashboard: keyset windows over top-level messages (a result is nested
/// under its call, not listed on its own), so a session of 100,000 messages opens as fast as one of ten.
extension MessageRepository {
    public static let transcriptContentLimit = 65_536

    /// Top-level: everything but results that belong to a call.
    private static let topLevel = "NOT (m.kind = 'observation' AND m.parent_id IS NOT NULL)"
    private static var columns: String {
        Columns.message.replacingOccurrences(of: "m.content,", with: "substr(m.content, 1, \(transcriptContentLimit)) AS content, length(m.content) AS content_length,")
    }

    /// `limit` entries after `afterSeq` (from the start when nil), or the `limit` before `beforeSeq`.
    public func transcript(sessionId: ID, afterSeq: Int64? = nil, beforeSeq: Int64? = nil, limit: Int) throws -> TranscriptPage {
        var rows: [Row]
        if let beforeSeq {
            rows = try db.query("SELECT \(Self.columns) FROM messages m WHERE m.session_id = ? AND m.seq < ? AND \(Self.topLevel) ORDER BY m.seq DESC LIMIT ?",
                                .int(sessionId), .int(beforeSeq), .int(Int64(limit + 1)))
            let more = rows.count > limit
            rows = Array(rows.prefix(limit).reversed())
            let items = try assemble(rows)
            return TranscriptPage(items: items, hasBefore: more, hasAfter: try exists(sessionId, afterOrAt: beforeSeq))
        }
        let from = afterSeq ?? 0
        rows = try db.query("SELECT \(Self.columns) FROM messages m WHERE m.session_id = ? AND m.seq > ? AND \(Self.topLevel) ORDER BY m.seq LIMIT ?",
                            .int(sessionId), .int(from), .int(Int64(limit + 1)))
        let more = rows.count > limit
        let items = try assemble(Array(rows.prefix(limit)))
        return TranscriptPage(items: items, hasBefore: try exists(sessionId, before: from + 1), hasAfter: more)
    }

    /// A window with the entry at `seq` in it: `before` entries ahead of it and up to `after` from it on.
    public func transcript(sessionId: ID, around seq: Int64, before: Int, after: Int) throws -> TranscriptPage {
        let head = try transcript(sessionId: sessionId, beforeSeq: seq, limit: before)
        let tail = try transcript(sessionId: sessionId, afterSeq: seq - 1, limit: after)
        return TranscriptPage(items: head.items + tail.items, hasBefore: head.hasBefore, hasAfter: tail.hasAfter)
    }

    /// The last `limit` entries.
    public func transcriptEnd(sessionId: ID, limit: Int) throws -> TranscriptPage {
        try transcript(sessionId: sessionId, beforeSeq: Int64.max, limit: limit)
    }

    /// The sequence number of the top-level entry holding the next (or previous) match after (before) `seq`;
    /// a match inside a result counts for the call it belongs to.
    public func seek(sessionId: ID, _ what: TranscriptSeek, from seq: Int64, forward: Bool) throws -> Int64? {
        let cmp = forward ? ">" : "<", order = forward ? "ASC" : "DESC"
        if what == .toolCall {  // calls are always top-level: the (session_id, seq) index answers
            return try db.queryOne("SELECT m.seq AS s FROM messages m WHERE m.session_id = ? AND m.seq \(cmp) ? AND m.kind = 'action' ORDER BY m.seq \(order) LIMIT 1",
                                   .int(sessionId), .int(seq)).map { $0.int("s") }
        }
        var cond: String, params: [SQLValue] = [.int(sessionId), .int(seq)]
        switch what {
        case .text(let q):
            cond = "lower(m.content) LIKE ? ESCAPE '\\'"
            let escaped = q.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            params.append(.text("%\(escaped)%"))
        default:  // a failed result, a failed turn, or a call that failed or was denied without a result
            cond = "(m.is_error = ? OR m.id IN (SELECT tc.message_id FROM tool_calls tc WHERE tc.session_id = ? AND tc.status IN ('error', 'denied')))"
            params += [.bool(true), .int(sessionId)]
        }
        // A nested result is found through its parent's position: compare on the top-level sequence number.
        let position = "coalesce(p.seq, m.seq)"
        let sql = """
            SELECT \(position) AS s FROM messages m
            LEFT JOIN messages p ON p.id = m.parent_id AND m.kind = 'observation'
            WHERE m.session_id = ? AND \(position) \(cmp) ? AND \(cond) ORDER BY \(position) \(order) LIMIT 1
            """
        return try db.queryOne(sql, params).map { $0.int("s") }
    }

    private func exists(_ sessionId: ID, before seq: Int64) throws -> Bool {
        try db.queryOne("SELECT 1 AS x FROM messages m WHERE m.session_id = ? AND m.seq < ? AND \(Self.topLevel) LIMIT 1",
                        .int(sessionId), .int(seq)) != nil
    }

    private func exists(_ sessionId: ID, afterOrAt seq: Int64) throws -> Bool {
        guard seq < Int64.max else { return false }
        return try db.queryOne("SELECT 1 AS x FROM messages m WHERE m.session_id = ? AND m.seq >= ? AND \(Self.topLevel) LIMIT 1",
                               .int(sessionId), .int(seq)) != nil
    }

    /// Adds to each top-level row its tool call, its results and the sub-agent its call started: three
    /// queries for the whole window, not three per entry.
    private func assemble(_ rows: [Row]) throws -> [TranscriptItem] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0.int("id") }
        let list = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let idParams = ids.map { SQLValue.int($0) }
        var results: [ID: [TranscriptItem]] = [:]
        for r in try db.query("SELECT \(Self.columns) FROM messages m WHERE m.parent_id IN (\(list)) AND m.kind = 'observation' ORDER BY m.seq", idParams) {
            let m = r.message
            results[m.parentId!, default: []].append(TranscriptItem(message: m, contentLength: r.intValue("content_length")))
        }
        var calls: [ID: ToolCall] = [:]
        for r in try db.query("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.message_id IN (\(list)) ORDER BY tc.id", idParams) {
            let t = r.toolCall
            if calls[t.messageId!] == nil { calls[t.messageId!] = t }
        }
        var subs: [ID: SubSessionSummary] = [:]
        if !calls.isEmpty {
            let callIds = calls.values.map { SQLValue.int($0.id) }
            let l = Array(repeating: "?", count: callIds.count).joined(separator: ", ")
            for r in try db.query("""
                SELECT s.id, s.title, s.user_goal, s.status, s.message_count, s.input_tokens + s.output_tokens + s.cache_read_tokens
                    + s.cache_write_tokens AS tokens, s.cost_usd, s.parent_tool_call_id FROM sessions s
                WHERE s.parent_tool_call_id IN (\(l)) ORDER BY s.id
                """, callIds) {
                let callId = r.int("parent_tool_call_id")
                if subs[callId] != nil { continue }
                subs[callId] = SubSessionSummary(id: r.int("id"), title: r.optString("title") ?? r.optString("user_goal") ?? "sub-agent",
                                                 status: SessionStatus(rawValue: r.string("status")) ?? .idle,
                                                 messageCount: r.intValue("message_count"), tokens: r.int("tokens"), costUsd: r.double("cost_usd"))
            }
        }
        return rows.map { r in
            let m = r.message
            let call = calls[m.id]
            return TranscriptItem(message: m, contentLength: r.intValue("content_length"), toolCall: call,
                                  results: results[m.id] ?? [], subSession: call.flatMap { subs[$0.id] })
        }
    }
}
