import Foundation
import Core

/// An execution with the names a list shows, read in one query.
public struct ExecutionSummary: Sendable, Equatable {
    public var execution: Execution
    public var taskTitle: String
    public var agentSlug: String
    public var capabilityKey: String
    public var dangerLevel: Int
    public init(execution: Execution, taskTitle: String, agentSlug: String, capabilityKey: String, dangerLevel: Int) {
        self.execution = execution; self.taskTitle = taskTitle; self.agentSlug = agentSlug
        self.capabilityKey = capabilityKey; self.dangerLevel = dangerLevel
    }
}

extension ExecutionRepository {
    /// Newest first, optionally one status, with task title, agent slug and capability key.
    public func summaries(status: ExecutionStatus? = nil, limit: Int = 500) throws -> [ExecutionSummary] {
        var sql = """
            SELECT \(Columns.execution), t.title AS task_title, a.slug AS agent_slug, c.key AS capability_key,
                c.danger_level AS danger
            FROM executions e JOIN tasks t ON t.id = e.task_id JOIN agents a ON a.id = e.agent_id
            JOIN agent_capabilities c ON c.id = e.capability_id
            """
        var params: [SQLValue] = []
        if let status { sql += " WHERE e.status = ?"; params.append(.text(status.rawValue)) }
        sql += " ORDER BY e.id DESC LIMIT ?"
        params.append(.int(Int64(limit)))
        return try db.query(sql, params).map {
            ExecutionSummary(execution: $0.execution, taskTitle: $0.string("task_title"), agentSlug: $0.string("agent_slug"),
                             capabilityKey: $0.string("capability_key"), dangerLevel: $0.intValue("danger"))
        }
    }
}
