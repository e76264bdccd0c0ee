import Foundation
import Core

/// Permission prompts of Claude's stream-json protocol (`--permission-prompt-tool stdio`):
/// `control_request` / `can_use_tool` asks, a `control_response` with the same request id answers, and a
/// `control_cancel_request` with it withdraws the request (the TypeScript Agent SDK's handling of it;
/// claude-agent-sdk-python `_internal/query.py` reads the same message type).
/// An unanswered request is a pending confirmation (tool call `perm:<request id>`); an answered one is
/// decided by the agent's client: allow → approved (no longer waiting), deny → denied with its reason.
final class ClaudePermissions {
    let writer: TranscriptWriter
    let sessionId: ID
    /// Tool-use id → permission tool call, so the call's result also completes an allowed request.
    private var byToolUse: [String: ID] = [:]
    /// A live run's hook: a new request, with what Claude sent (the worker's approval rules answer here).
    var onRequest: ((ToolCall, JSONValue) throws -> Void)?

    init(writer: TranscriptWriter, sessionId: ID) { self.writer = writer; self.sessionId = sessionId }

    static func externalId(_ requestId: String) -> String { "perm:" + requestId }

    /// A `control_request`; requests other than `can_use_tool` (initialize, interrupt…) are not permissions.
    func request(_ o: JSONValue, at: Date? = nil) throws {
        guard let req = o["request"], req["subtype"]?.stringValue == "can_use_tool",
              let requestId = o["request_id"]?.stringValue else { return }
        let tool = req["tool_name"]?.stringValue ?? "tool"
        let input = (req["input"] ?? .object([:])).prettyJSON
        // Kept with the request: the id the answer must carry, and what Claude offers besides yes and no.
        var details: [String: JSONValue] = ["protocol": "stream-json", "request_id": .string(requestId)]
        for key in ["tool_use_id", "permission_suggestions", "blocked_path", "decision_reason", "agent_id"] {
            if let v = req[key], v != .null { details[key] = v }
        }
        let existing = try writer.store.toolCalls.find(sessionId: sessionId, externalId: Self.externalId(requestId))
        let call = try writer.store.toolCalls.savePermissionRequest(
            sessionId: sessionId, externalId: Self.externalId(requestId), toolName: tool, input: input,
            message: "Claude wants to use \(tool)", details: .object(details), at: at ?? Date())
        if let use = req["tool_use_id"]?.stringValue { byToolUse[use] = call.id }
        if existing == nil { try onRequest?(call, req) }
    }

    /// A `control_response` to one of our requests; a decision already recorded is left alone (re-import).
    func response(_ o: JSONValue) throws {
        guard let r = o["response"], let requestId = r["request_id"]?.stringValue,
              let call = try writer.store.toolCalls.find(sessionId: sessionId, externalId: Self.externalId(requestId)),
              call.status == .pending, call.requiresConfirmation, call.decidedAt == nil else { return }
        let answer = r["response"]
        let allow = r["subtype"]?.stringValue == "success" && answer?["behavior"]?.stringValue == "allow"
        let reason = allow ? nil : (answer?["message"]?.stringValue ?? r["error"]?.stringValue ?? "denied")
        try writer.store.toolCalls.decide(call.id, approve: allow, by: "agent", reason: reason)
    }

    /// A `control_cancel_request`: the CLI withdraws a request it asked and no longer waits on (the turn was
    /// interrupted, or another client answered it). Still open, it is closed (a session has at most one open),
    /// so the inbox stops offering an answer nobody would read.
    func cancel(_ o: JSONValue) throws {
        guard let requestId = o["request_id"]?.stringValue,
              let call = try writer.store.toolCalls.find(sessionId: sessionId, externalId: Self.externalId(requestId)),
              call.status == .pending, call.requiresConfirmation, call.decidedAt == nil else { return }
        try writer.store.toolCalls.closePendingConfirmation(sessionId: sessionId, reason: "the agent withdrew the request")
    }

    /// The result of a tool call that went through a permission request ends that request too.
    func toolResult(toolUseId: String, output: String, isError: Bool) throws {
        guard let id = byToolUse[toolUseId], let call = try? writer.store.toolCalls.get(id),
              call.status == .pending, !call.requiresConfirmation else { return }
        try writer.store.toolCalls.complete(id, output: output, status: isError ? .error : .success)
    }
}
