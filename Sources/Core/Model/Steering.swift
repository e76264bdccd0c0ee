import Foundation

/// What a person (or a rule) sends to a running agent, queued in the database until the run's worker
/// delivers it: once, in id order, stamped with when it arrived.
public struct ExecutionInput: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A follow-up message: a user turn (stream-json, app-server) or typed text (tmux).
        case message
        /// Stop what the agent is doing, keep the run alive.
        case interrupt
        /// The answer to a permission request (the tool call says which, and what was decided).
        case decision
    }

    public var id: ID
    public var executionId: ID
    public var kind: Kind
    public var body: String
    public var toolCallId: ID?
    public var sentBy: String
    public var createdAt: Date
    public var deliveredAt: Date?
    /// Why it could not be delivered (the run ended first, the agent's protocol has no such input).
    public var error: String?

    public init(id: ID = 0, executionId: ID, kind: Kind, body: String = "", toolCallId: ID? = nil, sentBy: String,
                createdAt: Date = Date(), deliveredAt: Date? = nil, error: String? = nil) {
        self.id = id; self.executionId = executionId; self.kind = kind; self.body = body; self.toolCallId = toolCallId
        self.sentBy = sentBy; self.createdAt = createdAt; self.deliveredAt = deliveredAt; self.error = error
    }
}

/// One approval rule: which permission requests it covers (every field that is set must match) and what
/// it decides. Rules are ordered; the first that matches decides, and with none the agent asks a person.
public struct ApprovalRule: Sendable, Equatable, Codable {
    public enum Decision: String, Sendable, Codable, CaseIterable { case allow, deny, ask }

    public var id: ID
    public var position: Int64
    public var agentId: ID?
    /// The agent's slug, for display (not stored).
    public var agentSlug: String?
    public var toolName: String?
    /// An extended regular expression searched in the request's input (its JSON text and each string in it).
    public var match: String?
    public var decision: Decision
    public var createdBy: String
    public var createdAt: Date

    public init(id: ID = 0, position: Int64 = 0, agentId: ID? = nil, agentSlug: String? = nil, toolName: String? = nil,
                match: String? = nil, decision: Decision, createdBy: String = "user", createdAt: Date = Date()) {
        self.id = id; self.position = position; self.agentId = agentId; self.agentSlug = agentSlug; self.toolName = toolName
        self.match = match; self.decision = decision; self.createdBy = createdBy; self.createdAt = createdAt
    }

    /// How a decision made by this rule is recorded (`decided_by`), so the transcript and the inbox history name it.
    public var decider: String { "rule #\(id)" }
}
