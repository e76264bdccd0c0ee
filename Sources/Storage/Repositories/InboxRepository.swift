import Foundation
import Core

/// What waits for a person, and answering it: the dashboard's inbox and `agentmon inbox` share this, so they
/// list the same items and refuse the same answers.
public struct InboxRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Open confirmations and queued runs waiting for approval, oldest first.
    public func list() throws -> [InboxItem] {
        let agents = AgentRepository(db), sessions = SessionRepository(db)
        let slugs = Dictionary(uniqueKeysWithValues: try agents.list().map { ($0.id, $0.slug) })
        var items: [InboxItem] = try ToolCallRepository(db).pendingConfirmations().map { t in
            let session = try? sessions.get(t.sessionId)
            return .toolCall(t, agentSlug: session.flatMap { slugs[$0.agentId] } ?? "?", sessionTitle: session?.title ?? "")
        }
        items += try ExecutionRepository(db).summaries(status: .queued).filter { $0.execution.requiresApproval && $0.execution.approvedAt == nil }
            .map { .execution($0) }
        return items.sorted { $0.createdAt < $1.createdAt }
    }

    /// `list()` flattened for scripts: a confirmation names the run its session belongs to, when there is one.
    public func entries() throws -> [InboxEntry] {
        let sessions = SessionRepository(db), executions = ExecutionRepository(db)
        return try list().map { item in
            switch item {
            case .toolCall(let t, let agent, _):
                let executionId = (try? sessions.get(t.sessionId))?.executionId
                let danger = try executionId.flatMap { try executions.summary($0)?.dangerLevel }
                return InboxEntry(ref: item.ref, executionId: executionId, sessionId: t.sessionId, agent: agent, toolName: t.toolName,
                                  input: t.input, danger: danger, createdAt: t.createdAt)
            case .execution(let s):
                return InboxEntry(ref: item.ref, executionId: s.execution.id, sessionId: nil, agent: s.agentSlug, toolName: s.capabilityKey,
                                  input: s.execution.prompt ?? Self.argsJSON(s.execution.args), danger: s.dangerLevel,
                                  createdAt: s.execution.createdAt)
            }
        }
    }

    /// The latest answered permission requests, newest first, each with who decided it.
    public func history(limit: Int = 20) throws -> [InboxDecision] {
        let agents = Dictionary(try AgentRepository(db).list().map { ($0.id, $0.slug) }, uniquingKeysWith: { a, _ in a })
        let sessions = SessionRepository(db)
        return try ToolCallRepository(db).recentDecisions(limit: limit).map { t in
            let session = try? sessions.get(t.sessionId)
            return InboxDecision(toolCallId: t.id, executionId: session?.executionId, agent: session.flatMap { agents[$0.agentId] } ?? "?",
                                 toolName: t.toolName, input: t.input, allowed: t.status != .denied, decidedBy: t.decidedBy ?? "?",
                                 reason: t.decisionReason, decidedAt: t.decidedAt ?? t.createdAt)
        }
    }

    static func argsJSON(_ args: [String: String]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? enc.encode(args)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Approves the item: the tool call may run, or the queued run may start. Recorded as decided by `by`, now.
    public func approve(_ ref: InboxRef, by: String) throws {
        switch ref.kind {
        case .confirm:
            try decideToolCall(ref, approve: true, by: by, reason: nil)
        case .approve:
            try checkExecution(ref)
            try ExecutionRepository(db).approve(ref.id, by: by)
        }
    }

    /// Denies the item: the tool call ends `denied` with `reason`; the queued run is cancelled, the denial
    /// and its reason recorded in its error as the dashboard's `D` does.
    public func deny(_ ref: InboxRef, by: String, reason: String?) throws {
        switch ref.kind {
        case .confirm:
            try decideToolCall(ref, approve: false, by: by, reason: reason)
        case .approve:
            try checkExecution(ref)
            _ = try ExecutionRepository(db).requestCancel(ref.id, by: reason.map { "\(by) (denied: \($0))" } ?? "\(by) (denied)")
        }
    }

    /// Records the decision and, when the request came from a run, queues it for that run's worker, in one
    /// transaction: the worker sends it to the agent in the agent's own format.
    private func decideToolCall(_ ref: InboxRef, approve: Bool, by: String, reason: String?) throws {
        try db.transaction(.immediate) {
            try checkToolCall(ref)
            try ToolCallRepository(db).decide(ref.id, approve: approve, by: by, reason: reason, note: true)
            let t = try ToolCallRepository(db).get(ref.id)
            if let eid = try SessionRepository(db).get(t.sessionId).executionId {
                try InputRepository(db).enqueue(executionId: eid, kind: .decision, body: approve ? "allow" : "deny",
                                                toolCallId: ref.id, sentBy: by)
            }
        }
    }

    /// A confirmation can be answered while it is open and its run has not ended. (The repositories check
    /// the state again inside their transaction; this gives the person the reason in words.)
    private func checkToolCall(_ ref: InboxRef) throws {
        guard let t = try? ToolCallRepository(db).get(ref.id) else { throw StorageError.notFound("no inbox item \(ref)") }
        if let by = t.decidedBy { throw StorageError.invalid("inbox item \(ref) was already decided by \(by)") }
        guard t.status == .pending, t.requiresConfirmation else {
            throw StorageError.invalid("inbox item \(ref) is not waiting for a decision (tool call \(t.status.rawValue))")
        }
        let session = try SessionRepository(db).get(t.sessionId)
        if let eid = session.executionId, let status = try? ExecutionRepository(db).status(eid), status.isTerminal {
            throw StorageError.invalid("inbox item \(ref) cannot be answered: its run #\(eid) has ended (\(status.rawValue))")
        }
        if [.completed, .failed, .stopped].contains(session.status) {
            throw StorageError.invalid("inbox item \(ref) cannot be answered: its session #\(session.id) has ended (\(session.status.rawValue))")
        }
    }

    private func checkExecution(_ ref: InboxRef) throws {
        guard let e = try? ExecutionRepository(db).get(ref.id) else { throw StorageError.notFound("no inbox item \(ref)") }
        if e.status.isTerminal { throw StorageError.invalid("inbox item \(ref) cannot be answered: run #\(e.id) has ended (\(e.status.rawValue))") }
        if let by = e.approvedBy, e.approvedAt != nil { throw StorageError.invalid("inbox item \(ref) was already approved by \(by)") }
        guard e.status == .queued, e.requiresApproval else {
            throw StorageError.invalid("inbox item \(ref) is not waiting for approval (run #\(e.id) is \(e.status.rawValue))")
        }
    }
}
