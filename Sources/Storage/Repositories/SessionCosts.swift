import Foundation
import Core

/// Tokens and cost of agent sessions, added up by task, agent or session (days, weeks, months and blocks add up
/// calls at their own times: `usageEntries`).
public struct CostRow: Sendable, Equatable {
    public var key: String
    public var label: String
    public var sessions: Int
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var cacheReadTokens: Int64
    public var cacheWriteTokens: Int64
    public var costUsd: Double
}

public enum CostGrouping: String, CaseIterable, Sendable { case task, agent, session }

extension SessionRepository {
    /// Sub-agent sessions count towards their own rows; nothing is counted twice.
    public func costs(by grouping: CostGrouping, since: Date? = nil) throws -> [CostRow] {
        let (key, label, join): (String, String, String) = switch grouping {
        case .task: ("coalesce(CAST(s.task_id AS TEXT), '-')", "coalesce(max(t.title), '(no task)')", "LEFT JOIN tasks t ON t.id = s.task_id")
        case .agent: ("a.slug", "max(a.name)", "JOIN agents a ON a.id = s.main_agent_id")
        case .session: ("CAST(s.id AS TEXT)", "coalesce(max(s.title), max(s.user_goal), '')", "")
        }
        var sql = """
            SELECT \(key) AS k, \(label) AS label, count(*) AS n, sum(s.input_tokens) AS input, sum(s.output_tokens) AS output,
                sum(s.cache_read_tokens) AS cache_read, sum(s.cache_write_tokens) AS cache_write, sum(s.cost_usd) AS cost
            FROM sessions s \(join)
            """
        var params: [SQLValue] = []
        if let since { sql += " WHERE s.created_at >= ?"; params.append(.date(since)) }
        sql += " GROUP BY \(key) ORDER BY cost DESC, k"
        return try db.query(sql, params).map {
            CostRow(key: $0.string("k"), label: $0.string("label"), sessions: $0.intValue("n"), inputTokens: $0.int("input"),
                    outputTokens: $0.int("output"), cacheReadTokens: $0.int("cache_read"), cacheWriteTokens: $0.int("cache_write"),
                    costUsd: $0.double("cost"))
        }
    }
}

extension SessionRepository {
    /// Per task: its sessions (sub-agents included when linked), all their tokens and their cost, in one query
    /// over the given ids only (the board asks for a window of cards, never for every task).
    public func taskCosts(_ taskIds: [ID]) throws -> [ID: TaskCost] {
        guard !taskIds.isEmpty else { return [:] }
        var out: [ID: TaskCost] = [:]
        for r in try db.query("""
            SELECT task_id, count(*) AS n, sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens,
                sum(cost_usd) AS cost
            FROM sessions WHERE task_id IN (\(TaskRepository.placeholders(taskIds.count))) GROUP BY task_id
            """, taskIds.map { .int($0) }) {
            out[r.int("task_id")] = TaskCost(sessions: r.intValue("n"), tokens: r.int("tokens"), costUsd: r.double("cost"))
        }
        return out
    }
}

extension SessionRepository {
    /// Every API call with usage, at its own time, its cost the recorded one, else its tokens priced for its model
    /// (ccusage's `auto` mode). A session whose messages carry no usage (a run that only reported totals, or one
    /// imported before migration 013 without per-call figures) counts as one call at its start with its totals.
    /// A session whose run recorded only its total cost (`claude -p` stream-json's `total_cost_usd`) shares that
    /// total among its calls in proportion to their priced cost, so that days, weeks and blocks add up to the
    /// sessions' costs (docs/cost.md).
    public func usageEntries(since: Date? = nil, prices: PriceTable) throws -> [UsageEntry] {
        let params: [SQLValue] = since.map { [.date($0)] } ?? []
        // Messages count their cached input in input_tokens (the transcript shows it so); a call's uncached input
        // is what is left. With `since`, every call of the sessions written since then (a call then or later
        // updated its session), all of them for the sharing below, the earlier ones dropped after it.
        var recorded: Set<ID> = [], sessionCost: [ID: Double] = [:]
        var out = try db.query("""
            SELECT m.session_id, m.created_at, coalesce(m.model, s.model) AS model, m.input_tokens, m.output_tokens,
                m.cache_read_tokens, m.cache_write_tokens, m.cache_write_1h_tokens, m.cost_usd, s.cost_usd AS session_cost
            FROM messages m JOIN sessions s ON s.id = m.session_id
            WHERE (m.input_tokens > 0 OR m.output_tokens > 0)\(since == nil ? "" : " AND s.updated_at >= ?")
            """, params).map { r in
            let read = r.int("cache_read_tokens"), write = r.int("cache_write_tokens")
            let u = Usage(input: max(0, r.int("input_tokens") - read - write), output: r.int("output_tokens"), cacheRead: read,
                          cacheWrite: write, cacheWrite1h: r.int("cache_write_1h_tokens"))
            let model = r.optString("model"), sid = r.int("session_id")
            if r.optDouble("cost_usd") != nil { recorded.insert(sid) }
            sessionCost[sid] = r.double("session_cost")
            return UsageEntry(time: r.date("created_at"), sessionId: r.int("session_id"), model: model, usage: u,
                              costUsd: r.optDouble("cost_usd") ?? prices.callCost(model: model, usage: u))
        }
        Self.share(&out, sessionCost: sessionCost, except: recorded)
        if let since { out.removeAll { $0.time < since } }  // after sharing: a session's earlier calls count in the proportion
        out += try db.query("""
            SELECT s.id, s.created_at, s.model, s.input_tokens, s.output_tokens, s.cache_read_tokens, s.cache_write_tokens, s.cost_usd
            FROM sessions s
            WHERE (s.input_tokens > 0 OR s.output_tokens > 0 OR s.cost_usd > 0)\(since == nil ? "" : " AND s.created_at >= ?")
                AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND (m.input_tokens > 0 OR m.output_tokens > 0))
            """, params).map { r in
            UsageEntry(time: r.date("created_at"), sessionId: r.int("id"), model: r.optString("model"),
                       usage: Usage(input: r.int("input_tokens"), output: r.int("output_tokens"), cacheRead: r.int("cache_read_tokens"),
                                    cacheWrite: r.int("cache_write_tokens")),
                       costUsd: r.double("cost_usd"))
        }
        return out
    }

    /// Each session's recorded total over its calls, in proportion to their priced cost (by tokens when none has a
    /// price). A session without a total yet (a run still going) keeps its priced calls.
    static func share(_ entries: inout [UsageEntry], sessionCost: [ID: Double], except recorded: Set<ID>) {
        var priced: [ID: Double] = [:], tokens: [ID: Int64] = [:]
        for e in entries { priced[e.sessionId, default: 0] += e.costUsd; tokens[e.sessionId, default: 0] += e.usage.totalTokens }
        for i in entries.indices {
            let sid = entries[i].sessionId
            guard !recorded.contains(sid), let total = sessionCost[sid], total > 0, abs(total - (priced[sid] ?? 0)) > 1e-12 else { continue }
            if let p = priced[sid], p > 0 { entries[i].costUsd *= total / p }
            else if let t = tokens[sid], t > 0 { entries[i].costUsd = total * Double(entries[i].usage.totalTokens) / Double(t) }
        }
    }
}
