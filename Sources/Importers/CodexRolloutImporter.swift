import Foundation
import Core

/// Codex rollout files (`~/.codex/sessions/**/rollout-*.jsonl`): session_meta, turn_context, response_item
/// (message, reasoning, function_call, function_call_output, custom_tool_call…) and event_msg (token_count…).
/// Records carry no ids of their own: messages are keyed by line number (rollouts only grow).
struct CodexRolloutImporter {
    let writer: TranscriptWriter
    let file: URL

    static func recognizes(_ lines: [JSONLine]) -> Bool {
        lines.prefix(100).contains { ["session_meta", "response_item", "event_msg", "turn_context"].contains($0.object["type"]?.stringValue ?? "") }
    }

    func run(_ lines: [JSONLine]) throws -> Int {
        var resume = ImportResume()
        return try run(lines, resume: &resume)
    }

    /// Imports the records after those `resume` remembers; line numbers are the file's.
    func run(_ lines: [JSONLine], resume: inout ImportResume) throws -> Int {
        let meta = lines.first { $0.object["type"]?.stringValue == "session_meta" }?.object["payload"]
        let externalId = resume.codexSession ?? meta?["id"]?.stringValue ?? file.deletingPathExtension().lastPathComponent
        var model = meta?["model"]?.stringValue
            ?? lines.lazy.compactMap { $0.object["type"]?.stringValue == "turn_context" ? $0.object["payload"]?["model"]?.stringValue : nil }.first
            ?? resume.codexModel
        let title = lines.lazy.compactMap { l -> String? in
            guard l.object["type"]?.stringValue == "response_item", let p = l.object["payload"], p["type"]?.stringValue == "message",
                  p["role"]?.stringValue == "user" else { return nil }
            let t = (p["content"] ?? .null).flatText
            return t.hasPrefix("<") ? nil : t   // skip <environment_context> / <user_instructions>
        }.first
        let agent = try writer.agent("codex", name: "Codex")
        let session = try writer.session(agent: agent, externalId: externalId, title: title, model: model,
                                         metadata: ["source": "codex-rollout", "cwd": meta?["cwd"] ?? .null])
        var skipped = 0, usage = resume.codexUsage
        for line in lines {
            let o = line.object, p = o["payload"] ?? .null, at = Timestamps.parse(o["timestamp"])
            let ext = "line:\(line.number)"
            switch o["type"]?.stringValue {
            case "session_meta": continue
            case "turn_context": if let m = p["model"]?.stringValue { model = m }
            case "event_msg":
                if p["type"]?.stringValue == "token_count", let total = p["info"]?["total_token_usage"] { usage = UsageTally.codex(total) }
            case "compacted": continue
            case "response_item":
                switch p["type"]?.stringValue {
                case "message":
                    let role: MessageRole = switch p["role"]?.stringValue {
                    case "user": .user
                    case "assistant": .assistant
                    default: .system
                    }
                    try writer.message(session.id, role: role, content: (p["content"] ?? .null).flatText, externalId: ext, at: at)
                case "reasoning":
                    let text = [p["summary"]?.flatText, p["content"]?.flatText].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
                    try writer.message(session.id, role: .assistant, kind: .thought, content: text, externalId: ext, at: at)
                case "function_call", "custom_tool_call", "local_shell_call":
                    guard let id = p["call_id"]?.stringValue ?? p["id"]?.stringValue else { skipped += 1; continue }
                    let raw = p["arguments"] ?? p["input"] ?? p["action"] ?? .null
                    let input = raw.stringValue.map { JSONValue.parse($0)?.prettyJSON ?? $0 } ?? raw.prettyJSON
                    try writer.toolUse(session.id, externalId: id, name: p["name"]?.stringValue ?? "shell", input: input, at: at)
                case "function_call_output", "custom_tool_call_output":
                    guard let id = p["call_id"]?.stringValue else { skipped += 1; continue }
                    let (output, failed) = Self.output(p["output"] ?? .null)
                    try writer.toolResult(session.id, callId: id, output: output, isError: failed, at: at)
                case "web_search_call": continue
                default: skipped += 1
                }
            default: skipped += 1
            }
        }
        try writer.finish(session.id, status: .completed, usage: usage ?? Usage(), recordedCost: nil, model: model)
        resume.codexSession = externalId; resume.codexModel = model; resume.codexUsage = usage
        return skipped
    }

    /// A function output is text, a JSON string `{"output":…, "metadata":{"exit_code":…}}`, or that object.
    static func output(_ v: JSONValue) -> (String, Bool) {
        var obj: JSONValue? = v.objectValue != nil ? v : nil
        if let s = v.stringValue, let parsed = JSONValue.parse(s), parsed.objectValue != nil { obj = parsed }
        guard let obj, let out = obj["output"] else { return (v.flatText, false) }
        let exit = obj["metadata"]?["exit_code"]?.intValue ?? 0
        return (out.flatText, exit != 0 || obj["success"]?.boolValue == false)
    }
}
