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
    /// Sessions created and messages written by this import (the counts above include ones already stored).
    public var newSessions = 0
    public var newMessages = 0
    public init() {}

    public var line: String {
        "imported \(sessions) sessions, \(messages) messages, \(toolCalls) tool calls; skipped \(skippedLines) lines"
    }
}

/// Writes imported transcripts through the repositories, idempotently (keyed by external ids).
///
/// A live run writes each message at once (a dashboard shows it as it arrives). A whole-file import
/// (`batch`) hands messages and tool calls to a `TranscriptBatch`, which writes them many rows a statement;
/// everything else goes through `store`, which first writes what waits, so the repositories always see the
/// transcript as it has been read so far.
final class TranscriptWriter {
    private let base: Store
    private let batch: TranscriptBatch?
    let prices: PriceTable
    var summary = ImportSummary()
    private var agents: [String: Agent] = [:]
    private var seenSessions: Set<ID> = []

    func checkpoint() -> (ImportSummary, Set<ID>) { (summary, seenSessions) }
    /// Back to a checkpoint after a rollback: nothing of the rolled-back work is remembered.
    func restore(_ c: (ImportSummary, Set<ID>)) { summary = c.0; seenSessions = c.1; agents = [:]; batch?.reset() }

    /// - Parameters: batched: whole-file imports, whose rows wait for their search index entries
    ///   (`SearchBacklog`, SQLite); commitRows: see `TranscriptBatch.commitRows`.
    init(store: Store, batched: Bool = false, commitRows: Int? = nil) throws {
        self.base = store
        self.batch = batched ? TranscriptBatch(db: store.db, commitRows: commitRows, deferSearch: true) : nil
        self.prices = try store.settings.priceTable()
    }

    /// The store, for anything but messages and tool calls: the rows still waiting are written first, and
    /// what the caller writes is read again by the batch.
    var store: Store {
        get throws {
            if let batch { try batch.flush(); batch.forgetSessions() }
            return base
        }
    }

    /// Writes the rows still waiting (a batched import, before its transaction commits).
    func flush() throws { try batch?.flush() }

    /// Before its transaction rolls back: waits for a write under way.
    func abandon() { batch?.abandon() }

    /// The agent with this slug, created (an AI agent run by the binary of the same name) when missing.
    func agent(_ slug: String, name: String) throws -> Agent {
        if let a = agents[slug] { return a }
        let store = try self.store
        let a = try store.agents.find(slug: slug)
            ?? store.agents.create(Agent(slug: slug, name: name, toolType: .aiAgent, binaryPath: slug))
        agents[slug] = a
        return a
    }

    func session(agent: Agent, externalId: String, title: String? = nil, model: String? = nil,
                 parentSessionId: ID? = nil, parentToolCallId: ID? = nil, metadata: JSONValue = .object([:])) throws -> Session {
        let store = try self.store
        if var found = try store.sessions.find(agentId: agent.id, externalSessionId: externalId) {
            // Made untitled by a sub-agent's file read before its session's own file.
            if found.title == nil, let title {
                try store.sessions.setTitle(found.id, Self.titled(title))
                found.title = Self.titled(title)
            }
            if seenSessions.insert(found.id).inserted { summary.sessions += 1 }
            return found
        }
        let s = try store.sessions.create(Session(title: title.map(Self.titled), agentId: agent.id, userGoal: title, status: .running,
                                             externalSessionId: externalId, overrides: SessionOverrides(model: model),
                                             metadata: metadata),
                                     parentSessionId: parentSessionId, parentToolCallId: parentToolCallId)
        summary.newSessions += 1
        if seenSessions.insert(s.id).inserted { summary.sessions += 1 }
        return s
    }

    static func titled(_ s: String) -> String {
        let line = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? s
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    @discardableResult
    func message(_ sessionId: ID, role: MessageRole, kind: MessageKind = .message, content: String, externalId: String,
                 parentId: ID? = nil, usage: Usage? = nil, call: CallFigures = CallFigures(), metadata: JSONValue = .object([:]),
                 isError: Bool = false, at: Date? = nil) throws -> Message {
        summary.messages += 1
        // The call's model and recorded cost go with its usage, on the one message that carries it.
        let m = Message(sessionId: sessionId, parentId: parentId, role: role, kind: kind, content: content,
                        metadata: metadata, externalId: externalId,
                        inputTokens: usage.map { $0.inputTokens + $0.cacheReadTokens + $0.cacheWriteTokens } ?? 0,
                        outputTokens: usage?.outputTokens ?? 0, cacheReadTokens: usage?.cacheReadTokens ?? 0,
                        cacheWriteTokens: usage?.cacheWriteTokens ?? 0, cacheWrite1hTokens: usage?.cacheWrite1hTokens ?? 0,
                        model: usage == nil ? nil : call.model, costUsd: usage == nil ? nil : call.cost,
                        isError: isError, createdAt: at ?? Date())
        if let batch {
            let before = batch.appended
            defer { if batch.appended > before { summary.newMessages += 1 } }
            return try batch.append(m)
        }
        return try base.messages.append(m)
    }

    /// An action message and its tool call.
    @discardableResult
    func toolUse(_ sessionId: ID, externalId: String, name: String, input: String, parentId: ID? = nil,
                 usage: Usage? = nil, call figures: CallFigures = CallFigures(), at: Date? = nil) throws -> (message: Message, call: ToolCall) {
        if let batch {
            let m = try message(sessionId, role: .assistant, kind: .action, content: "\(name) \(input)", externalId: "call:" + externalId,
                                parentId: parentId, usage: usage, call: figures, at: at)
            let t = try batch.create(ToolCall(sessionId: sessionId, messageId: m.id, externalId: externalId, toolName: name,
                                              input: input, createdAt: at ?? Date()))
            summary.toolCalls += 1
            return (m, t)
        }
        return try base.db.transaction(.immediate) {  // the action and its call appear together
            let m = try message(sessionId, role: .assistant, kind: .action, content: "\(name) \(input)", externalId: "call:" + externalId,
                                parentId: parentId, usage: usage, call: figures, at: at)
            let t = try base.toolCalls.create(ToolCall(sessionId: sessionId, messageId: m.id, externalId: externalId, toolName: name,
                                                        input: input, createdAt: at ?? Date()))
            summary.toolCalls += 1
            return (m, t)
        }
    }

    /// The result of a tool call: an observation message (child of the action) and the call completed.
    /// Returns false when no call with this id is known in the session.
    @discardableResult
    func toolResult(_ sessionId: ID, callId: String, output: String, isError: Bool, at: Date? = nil) throws -> Bool {
        if let batch {
            // The action and result are written in the same flush: a reader never sees one without the other.
            guard let t = try batch.toolCall(sessionId: sessionId, externalId: callId) else { return false }
            let resultKey = "result:" + callId
            let known = try batch.messageId(sessionId: sessionId, externalId: resultKey) != nil
            let m = try message(sessionId, role: .tool, kind: .observation, content: output, externalId: resultKey,
                                parentId: t.messageId, isError: isError, at: at)
            if !known { try batch.complete(t.id, output: output, status: isError ? .error : .success, resultMessageId: m.id) }
            return true
        }
        // One transaction: a reader (the dashboard, live) never sees a result whose call still runs.
        return try base.db.transaction(.immediate) {
            guard let t = try base.toolCalls.find(sessionId: sessionId, externalId: callId) else { return false }
            let m = try message(sessionId, role: .tool, kind: .observation, content: output, externalId: "result:" + callId,
                                parentId: t.messageId, isError: isError, at: at)
            try base.toolCalls.complete(t.id, output: output, status: isError ? .error : .success, resultMessageId: m.id)
            return true
        }
    }

    /// Final status and totals; cost is the recorded one when known, else computed from tokens with the price table.
    func finish(_ sessionId: ID, status: SessionStatus, usage: Usage, recordedCost: Double?, model: String?) throws {
        let store = try self.store
        try store.sessions.setStatus(sessionId, status)
        let cost = recordedCost ?? prices.cost(model: model, usage: usage)
        try store.sessions.setUsageTotals(sessionId, usage, costUsd: cost)
        try store.sessions.startAtFirstMessage(sessionId)
    }
}

/// What a transcript says of one API call besides its tokens.
struct CallFigures {
    var model: String?
    var cost: Double?
}

/// ISO 8601 timestamps of transcript records ("2026-11-21T10:00:00.000Z", with any fraction and offset), by the
/// one date parser of agentmon (`SQLTime`). A Foundation `ISO8601DateFormatter` made per record was three fifths
/// of importing a Claude Code session file (it builds an ICU formatter, with its locale, each time).
enum Timestamps {
    static func parse(_ v: JSONValue?) -> Date? {
        guard let s = v?.stringValue else { return nil }
        return SQLTime.parse(s)
    }
}
