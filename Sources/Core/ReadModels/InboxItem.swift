import Foundation

/// Something waiting for a person: a tool call asking for confirmation, or a run asking for approval.
/// The dashboard's inbox and `agentmon inbox` both read it from `InboxRepository`.
public enum InboxItem: Sendable, Equatable {
    case toolCall(ToolCall, agentSlug: String, sessionTitle: String)
    case execution(ExecutionSummary)

    public var createdAt: Date {
        switch self {
        case .toolCall(let t, _, _): t.createdAt
        case .execution(let e): e.execution.createdAt
        }
    }

    public var kind: InboxKind {
        switch self {
        case .toolCall: .confirm
        case .execution: .approve
        }
    }

    /// The id scripts see and pass back: `c12` (tool call 12) or `a7` (execution 7).
    public var ref: InboxRef {
        switch self {
        case .toolCall(let t, _, _): InboxRef(kind: .confirm, id: t.id)
        case .execution(let e): InboxRef(kind: .approve, id: e.execution.id)
        }
    }
}

/// `confirm`: a tool call waiting for a person; `approve`: a queued execution waiting for approval.
public enum InboxKind: String, Sendable, Equatable, CaseIterable {
    case confirm, approve

    /// The letter an inbox id starts with.
    public var letter: Character { self == .confirm ? "c" : "a" }
}

/// An inbox item's id as printed by `agentmon inbox list`: the kind's letter and the row's number, `c12` or `a7`,
/// since a tool call and an execution may share a number.
public struct InboxRef: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var kind: InboxKind
    public var id: ID
    public init(kind: InboxKind, id: ID) { self.kind = kind; self.id = id }

    /// Reads exactly what `description` writes (`c12`, `a7`); anything else is nil.
    public init?(_ text: String) {
        guard let first = text.first, let kind = InboxKind.allCases.first(where: { $0.letter == first }) else { return nil }
        let digits = text.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = ID(digits), n > 0 else { return nil }
        self.init(kind: kind, id: n)
    }

    public var description: String { "\(kind.letter)\(id)" }
}

/// An inbox item flattened for scripts: the fields `agentmon inbox list` prints.
public struct InboxEntry: Sendable, Equatable {
    public var ref: InboxRef
    public var executionId: ID?
    public var sessionId: ID?
    public var agent: String
    /// The tool asking (confirm) or the capability's key (approve).
    public var toolName: String
    /// The tool's input (confirm), or the run's prompt, else its arguments as JSON (approve).
    public var input: String
    /// The capability's danger level (0–3) of the run, when the item belongs to one.
    public var danger: Int?
    public var createdAt: Date

    public init(ref: InboxRef, executionId: ID?, sessionId: ID?, agent: String, toolName: String, input: String, danger: Int?, createdAt: Date) {
        self.ref = ref; self.executionId = executionId; self.sessionId = sessionId; self.agent = agent
        self.toolName = toolName; self.input = input; self.danger = danger; self.createdAt = createdAt
    }
}

/// A permission request that was answered, for the inbox's history: who decided (a person, or `rule #N`),
/// what, and why.
public struct InboxDecision: Sendable, Equatable {
    public var toolCallId: ID
    public var executionId: ID?
    public var agent: String
    public var toolName: String
    public var input: String
    public var allowed: Bool
    public var decidedBy: String
    public var reason: String?
    public var decidedAt: Date
    public init(toolCallId: ID, executionId: ID?, agent: String, toolName: String, input: String, allowed: Bool,
                decidedBy: String, reason: String?, decidedAt: Date) {
        self.toolCallId = toolCallId; self.executionId = executionId; self.agent = agent; self.toolName = toolName
        self.input = input; self.allowed = allowed; self.decidedBy = decidedBy; self.reason = reason; self.decidedAt = decidedAt
    }
}
