import Foundation
import Core

/// Tool calls of a session, and pending confirmations: a tool call waiting for a person (at most one per session).
public struct ToolCallRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Creates a tool call; one with an external id already stored is returned unchanged (idempotent imports).
    @discardableResult
    public func create(_ t: ToolCall, requiresConfirmation: Bool = false, confirmationMessage: String? = nil) throws -> ToolCall {
        try db.transaction(.immediate) {
            if let ext = t.externalId,
               let r = try db.queryOne("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.session_id = ? AND tc.external_id = ?",
                                       .int(t.sessionId), .text(ext)) { return r.toolCall }
            do {
                let id = try db.insert("""
                    INSERT INTO tool_calls (session_id, message_id, external_id, tool_name, input, output, status, duration_ms,
                        requires_confirmation, confirmation_message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.int(t.sessionId), .optional(t.messageId), .optional(t.externalId), .text(t.toolName), .text(t.input),
                          .optional(t.output), .text(t.status.rawValue), .optional(t.durationMs), .bool(requiresConfirmation),
                          .optional(confirmationMessage), .date(t.createdAt)])
                return try get(id)
            } catch StorageError.constraint(let m) {
                if requiresConfirmation, m.contains("uq_tool_calls_pending_confirmation") || m.contains("tool_calls.session_id") {
                    throw StorageError.conflict("session \(t.sessionId) already has a pending confirmation")
                }
                throw StorageError.invalid("tool call refused: \(m)")
            }
        }
    }

    public func get(_ id: ID) throws -> ToolCall {
        guard let r = try db.queryOne("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.id = ?", .int(id)) else {
            throw StorageError.notFound("no tool call with id \(id)")
        }
        return r.toolCall
    }

    public func find(sessionId: ID, externalId: String) throws -> ToolCall? {
        try db.queryOne("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.session_id = ? AND tc.external_id = ?",
                        .int(sessionId), .text(externalId))?.toolCall
    }

    /// Seed `complete(id, output, status, durationMs)`.
    public func complete(_ id: ID, output: String?, status: ToolCallStatus, durationMs: Int64? = nil, resultMessageId: ID? = nil) throws {
        let n = try db.execute("""
            UPDATE tool_calls SET output = ?, status = ?, duration_ms = coalesce(?, duration_ms),
                result_message_id = coalesce(?, result_message_id), completed_at = \(db.dialect.now) WHERE id = ?
            """, .optional(output), .text(status.rawValue), .optional(durationMs), .optional(resultMessageId), .int(id))
        if n == 0 { throw StorageError.notFound("no tool call with id \(id)") }
    }

    /// Seed `queryToolCalls`.
    public func query(sessionId: ID? = nil, toolName: String? = nil, status: ToolCallStatus? = nil, limit: Int = 1000) throws -> [ToolCall] {
        var conds: [String] = [], params: [SQLValue] = []
        if let sessionId { conds.append("tc.session_id = ?"); params.append(.int(sessionId)) }
        if let toolName { conds.append("tc.tool_name = ?"); params.append(.text(toolName)) }
        if let status { conds.append("tc.status = ?"); params.append(.text(status.rawValue)) }
        params.append(.int(Int64(limit)))
        let w = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
        return try db.query("SELECT \(Columns.toolCall) FROM tool_calls tc\(w) ORDER BY tc.id LIMIT ?", params).map(\.toolCall)
    }

    /// Seed `getToolCallsForMessage`.
    public func forMessage(_ messageId: ID) throws -> [ToolCall] {
        try db.query("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.message_id = ? ORDER BY tc.id", .int(messageId)).map(\.toolCall)
    }

    // MARK: pending confirmations

    /// Seed `savePendingConfirmation`.
    @discardableResult
    public func savePendingConfirmation(sessionId: ID, toolName: String, input: String, userMessage: String?) throws -> ToolCall {
        try create(ToolCall(sessionId: sessionId, toolName: toolName, input: input, status: .pending),
                   requiresConfirmation: true, confirmationMessage: userMessage)
    }

    /// Seed `getPendingConfirmation`.
    public func pendingConfirmation(sessionId: ID) throws -> ToolCall? {
        try db.queryOne("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.session_id = ? AND tc.status = 'pending' AND tc.requires_confirmation = ?",
                        .int(sessionId), .bool(true))?.toolCall
    }

    /// Which of `executionIds` wait for a person: a session of the run has an open confirmation. (The
    /// board's cards and the executions screen say "needs input" for them rather than "running".)
    public func runsAwaitingDecision(_ executionIds: [ID]) throws -> Set<ID> {
        guard !executionIds.isEmpty else { return [] }
        return Set(try db.query("""
            SELECT DISTINCT s.execution_id AS id FROM sessions s JOIN tool_calls tc ON tc.session_id = s.id
            WHERE s.execution_id IN (\(TaskRepository.placeholders(executionIds.count)))
              AND tc.status = 'pending' AND tc.requires_confirmation = ?
            """, executionIds.map { .int($0) } + [.bool(true)]).map { $0.int("id") })
    }

    /// Every open confirmation, oldest first (the attention inbox).
    public func pendingConfirmations() throws -> [ToolCall] {
        try db.query("SELECT \(Columns.toolCall) FROM tool_calls tc WHERE tc.status = 'pending' AND tc.requires_confirmation = ? ORDER BY tc.created_at, tc.id",
                     .bool(true)).map(\.toolCall)
    }

    /// Records a person's decision; approving leaves the call to run (status stays pending until its result
    /// arrives, but it is no longer waiting for a person), denying ends it `denied`.
    /// `note` (a live decision, by a person or a rule) also writes it into the session's transcript as a
    /// system line naming who decided, e.g. "Bash allowed by rule #3".
    public func decide(_ id: ID, approve: Bool, by: String, reason: String? = nil, note: Bool = false) throws {
        try db.transaction(.immediate) {
            let t = try get(id)
            guard t.status == .pending, t.requiresConfirmation, t.decidedAt == nil else {
                throw StorageError.invalid("tool call \(id) is not waiting for a decision")
            }
            try db.execute("""
                UPDATE tool_calls SET status = ?, requires_confirmation = ?, decided_by = ?, decided_at = \(db.dialect.now), decision_reason = ?
                WHERE id = ?
                """, .text(approve ? ToolCallStatus.pending.rawValue : ToolCallStatus.denied.rawValue), .bool(false), .text(by),
                .optional(reason), .int(id))
            if note {
                let why = reason.flatMap { $0 == "denied by \(by)" ? nil : ": \($0)" } ?? ""
                let text = "\(t.toolName) \(approve ? "allowed" : "denied") by \(by)" + why
                _ = try MessageRepository(db).append(Message(sessionId: t.sessionId, role: .system, content: text,
                                                             metadata: ["decided_by": .string(by), "tool_call_id": .number(Double(id))],
                                                             externalId: "decision:\(id)"))
            }
        }
    }

    /// Permission requests decided most recently (by people and rules, not those closed by agentmon itself),
    /// newest first: the inbox's history.
    public func recentDecisions(limit: Int = 20) throws -> [ToolCall] {
        try db.query("""
            SELECT \(Columns.toolCall) FROM tool_calls tc
            WHERE tc.decided_at IS NOT NULL AND tc.external_id IS NOT NULL AND tc.decided_by NOT IN ('agentmon', 'agent')
            ORDER BY tc.decided_at DESC, tc.id DESC LIMIT ?
            """, .int(Int64(limit))).map(\.toolCall)
    }

    /// An agent's request for permission, as a pending confirmation keyed by `externalId` (a re-import finds
    /// it and changes nothing). A session waits on one decision at a time: an earlier open confirmation is
    /// closed as superseded (no longer waiting, decided by `agentmon`) so the newest request is the one shown.
    @discardableResult
    public func savePermissionRequest(sessionId: ID, externalId: String, toolName: String, input: String,
                                      message: String?, messageId: ID? = nil, details: JSONValue? = nil,
                                      at: Date = Date()) throws -> ToolCall {
        try db.transaction(.immediate) {
            if let t = try find(sessionId: sessionId, externalId: externalId) { return t }
            try closePendingConfirmation(sessionId: sessionId, reason: "superseded by a later permission request")
            let t = try create(ToolCall(sessionId: sessionId, messageId: messageId, externalId: externalId, toolName: toolName,
                                        input: input, status: .pending, createdAt: at),
                               requiresConfirmation: true, confirmationMessage: message)
            if let details {
                try db.execute("UPDATE tool_calls SET request_details = ? WHERE id = ?", .text(details.jsonString), .int(t.id))
            }
            return t
        }
    }

    /// What the agent sent with its permission request besides tool and input (the protocol's request id,
    /// tool_use_id, suggestions); nil for other tool calls.
    public func requestDetails(_ id: ID) throws -> JSONValue? {
        guard let text = try db.queryOne("SELECT request_details FROM tool_calls WHERE id = ?", .int(id))?.optString("request_details")
        else { return nil }
        return JSONParser.parse(Array(text.utf8))
    }

    /// Closes the open confirmation of a session that nobody can answer any more (superseded, or its run
    /// ended): kept for the record, no longer waiting, decided by `agentmon` with `reason`.
    public func closePendingConfirmation(sessionId: ID, reason: String) throws {
        try db.execute("""
            UPDATE tool_calls SET requires_confirmation = ?, decided_by = 'agentmon', decided_at = \(db.dialect.now), decision_reason = ?
            WHERE session_id = ? AND status = 'pending' AND requires_confirmation = ?
            """, .bool(false), .text(reason), .int(sessionId), .bool(true))
    }

    /// Seed `clearPendingConfirmation`: drops the open confirmation of a session without a decision.
    public func clearPendingConfirmation(sessionId: ID) throws {
        try db.execute("DELETE FROM tool_calls WHERE session_id = ? AND status = 'pending' AND requires_confirmation = ? AND message_id IS NULL",
                       .int(sessionId), .bool(true))
    }
}
