import Foundation
import Core

/// Writes the content blocks of one Claude message (shared by stream-json and session JSONL):
/// text → assistant/user message, thinking → thought, tool_use → action + tool call, tool_result → observation.
struct ClaudeContent {
    let writer: TranscriptWriter
    let sessionId: ID
    /// Blocks already written per message id, so repeated records of one message get distinct, stable external ids.
    var ordinals: [String: Int] = [:]
    /// Message ids in the order first seen (an incremental import keeps the last ones' ordinals).
    var ordinalOrder: [String] = []
    var tally = UsageTally()
    /// Task / Agent tool calls in order: (tool_use id, prompt).
    var taskCalls: [(id: ID, prompt: String)] = []
    /// Told of every tool result (tool-use id, output, is error): permission requests end with their call.
    var onToolResult: ((String, String, Bool) throws -> Void)?

    init(writer: TranscriptWriter, sessionId: ID, resume: ClaudeSessionResume? = nil) {
        self.writer = writer; self.sessionId = sessionId
        if let resume { ordinals = resume.ordinals; ordinalOrder = resume.ordinalOrder; tally = resume.tally }
    }

    /// What the next pass over the same file starts from.
    var resume: ClaudeSessionResume {
        var r = ClaudeSessionResume(ordinals: ordinals, ordinalOrder: ordinalOrder, tally: tally)
        r.compact(prices: writer.prices)
        return r
    }

    /// - Parameters: messageKey: the API message id (or record uuid); usage counted once per key.
    ///   whole: the call's usage over all its records when the whole file is known (stored on its first message,
    ///   so that the messages add up to the session), else the first record's.
    mutating func write(role: String, message: JSONValue, messageKey: String, parentId: ID? = nil, at: Date? = nil,
                        whole: Usage? = nil) throws {
        var usage: Usage?
        let model = message["model"]?.stringValue
        if let u = UsageTally.anthropic(message["usage"]) {
            let first = tally.usage(of: messageKey) == nil
            tally.add(messageId: messageKey, u, model: model)
            if first { usage = whole ?? u }
        }
        let call = CallFigures(model: model, cost: tally.recordedCost(of: messageKey))
        let isUser = role == "user"
        let blocks: [JSONValue]
        switch message["content"] {
        case .string(let s)?: blocks = [["type": "text", "text": .string(s)]]
        case .array(let a)?: blocks = a
        default: blocks = []
        }
        for b in blocks {
            let n = ordinals[messageKey, default: 0]
            if n == 0 { ordinalOrder.append(messageKey) }
            ordinals[messageKey] = n + 1
            let ext = "\(messageKey):\(n)"
            switch b["type"]?.stringValue {
            case "text":
                let text = b["text"]?.stringValue ?? ""
                if text.isEmpty { continue }
                try writer.message(sessionId, role: isUser ? .user : .assistant, content: text, externalId: ext,
                                   parentId: parentId, usage: usage, call: call, at: at)
                usage = nil
            case "thinking", "redacted_thinking":
                try writer.message(sessionId, role: .assistant, kind: .thought, content: b["thinking"]?.stringValue ?? "[redacted]",
                                   externalId: ext, parentId: parentId, usage: usage, call: call, at: at)
                usage = nil
            case "tool_use", "server_tool_use":
                guard let id = b["id"]?.stringValue else { continue }
                let name = b["name"]?.stringValue ?? "tool"
                let input = b["input"] ?? .object([:])
                let r = try writer.toolUse(sessionId, externalId: id, name: name, input: input.prettyJSON, parentId: parentId,
                                           usage: usage, call: call, at: at)
                usage = nil
                if name == "Task" || name == "Agent" { taskCalls.append((r.call.id, input["prompt"]?.stringValue ?? "")) }
            case "tool_result":
                guard let id = b["tool_use_id"]?.stringValue else { continue }
                let output = (b["content"] ?? .null).flatText, isError = b["is_error"]?.boolValue == true
                try writer.toolResult(sessionId, callId: id, output: output, isError: isError, at: at)
                try onToolResult?(id, output, isError)
            default:
                continue
            }
        }
    }
}
