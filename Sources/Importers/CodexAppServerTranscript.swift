import Foundation
import Core
import Storage

/// The transcript of a run of `codex app-server`, written as its notifications arrive (the worker's
/// AppServerConversation speaks the JSON-RPC and hands the parsed parts here). Shapes are those of
/// openai/codex `codex-rs/app-server-protocol/src/protocol/v2/item.rs` (`ThreadItem`, camelCase, tagged
/// by `type`) and the app-server README's "Events" and "Approvals" sections.
///
/// - The session is the thread: external id = thread id, tied to the run, and the run's session ref (so a
///   continuation resumes it with `thread/resume`).
/// - The prompt and each message a person sends are written by agentmon (`prompt@e<id>`, `input:<id>`);
///   the server's own `userMessage` items echo them and are not written again.
/// - `agentMessage` → assistant message, `reasoning` → thought; `commandExecution` (tool `shell`, input the
///   command), `fileChange` (tool `apply_patch`, input the changes), `mcpToolCall` (`server.tool`, input the
///   arguments), `webSearch` and any other item → a tool call opened at `item/started` and completed at
///   `item/completed`. Deltas are not needed: `item/completed` carries the whole item.
/// - An approval request is a pending confirmation `approval:<itemId>[:<approvalId>]@e<run>` whose
///   request details keep what the answer needs (`protocol`, `request_id` as sent, `method`, `itemId`,
///   `threadId`, `turnId`).
/// - Usage: `thread/tokenUsage/updated` carries the thread's running total and the last call's figures. The
///   run's usage is the latest total less the total before this run's first call (a resumed thread's total
///   includes earlier runs), so a repeated notification is not counted twice.
public final class CodexAppServerTranscript {
    public struct Outcome: Sendable, Equatable {
        public let sessionId: ID
        public let status: SessionStatus
        public let usage: Usage
        public let costUsd: Double
    }

    /// Item ids whose started items are remembered (for an approval's input): bounded, oldest dropped.
    static let maxRememberedItems = 256

    private let store: Store
    private let execution: Execution
    private let agent: Agent
    private let writer: TranscriptWriter
    private let suffix: String
    public private(set) var session: Session?
    private var model: String?
    private var started: [String: JSONValue] = [:]
    private var startedOrder: [String] = []
    /// Approval request id (as JSON text) → its tool call, for `serverRequest/resolved`.
    private var approvals: [String: ID] = [:]
    /// Item id → approval tool call, so the item's completion also ends an approved request.
    private var approvalByItem: [String: ID] = [:]
    private var baseline: Usage?
    private var latestTotal: Usage?
    private var lastTurnStatus: String?
    private var errors = 0
    /// A new approval request, after it is saved as a pending confirmation (the worker's rules answer here).
    public var onApprovalRequest: ((ToolCall) -> Void)?

    public init(store: Store, execution: Execution, agent: Agent) throws {
        self.store = store; self.execution = execution; self.agent = agent
        writer = try TranscriptWriter(store: store)
        suffix = "@e\(execution.id)"
    }

    /// The thread is open (`thread/start` or `thread/resume` answered): its session, found again when resumed.
    public func open(threadId: String, model: String?) throws {
        guard session == nil else { return }
        self.model = model
        let s = try writer.session(agent: agent, externalId: threadId, title: execution.prompt, model: model,
                                   metadata: ["source": "codex-app-server"])
        try store.sessions.attachRun(s.id, executionId: execution.id, taskId: execution.taskId)
        try store.executions.setSessionRef(execution.id, threadId)
        session = s
        if let prompt = execution.prompt, !prompt.isEmpty {
            try writer.message(s.id, role: .user, content: prompt, externalId: "prompt" + suffix)
        }
    }

    /// What a person sent the run: a message as the user's turn, an interrupt as a note. False before the
    /// thread is open (there is nowhere to write it yet).
    @discardableResult
    public func record(_ input: ExecutionInput) throws -> Bool {
        guard let sid = session?.id else { return false }
        switch input.kind {
        case .message:
            try writer.message(sid, role: .user, content: input.body, externalId: "input:\(input.id)", metadata: ["sent_by": .string(input.sentBy)])
        case .interrupt:
            try writer.message(sid, role: .system, content: "Interrupted by \(input.sentBy)", externalId: "input:\(input.id)",
                               metadata: ["sent_by": .string(input.sentBy)])
        case .decision:
            break  // the tool call carries the decision
        }
        return true
    }

    // MARK: Items

    public func itemStarted(_ item: JSONValue) throws {
        guard let sid = session?.id, let id = item["id"]?.stringValue, !id.isEmpty else { return }
        remember(id, item)
        guard let call = Self.toolCall(item) else { return }
        try writer.toolUse(sid, externalId: id + suffix, name: call.name, input: call.input)
    }

    public func itemCompleted(_ item: JSONValue) throws {
        guard let sid = session?.id, let id = item["id"]?.stringValue, !id.isEmpty else { return }
        let key = id + suffix
        let type = item["type"]?.stringValue ?? "item"
        switch type {
        case "userMessage":
            return  // written by agentmon when sent
        case "agentMessage":
            try writer.message(sid, role: .assistant, content: item["text"]?.stringValue ?? "", externalId: key)
        case "reasoning":
            let text = (item["summary"]?.arrayValue ?? item["content"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "\n")
            guard !text.isEmpty else { return }
            try writer.message(sid, role: .assistant, kind: .thought, content: text, externalId: key)
        default:
            guard let call = Self.toolCall(item) else { return }
            if try store.toolCalls.find(sessionId: sid, externalId: key) == nil {
                try writer.toolUse(sid, externalId: key, name: call.name, input: call.input)
            }
            let status = item["status"]?.stringValue
            let failed = status == "failed" || status == "declined" || (item["exitCode"]?.intValue.map { $0 != 0 } ?? false)
                || (item["error"].map { $0 != .null } ?? false)
            try writer.toolResult(sid, callId: key, output: Self.output(item), isError: failed)
            if status == "declined", let t = try store.toolCalls.find(sessionId: sid, externalId: key) {
                try store.toolCalls.complete(t.id, output: t.output, status: .denied)
            }
            // An approved request ends with the item it allowed.
            if let pid = approvalByItem.removeValue(forKey: id), let p = try? store.toolCalls.get(pid), p.status == .pending, !p.requiresConfirmation {
                try store.toolCalls.complete(pid, output: Self.output(item), status: failed ? .error : .success)
            }
        }
        forget(id)
    }

    /// Tool name and input of an item that is a tool call; nil for messages.
    static func toolCall(_ item: JSONValue) -> (name: String, input: String)? {
        switch item["type"]?.stringValue ?? "item" {
        case "userMessage", "agentMessage", "reasoning", "hookPrompt": return nil
        case "commandExecution":
            return ("shell", item["command"]?.stringValue ?? item["command"]?.flatText ?? "")
        case "fileChange":
            return ("apply_patch", (item["changes"] ?? .array([])).prettyJSON)
        case "mcpToolCall":
            let server = item["server"]?.stringValue ?? "mcp", tool = item["tool"]?.stringValue ?? "tool"
            return ("\(server).\(tool)", (item["arguments"] ?? .object([:])).prettyJSON)
        case "webSearch":
            return ("web_search", item["query"]?.stringValue ?? "")
        case let type:
            var input = item.objectValue ?? [:]
            for k in ["id", "type", "status", "result", "error", "aggregatedOutput", "contentItems"] { input[k] = nil }
            return (item["tool"]?.stringValue ?? type, JSONValue.object(input).prettyJSON)
        }
    }

    static func output(_ item: JSONValue) -> String {
        if let s = item["aggregatedOutput"]?.stringValue { return s }
        if let e = item["error"], e != .null { return e["message"]?.stringValue ?? e.flatText }
        if let r = item["result"], r != .null { return r["content"]?.flatText ?? r.flatText }
        if let c = item["contentItems"], c != .null { return c.flatText }
        return item["status"]?.stringValue ?? ""
    }

    private func remember(_ id: String, _ item: JSONValue) {
        if started.updateValue(item, forKey: id) == nil { startedOrder.append(id) }
        while startedOrder.count > Self.maxRememberedItems { started[startedOrder.removeFirst()] = nil }
    }

    private func forget(_ id: String) {
        if started.removeValue(forKey: id) != nil { startedOrder.removeAll { $0 == id } }
    }

    // MARK: Approvals

    /// `item/commandExecution/requestApproval` or `item/fileChange/requestApproval`: a pending confirmation
    /// (returned when new; nil when it was already saved, or there is no session to hold it).
    @discardableResult
    public func approvalRequest(method: String, requestId: JSONValue, params: JSONValue) throws -> ToolCall? {
        guard let sid = session?.id, let itemId = params["itemId"]?.stringValue else { return nil }
        let item = started[itemId]
        let command = method == "item/commandExecution/requestApproval"
        let name = command ? "shell" : "apply_patch"
        let input: String
        if command {
            input = params["command"]?.stringValue ?? item?["command"]?.stringValue ?? ""
        } else {
            input = (item?["changes"] ?? params["grantRoot"].map { ["grantRoot": $0] } ?? .array([])).prettyJSON
        }
        var details: [String: JSONValue] = ["protocol": "app-server", "request_id": requestId, "method": .string(method),
                                            "itemId": .string(itemId)]
        for key in ["threadId", "turnId", "approvalId", "reason", "cwd"] {
            if let v = params[key], v != .null { details[key] = v }
        }
        let approvalId = params["approvalId"]?.stringValue.map { ":" + $0 } ?? ""
        let externalId = "approval:\(itemId)\(approvalId)" + suffix
        let existing = try store.toolCalls.find(sessionId: sid, externalId: externalId)
        let reason = params["reason"]?.stringValue.map { ": \($0)" } ?? ""
        let call = try store.toolCalls.savePermissionRequest(
            sessionId: sid, externalId: externalId, toolName: name, input: input,
            message: (command ? "Codex wants to run a command" : "Codex wants to change files") + reason, details: .object(details))
        approvals[requestId.jsonString] = call.id
        approvalByItem[itemId] = call.id
        guard existing == nil else { return nil }
        onApprovalRequest?(call)
        return call
    }

    /// `serverRequest/resolved`: the server no longer waits for this answer (answered, or cleared when its
    /// turn ended); an open confirmation for it is closed so nobody answers in vain.
    public func requestResolved(_ requestId: JSONValue) throws {
        guard let id = approvals.removeValue(forKey: requestId.jsonString), let t = try? store.toolCalls.get(id),
              t.status == .pending, t.requiresConfirmation, t.decidedAt == nil else { return }
        // The one open confirmation of the session is this one (checked above): kept, no longer waiting.
        try store.toolCalls.closePendingConfirmation(sessionId: t.sessionId, reason: "the agent no longer waits for an answer")
    }

    // MARK: Turns, errors, usage

    /// `thread/tokenUsage/updated` params.
    public func tokenUsage(_ params: JSONValue) {
        guard let u = params["tokenUsage"], let total = Self.usage(u["total"]) else { return }
        if baseline == nil {
            let last = Self.usage(u["last"]) ?? Usage()
            baseline = Usage(input: max(0, total.inputTokens - last.inputTokens), output: max(0, total.outputTokens - last.outputTokens),
                             cacheRead: max(0, total.cacheReadTokens - last.cacheReadTokens))
        }
        latestTotal = total
    }

    /// The run's usage so far.
    public var usage: Usage {
        guard let t = latestTotal, let b = baseline else { return Usage() }
        return Usage(input: max(0, t.inputTokens - b.inputTokens), output: max(0, t.outputTokens - b.outputTokens),
                     cacheRead: max(0, t.cacheReadTokens - b.cacheReadTokens))
    }

    /// A Codex `TokenUsageBreakdown`: `inputTokens` includes the cached part.
    static func usage(_ v: JSONValue?) -> Usage? {
        guard let v, case .object = v else { return nil }
        let cached = UsageTally.tokens(v, "cachedInputTokens")
        return Usage(input: max(0, UsageTally.tokens(v, "inputTokens") - cached), output: UsageTally.tokens(v, "outputTokens"), cacheRead: cached)
    }

    /// `turn/completed` (or a `turn/failed`): a failed turn's error is written as a system message.
    public func turnEnded(status: String, error: JSONValue?, turnId: String?) throws {
        lastTurnStatus = status
        guard status == "failed", let sid = session?.id else { return }
        let text = error?["message"]?.stringValue ?? error.map { $0 == .null ? "" : $0.flatText } ?? ""
        try writer.message(sid, role: .system, content: text.isEmpty ? "the turn failed" : text,
                           externalId: "turn-failed:\(turnId ?? "?")" + suffix, isError: true)
    }

    /// An `error` notification (an upstream error mid-turn; `willRetry` says the server tries again).
    public func error(_ params: JSONValue) throws {
        guard let sid = session?.id else { return }
        errors += 1
        let e = params["error"]
        var text = e?["message"]?.stringValue ?? e?.stringValue ?? "error"
        if params["willRetry"]?.boolValue == true { text += " (retrying)" }
        try writer.message(sid, role: .system, content: text, externalId: "error:\(errors)" + suffix, isError: true)
    }

    /// The run has ended: status, usage and cost on the session, usage on the execution, and an approval
    /// nobody can answer any more closed. Nil when no thread was ever opened.
    @discardableResult
    public func finish() throws -> Outcome? {
        guard let session else { return nil }
        let status: SessionStatus = switch lastTurnStatus {
        case "completed"?: .completed
        case "failed"?: .failed
        default: .stopped
        }
        try store.toolCalls.closePendingConfirmation(sessionId: session.id, reason: "the run ended before an answer")
        try store.sessions.setStatus(session.id, status)
        let u = usage
        let cost = writer.prices.cost(model: model ?? agent.model, usage: u)
        try store.sessions.addUsage(session.id, u, costUsd: cost)
        try store.executions.addUsage(execution.id, u, costUsd: cost)
        return Outcome(sessionId: session.id, status: status, usage: u, costUsd: cost)
    }
}
