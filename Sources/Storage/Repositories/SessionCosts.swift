import Foundation
import Core

/// Tokens and cost of agent sessions, added up by task, agent, session or day.
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

public enum CostGrouping: String, CaseIterable, Sendable { case task, agent, session, day }

extension SessionRepository {
    /// Sub-agent sessions count towards their own rows; nothing is counted twice.
    public func costs(by grouping: CostGrouping, since: Date? = nil) throws -> [CostRow] {
        let day = db.dialect == .postgres ? "to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "substr(s.created_at, 1, 10)"
        let (key, label, join): (String, String, String) = switch grouping {
        case .task: ("coalesce(CAST(s.task_id AS TEXT), '-')", "coalesce(max(t.title), '(no task)')", "LEFT JOIN tasks t ON t.id = s.task_id")
        case .agent: ("a.slug", "max(a.name)", "JOIN agents a ON a.id = s.main_agent_id")
        case .session: ("CAST(s.id AS TEXT)", "coalesce(max(s.title), max(s.user_goal), '')", "")
        case .day: (day, day, "")
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
