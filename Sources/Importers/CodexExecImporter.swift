import Foundation
import Core

/// `codex exec --json` output: thread.started, turn.started, item.started/updated/completed, turn.completed (usage),
/// turn.failed (error), error. A run whose last turn neither completed nor failed was interrupted (`stopped`).
struct CodexExecImporter {
    let writer: TranscriptWriter
    let file: URL

    static let ignored: Set<String> = ["turn.started", "item.started", "item.updated"]

    static func recognizes(_ lines: [JSONLine]) -> Bool {
        lines.prefix(100).contains { l in ["thread.", "turn.", "item."].contains { (l.object["type"]?.stringValue ?? "").hasPrefix($0) } }
    }

    func run(_ lines: [JSONLine]) throws -> Int {
        let externalId = lines.lazy.compactMap { $0.object["thread_id"]?.stringValue }.first
            ?? file.deletingPathExtension().lastPathComponent
        let agent = try writer.agent("codex", name: "Codex")
        // `codex exec --json` does not write the prompt: the file's name, which the person chose, is the title.
        let session = try writer.session(agent: agent, externalId: externalId, title: file.deletingPathExtension().lastPathComponent,
                                         metadata: ["source": "codex-exec-json"])
        var skipped = 0, usage = Usage(), status = SessionStatus.stopped
        for line in lines {
            let o = line.object
            switch o["type"]?.stringValue {
            case "thread.started": continue
            case let t? where Self.ignored.contains(t): status = .running
            case "item.completed":
                guard let item = o["item"], let id = item["id"]?.stringValue else { skipped += 1; continue }
                try writeItem(item, id: id, session: session.id)
            case "turn.completed":
                usage = usage + (UsageTally.codex(o["usage"]) ?? Usage())
                status = .completed
            case "turn.failed", "error":
                let text = o["error"]?["message"]?.stringValue ?? o["message"]?.stringValue ?? o["error"]?.flatText ?? "error"
                try writer.message(session.id, role: .system, content: text, externalId: "error:\(line.number)", isError: true)
                status = .failed
            default:
                skipped += 1
            }
        }
        if status == .running { status = .stopped }
        // exec --json names no model: price the tokens with the agent's configured one.
        try writer.finish(session.id, status: status, usage: usage, recordedCost: nil, model: agent.model)
        return skipped
    }

    private func writeItem(_ item: JSONValue, id: String, session: ID) throws {
        let type = item["type"]?.stringValue ?? item["item_type"]?.stringValue ?? "item"
        switch type {
        case "agent_message", "assistant_message":
            try writer.message(session, role: .assistant, content: item["text"]?.stringValue ?? "", externalId: id)
        case "reasoning":
            try writer.message(session, role: .assistant, kind: .thought, content: item["text"]?.stringValue ?? "", externalId: id)
        case "command_execution":
            let command = item["command"]?.stringValue ?? item["command"]?.flatText ?? ""
            try writer.toolUse(session, externalId: id, name: "shell", input: command)
            let exit = item["exit_code"]?.intValue
            let failed = item["status"]?.stringValue == "failed" || (exit.map { $0 != 0 } ?? false)
            try writer.toolResult(session, callId: id, output: item["aggregated_output"]?.stringValue ?? "", isError: failed)
        case "error":
            try writer.message(session, role: .system, content: item["message"]?.stringValue ?? "error", externalId: id, isError: true)
        default:
            // file_change, mcp_tool_call, web_search, todo_list…: a tool call with the item as input.
            var input = item.objectValue ?? [:]
            input["id"] = nil; input["type"] = nil; input["status"] = nil
            try writer.toolUse(session, externalId: id, name: item["tool"]?.stringValue ?? type, input: JSONValue.object(input).prettyJSON)
            let failed = item["status"]?.stringValue == "failed" || item["error"] != nil
            let output = item["result"]?.flatText ?? item["error"]?.flatText ?? item["status"]?.stringValue ?? ""
            try writer.toolResult(session, callId: id, output: output, isError: failed)
        }
    }
}
