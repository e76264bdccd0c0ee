import Foundation
import Core

/// Agent conversations: lifecycle, effective settings (session override, else the agent's), usage totals.
public struct SessionRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    @discardableResult
    public func create(_ s: Session, parentSessionId: ID? = nil, parentToolCallId: ID? = nil) throws -> Session {
        let id = try db.insert("""
            INSERT INTO sessions (title, main_agent_id, sub_agent_ids, parent_session_id, parent_tool_call_id, user_goal,
                status, external_session_id, execution_id, task_id, model, instructions, permission_mode, max_steps, metadata)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.optional(s.title), .int(s.agentId), .text(s.subAgentIds.jsonText), .optional(parentSessionId),
                  .optional(parentToolCallId), .optional(s.userGoal), .text(s.status.rawValue), .optional(s.externalSessionId),
                  .optional(s.executionId), .optional(s.taskId), .optional(s.overrides.model), .optional(s.overrides.instructions),
                  .optional(s.overrides.permissionMode), .optional(s.overrides.maxSteps), .text(s.metadata.jsonString)])
        return try get(id)
    }

    public func get(_ id: ID) throws -> Session {
        guard let r = try db.queryOne("SELECT \(Columns.session) FROM sessions s WHERE s.id = ?", .int(id)) else {
            throw StorageError.notFound("no session with id \(id)")
        }
        return r.session
    }

    public func find(agentId: ID, externalSessionId: String) throws -> Session? {
        try db.queryOne("SELECT \(Columns.session) FROM sessions s WHERE s.main_agent_id = ? AND s.external_session_id = ?",
                        .int(agentId), .text(externalSessionId))?.session
    }

    /// Seed `getByExternalSessionId`, across agents.
    public func find(externalSessionId: String) throws -> Session? {
        try db.queryOne("SELECT \(Columns.session) FROM sessions s WHERE s.external_session_id = ? ORDER BY s.id LIMIT 1",
                        .text(externalSessionId))?.session
    }

    /// The agent session of a run: the main session tied to it, else the one its session ref names (a later
    /// run that resumed the session took the tie). Nil for a plain program's run.
    public func forRun(_ executionId: ID, sessionRef: String?) throws -> Session? {
        if let r = try db.queryOne("""
            SELECT \(Columns.session) FROM sessions s WHERE s.execution_id = ? AND s.parent_session_id IS NULL ORDER BY s.id DESC LIMIT 1
            """, .int(executionId)) { return r.session }
        guard let ref = sessionRef, !ref.isEmpty else { return nil }
        return try find(externalSessionId: ref)
    }

    /// Newest first; `activeOnly` keeps idle and running sessions (seed `listActive`).
    public func list(status: SessionStatus? = nil, activeOnly: Bool = false, limit: Int = 500) throws -> [Session] {
        var conds: [String] = [], params: [SQLValue] = []
        if let status { conds.append("s.status = ?"); params.append(.text(status.rawValue)) }
        if activeOnly { conds.append("s.status IN ('idle','running')") }
        params.append(.int(Int64(limit)))
        let w = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
        return try db.query("SELECT \(Columns.session) FROM sessions s\(w) ORDER BY s.id DESC LIMIT ?", params).map(\.session)
    }

    public func setStatus(_ id: ID, _ status: SessionStatus) throws {
        let n = try db.execute("UPDATE sessions SET status = ?, updated_at = \(db.dialect.now) WHERE id = ?", .text(status.rawValue), .int(id))
        if n == 0 { throw StorageError.notFound("no session with id \(id)") }
    }

    /// Seed `setActiveAgent`.
    public func setAgent(_ id: ID, agentId: ID) throws {
        try db.execute("UPDATE sessions SET main_agent_id = ?, updated_at = \(db.dialect.now) WHERE id = ?", .int(agentId), .int(id))
    }

    public func setOverrides(_ id: ID, _ o: SessionOverrides) throws {
        try db.execute("UPDATE sessions SET model = ?, instructions = ?, permission_mode = ?, max_steps = ?, updated_at = \(db.dialect.now) WHERE id = ?",
                       .optional(o.model), .optional(o.instructions), .optional(o.permissionMode), .optional(o.maxSteps), .int(id))
    }

    public func setExternalId(_ id: ID, _ external: String) throws {
        try db.execute("UPDATE sessions SET external_session_id = ?, updated_at = \(db.dialect.now) WHERE id = ?", .text(external), .int(id))
    }

    /// Ties a session to the task and execution it worked for (importers see transcripts, not tasks).
    public func link(_ id: ID, taskId: ID?, executionId: ID? = nil) throws {
        let n = try db.execute("UPDATE sessions SET task_id = ?, execution_id = ?, updated_at = \(db.dialect.now) WHERE id = ?",
                               .optional(taskId), .optional(executionId), .int(id))
        if n == 0 { throw StorageError.notFound("no session with id \(id)") }
    }

    /// Names a session that its transcript left untitled (stream-json and Codex runs do not echo the prompt).
    public func setTitle(_ id: ID, _ title: String?) throws {
        try db.execute("UPDATE sessions SET title = ?, updated_at = \(db.dialect.now) WHERE id = ?", .optional(title), .int(id))
    }

    public func updateMetadata(_ id: ID, _ metadata: JSONValue) throws {
        try db.execute("UPDATE sessions SET metadata = ?, updated_at = \(db.dialect.now) WHERE id = ?", .text(metadata.jsonString), .int(id))
    }

    public func effectiveSettings(_ id: ID) throws -> EffectiveSettings {
        let s = try get(id)
        return EffectiveSettings(agent: try AgentRepository(db).get(s.agentId), overrides: s.overrides)
    }

    /// Adds usage to the session's totals.
    public func addUsage(_ id: ID, _ u: Usage, costUsd: Double) throws {
        try db.execute("""
            UPDATE sessions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?,
                cache_read_tokens = cache_read_tokens + ?, cache_write_tokens = cache_write_tokens + ?, cost_usd = cost_usd + ?,
                updated_at = \(db.dialect.now) WHERE id = ?
            """, .int(u.inputTokens), .int(u.outputTokens), .int(u.cacheReadTokens), .int(u.cacheWriteTokens), .double(costUsd), .int(id))
    }

    /// Seed `closeSession`.
    public func close(_ id: ID) throws { try setStatus(id, .completed) }

    /// Seed `deleteSession`: the session with its messages and tool calls.
    public func delete(_ id: ID) throws {
        let n = try db.execute("DELETE FROM sessions WHERE id = ?", .int(id))
        if n == 0 { throw StorageError.notFound("no session with id \(id)") }
    }

    /// Sub-agent sessions started by tool calls of this session.
    public func children(of id: ID) throws -> [(session: Session, toolCallId: ID?)] {
        try db.query("SELECT \(Columns.session), s.parent_tool_call_id FROM sessions s WHERE s.parent_session_id = ? ORDER BY s.id", .int(id))
            .map { ($0.session, $0.optInt("parent_tool_call_id")) }
    }
}
