import Foundation
import Core

/// What else goes when a row is removed, counted before asking, and the removals that take it along. The
/// counts follow the schema's ON DELETE rules: executions point at their agent and capability with no action
/// (a delete is refused while one exists), so removing those with `withExecutions` deletes the executions first
/// (their log chunks and inputs cascade; sessions and other runs pointing at them are set to NULL). A running
/// or cancelling execution is never deleted: cancel it first.
public struct AgentDependents: Sendable, Equatable {
    public var executions = 0, running = 0, sessions = 0, capabilities = 0, assignedTasks = 0, rules = 0
    public init() {}
}

public struct TaskDependents: Sendable, Equatable {
    public var subtasks = 0, dependents = 0, executions = 0, running = 0
    public init() {}
}

public struct SessionDependents: Sendable, Equatable {
    public var messages = 0, toolCalls = 0, subSessions = 0
    public init() {}
}

extension AgentRepository {
    public func removalCounts(of id: ID) throws -> AgentDependents {
        var d = AgentDependents()
        let r = try db.queryOne("""
            SELECT (SELECT count(*) FROM executions WHERE agent_id = ?) AS executions,
                   (SELECT count(*) FROM executions WHERE agent_id = ? AND status IN ('running','cancelling')) AS running,
                   (SELECT count(*) FROM sessions WHERE main_agent_id = ?) AS sessions,
                   (SELECT count(*) FROM agent_capabilities WHERE agent_id = ?) AS capabilities,
                   (SELECT count(*) FROM tasks WHERE assignee_agent_id = ?) AS tasks,
                   (SELECT count(*) FROM approval_rules WHERE agent_id = ?) AS rules
            """, [SQLValue](repeating: .int(id), count: 6))
        d.executions = r?.intValue("executions") ?? 0; d.running = r?.intValue("running") ?? 0
        d.sessions = r?.intValue("sessions") ?? 0; d.capabilities = r?.intValue("capabilities") ?? 0
        d.assignedTasks = r?.intValue("tasks") ?? 0; d.rules = r?.intValue("rules") ?? 0
        return d
    }

    /// Removes the agent with its capabilities, sessions (their messages and tool calls) and approval rules;
    /// tasks assigned to it are left unassigned. With `withExecutions` its executions go first; refused while
    /// one of them runs.
    public func delete(_ id: ID, withExecutions: Bool) throws {
        try db.transaction(.immediate) {
            _ = try get(id)
            if withExecutions {
                let d = try removalCounts(of: id)
                if d.running > 0 { throw StorageError.conflict("agent \(id) has \(d.running) running execution(s): cancel them first") }
                try db.execute("DELETE FROM executions WHERE agent_id = ?", .int(id))
            }
            // Tasks that would auto-run one of its capabilities no longer do (the column has no foreign key).
            try db.execute("UPDATE tasks SET auto_run_capability_id = NULL WHERE auto_run_capability_id IN (SELECT id FROM agent_capabilities WHERE agent_id = ?)",
                           .int(id))
            try delete(id)
        }
    }

    /// Writes a capability's editable fields (found by its id; agent, key and source stay).
    @discardableResult
    public func updateCapability(_ c: Capability) throws -> Capability {
        guard (0...3).contains(c.dangerLevel) else { throw StorageError.invalid("danger level must be 0 to 3") }
        guard c.timeoutSec > 0 else { throw StorageError.invalid("timeout must be positive") }
        guard c.maxOutputBytes > 0 else { throw StorageError.invalid("max output bytes must be positive") }
        guard !c.label.isEmpty else { throw StorageError.invalid("a capability's label must not be empty") }
        if c.mode == .template, (c.commandTokens ?? []).isEmpty { throw StorageError.invalid("a template capability needs command tokens") }
        if c.mode == .prompt, (c.promptTemplate ?? "").isEmpty { throw StorageError.invalid("a prompt capability needs a prompt template") }
        let n = try db.execute("""
            UPDATE agent_capabilities SET label = ?, description = ?, interaction_mode = ?, command_tokens = ?, prompt_template = ?,
                requires_approval = ?, is_enabled = ?, danger_level = ?, timeout_sec = ?, max_output_bytes = ?, isolation = ?
            WHERE id = ?
            """, [.text(c.label), .optional(c.description), .text(c.mode.rawValue), .optional(c.commandTokens?.jsonText),
                  .optional(c.promptTemplate), .bool(c.requiresApproval), .bool(c.isEnabled), .int(Int64(c.dangerLevel)),
                  .int(Int64(c.timeoutSec)), .int(c.maxOutputBytes), .text(c.isolation.rawValue), .int(c.id)])
        if n == 0 { throw StorageError.notFound("no capability with id \(c.id)") }
        return try capability(c.id)
    }

    /// Executions of a capability: all of them, and those running or cancelling.
    public func capabilityExecutions(_ id: ID) throws -> (all: Int, running: Int) {
        let r = try db.queryOne("""
            SELECT count(*) AS n, coalesce(sum(CASE WHEN status IN ('running','cancelling') THEN 1 ELSE 0 END), 0) AS running
            FROM executions WHERE capability_id = ?
            """, .int(id))
        return (r?.intValue("n") ?? 0, r?.intValue("running") ?? 0)
    }

    /// Removes a capability; with `withExecutions` its executions first (refused while one runs). Without,
    /// a capability with executions is refused with a conflict.
    public func deleteCapability(_ id: ID, withExecutions: Bool) throws {
        try db.transaction(.immediate) {
            _ = try capability(id)
            let e = try capabilityExecutions(id)
            if e.all > 0, !withExecutions { throw StorageError.conflict("capability \(id) has \(e.all) execution(s) on record") }
            if e.running > 0 { throw StorageError.conflict("capability \(id) has \(e.running) running execution(s): cancel them first") }
            try db.execute("DELETE FROM executions WHERE capability_id = ?", .int(id))
            try db.execute("UPDATE tasks SET auto_run_capability_id = NULL WHERE auto_run_capability_id = ?", .int(id))
            try db.execute("DELETE FROM agent_capabilities WHERE id = ?", .int(id))
        }
    }
}

extension TaskRepository {
    /// Subtasks (kept, without a parent, when the task goes), tasks depending on it (their links go),
    /// executions (deleted with it: `executions.task_id` cascades).
    public func removalCounts(of id: ID) throws -> TaskDependents {
        var d = TaskDependents()
        let r = try db.queryOne("""
            SELECT (SELECT count(*) FROM tasks WHERE parent_task_id = ?) AS subtasks,
                   (SELECT count(*) FROM task_dependencies WHERE depends_on_task_id = ?) AS dependents,
                   (SELECT count(*) FROM executions WHERE task_id = ?) AS executions,
                   (SELECT count(*) FROM executions WHERE task_id = ? AND status IN ('running','cancelling')) AS running
            """, [SQLValue](repeating: .int(id), count: 4))
        d.subtasks = r?.intValue("subtasks") ?? 0; d.dependents = r?.intValue("dependents") ?? 0
        d.executions = r?.intValue("executions") ?? 0; d.running = r?.intValue("running") ?? 0
        return d
    }
}

extension SessionRepository {
    /// Messages, tool calls and sub-agent sessions: all cascade with the session.
    public func removalCounts(of id: ID) throws -> SessionDependents {
        var d = SessionDependents()
        let r = try db.queryOne("""
            SELECT (SELECT count(*) FROM messages WHERE session_id = ?) AS messages,
                   (SELECT count(*) FROM tool_calls WHERE session_id = ?) AS calls,
                   (SELECT count(*) FROM sessions WHERE parent_session_id = ?) AS subs
            """, [SQLValue](repeating: .int(id), count: 3))
        d.messages = r?.intValue("messages") ?? 0; d.toolCalls = r?.intValue("calls") ?? 0; d.subSessions = r?.intValue("subs") ?? 0
        return d
    }
}
