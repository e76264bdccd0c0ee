import Foundation
import Core
import Storage

/// What an import did: sessions, messages and tool calls read (existing ones are matched by external id,
/// not stored twice) and the lines skipped.
public struct ImportSummary: Sendable, Equatable {
    public var files = 0
    public var sessions = 0
    public var messages = 0
    public var toolCalls = 0
    public var skippedLines = 0
    public init() {}

    public var line: String {
        "imported \(sessions) sessions, \(messages) messages, \(toolCalls) tool calls; skipped \(skippedLines) lines"
    }
}

/// Writes imported transcripts through the repositories, idempotently (keyed by external ids).
final class TranscriptWriter {
    let store: Store
    let prices: PriceTable
    var summary = ImportSummary()
    private var agents: [String: Agent] = [:]
    private var seenSessions: Set<ID> = []

    func checkpoint() -> (ImportSummary, Set<ID>) { (summary, seenSessions) }
    func restore(_ c: (ImportSummary, Set<ID>)) { summary = c.0; seenSessions = c.1; agents = [:] }

    init(store: Store) throws {
        self.store = store
        self.prices = try store.settings.priceTable()
    }

    /// The agent with this slug, created (an AI agent run by the binary of the same name) when missing.
    func agent(_ slug: String, name: String) throws -> Agent {
        if let a = agents[slug] { return a }
        let a = try store.agents.find(slug: slug)
            ?? store.agents.create(Agent(slug: slug, name: name, toolType: .aiAgent, binaryPath: slug))
        agents[slug] = a
        return a
    }

    func session(agent: Agent, externalId: String, title: String? = nil, model: String? = nil,
                 parentSessionId: ID? = nil, parentToolCallId: ID? = nil, metadata: JSONValue = .object([:])) throws -> Session {
        let s = try store.sessions.find(agentId: agent.id, externalSessionId: externalId)
            ?? store.sessions.create(Session(title: title.map(Self.titled), agentId: agent.id, userGoal: title, status: .running,
                                             externalSessionId: externalId, overrides: SessionOverrides(model: model),
                                             metadata: metadata),
                                     parentSessionId: parentSessionId, parentToolCallId: parentToolCallId)
        if seenSessions.insert(s.id).inserted { summary.sessions += 1 }
        return s
    }

    static func titled(_ s: String) -> String {
        let line = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? s
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    @discardableResult
    func message(_ sessionId: ID, role: MessageRole, kind: MessageKind = .message, content: String, externalId: String,
                 parentId: ID? = nil, usage: Usage? = nil, metadata: JSONValue = .object([:]), isError: Bool = false,
                 at: Date? = nil) throws -> Message {
        summary.messages += 1
        return try store.messages.append(Message(sessionId: sessionId, parentId: parentId, role: role, kind: kind, content: content,
                                                 metadata: metadata, externalId: externalId,
                                                 inputTokens: usage.map { $0.inputTokens + $0.cacheReadTokens + $0.cacheWriteTokens } ?? 0,
                                                 outputTokens: usage?.outputTokens ?? 0, isError: isError, createdAt: at ?? Date()))
    }

    /// An action message and its tool call.
    @discardableResult
    func toolUse(_ sessionId: ID, externalId: String, name: String, input: String, parentId: ID? = nil,
                 usage: Usage? = nil, at: Date? = nil) throws -> (message: Message, call: ToolCall) {
        try store.db.transaction(.immediate) {  // the action and its call appear together
            let m = try message(sessionId, role: .assistant, kind: .action, content: "\(name) \(input)", externalId: "call:" + externalId,
                                parentId: parentId, usage: usage, at: at)
            let t = try store.toolCalls.create(ToolCall(sessionId: sessionId, messageId: m.id, externalId: externalId, toolName: name,
                                                        input: input, createdAt: at ?? Date()))
            summary.toolCalls += 1
            return (m, t)
        }
    }

    /// The result of a tool call: an observation message (child of the action) and the call completed.
    /// Returns false when no call with this id is known in the session.
    @discardableResult
    func toolResult(_ sessionId: ID, callId: String, output: String, isError: Bool, at: Date? = nil) throws -> Bool {
        // One transaction: a reader (the dashboard, live) never sees a result whose call still runs.
        try store.db.transaction(.immediate) {
            guard let t = try store.toolCalls.find(sessionId: sessionId, externalId: callId) else { return false }
            let m = try message(sessionId, role: .tool, kind: .observation, content: output, externalId: "result:" + callId,
                                parentId: t.messageId, isError: isError, at: at)
            try store.toolCalls.complete(t.id, output: output, status: isError ? .error : .success, resultMessageId: m.id)
            return true
        }
    }

    /// Final status and totals; cost is the recorded one when known, else computed from tokens with the price table.
    func finish(_ sessionId: ID, status: SessionStatus, usage: Usage, recordedCost: Double?, model: String?) throws {
        try store.sessions.setStatus(sessionId, status)
        let cost = recordedCost ?? prices.cost(model: model, usage: usage)
        try store.sessions.setUsageTotals(sessionId, usage, costUsd: cost)
        try store.sessions.startAtFirstMessage(sessionId)
    }
}

/// ISO 8601 timestamps of transcript records.
enum Timestamps {
    static func parse(_ v: JSONValue?) -> Date? {
        guard let s = v?.stringValue else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }
}
