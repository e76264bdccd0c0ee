import Foundation
import Core

/// `claude -p --output-format stream-json --verbose` output: system/init, assistant, user, result events.
/// A run without a `result` event was interrupted: its session ends `stopped`.
struct ClaudeStreamImporter {
    let writer: TranscriptWriter
    let file: URL

    static func recognizes(_ lines: [JSONLine]) -> Bool {
        lines.prefix(100).contains { $0.object["session_id"] != nil && $0.object["sessionId"] == nil }
    }

    static let ignored: Set<String> = ["stream_event", "rate_limit_event", "control_request", "control_response"]

    /// Returns the number of records skipped (unknown event types).
    func run(_ lines: [JSONLine]) throws -> Int {
        let externalId = lines.lazy.compactMap { $0.object["session_id"]?.stringValue }.first
            ?? file.deletingPathExtension().lastPathComponent
        let initEvent = lines.first { $0.object["type"]?.stringValue == "system" && $0.object["subtype"]?.stringValue == "init" }?.object
        var model = initEvent?["model"]?.stringValue
        let agent = try writer.agent("claude", name: "Claude Code")
        let session = try writer.session(agent: agent, externalId: externalId, model: model,
                                         metadata: ["source": "claude-stream-json", "cwd": initEvent?["cwd"] ?? .null])
        var content = ClaudeContent(writer: writer, sessionId: session.id)
        var skipped = 0, result: JSONValue?
        for line in lines {
            let o = line.object
            switch o["type"]?.stringValue {
            case "system":
                continue
            case "assistant", "user":
                guard let msg = o["message"] else { skipped += 1; continue }
                if model == nil, let m = msg["model"]?.stringValue { model = m }
                let key = msg["id"]?.stringValue ?? o["uuid"]?.stringValue ?? "line\(line.number)"
                try content.write(role: o["type"]!.stringValue!, message: msg, messageKey: key)
            case "result":
                result = o
                let failed = o["is_error"]?.boolValue == true || o["subtype"]?.stringValue != "success"
                if failed {
                    let text = o["result"]?.stringValue ?? o["errors"]?.flatText ?? o["subtype"]?.stringValue ?? "error"
                    try writer.message(session.id, role: .system, content: text, externalId: "result:\(line.number)", isError: true)
                }
            case let t? where Self.ignored.contains(t):
                continue
            default:
                skipped += 1
            }
        }
        let status: SessionStatus
        if let result {
            status = result["is_error"]?.boolValue == true || result["subtype"]?.stringValue != "success" ? .failed : .completed
        } else { status = .stopped }
        let usage = UsageTally.anthropic(result?["usage"]) ?? content.tally.total
        try writer.finish(session.id, status: status, usage: usage, recordedCost: result?["total_cost_usd"]?.doubleValue, model: model)
        return skipped
    }
}
