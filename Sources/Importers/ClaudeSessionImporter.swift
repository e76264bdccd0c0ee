import Foundation
import Core
import Storage

/// Claude Code session files (`~/.claude/projects/*/<session>.jsonl`): user/assistant records with uuid, parentUuid,
/// sessionId and a `message`. Sub-agent records (`isSidechain`, or a file under `subagents/`) become sub-agent
/// sessions nested under the Task tool call that started them when its prompt matches, else under the main session.
struct ClaudeSessionImporter {
    let writer: TranscriptWriter
    let file: URL

    static let ignored: Set<String> = ["summary", "system", "file-history-snapshot", "queue-operation", "progress"]

    static func recognizes(_ lines: [JSONLine]) -> Bool {
        lines.prefix(100).contains { $0.object["sessionId"]?.stringValue != nil }
    }

    func run(_ lines: [JSONLine]) throws -> Int {
        var skipped = 0
        var main: [JSONLine] = [], side: [JSONLine] = []
        for l in lines {
            switch l.object["type"]?.stringValue {
            case "user", "assistant":
                guard l.object["message"] != nil else { skipped += 1; continue }
                if l.object["isSidechain"]?.boolValue == true { side.append(l) } else { main.append(l) }
            case let t? where Self.ignored.contains(t): continue
            default: skipped += 1
            }
        }
        guard let sessionKey = lines.lazy.compactMap({ $0.object["sessionId"]?.stringValue }).first else { return skipped }
        let agent = try writer.agent("claude", name: "Claude Code")
        let inSubagentsFolder = file.deletingLastPathComponent().lastPathComponent == "subagents"

        if inSubagentsFolder {
            let parent = try writer.session(agent: agent, externalId: sessionKey, metadata: ["source": "claude-session-jsonl"])
            let records = main + side
            let prompt = Self.firstUserText(records)
            let calls = try ["Task", "Agent"].flatMap { try writer.store.toolCalls.query(sessionId: parent.id, toolName: $0) }
                .map { (id: $0.id, prompt: JSONValue.parse($0.input)?["prompt"]?.stringValue ?? "") }
            let sub = try writer.session(agent: agent, externalId: "\(sessionKey)/\(file.deletingPathExtension().lastPathComponent)",
                                         title: prompt, model: Self.model(records), parentSessionId: parent.id,
                                         parentToolCallId: Self.match(prompt, calls),
                                         metadata: ["source": "claude-session-jsonl", "sidechain": true])
            try write(records, into: sub)
            return skipped
        }

        let session = try writer.session(agent: agent, externalId: sessionKey, title: Self.firstUserText(main), model: Self.model(main),
                                         metadata: ["source": "claude-session-jsonl", "cwd": main.first?.object["cwd"] ?? .null])
        let content = try write(main, into: session)
        // Inline sidechains: one sub-agent per chain root.
        var groupOf: [String: String] = [:], groups: [(root: String, records: [JSONLine])] = []
        for l in side {
            let uuid = l.object["uuid"]?.stringValue ?? "line\(l.number)"
            if let p = l.object["parentUuid"]?.stringValue, let g = groupOf[p], let i = groups.firstIndex(where: { $0.root == g }) {
                groupOf[uuid] = g; groups[i].records.append(l)
            } else { groupOf[uuid] = uuid; groups.append((uuid, [l])) }
        }
        for g in groups {
            let prompt = Self.firstUserText(g.records)
            let sub = try writer.session(agent: agent, externalId: "\(sessionKey)/sidechain-\(g.root)", title: prompt,
                                         model: Self.model(g.records), parentSessionId: session.id,
                                         parentToolCallId: Self.match(prompt, content.taskCalls),
                                         metadata: ["source": "claude-session-jsonl", "sidechain": true])
            try write(g.records, into: sub)
        }
        return skipped
    }

    @discardableResult
    private func write(_ records: [JSONLine], into session: Session) throws -> ClaudeContent {
        var content = ClaudeContent(writer: writer, sessionId: session.id)
        var model = session.overrides.model
        for l in records {
            let o = l.object, msg = o["message"]!
            if model == nil, let m = msg["model"]?.stringValue { model = m }
            let key = msg["id"]?.stringValue ?? o["uuid"]?.stringValue ?? "line\(l.number)"
            if let c = o["costUSD"]?.doubleValue { content.tally.addCost(messageId: key, c) }
            let role = o["type"]?.stringValue ?? (msg["role"]?.stringValue ?? "assistant")
            try content.write(role: role, message: msg, messageKey: key,
                              at: Timestamps.parse(o["timestamp"]))
        }
        try writer.finish(session.id, status: .completed, usage: content.tally.total, recordedCost: content.tally.recordedTotalCost,
                          model: model)
        return content
    }

    static func model(_ records: [JSONLine]) -> String? {
        records.lazy.compactMap { $0.object["message"]?["model"]?.stringValue }.first { !$0.hasPrefix("<") }
    }

    /// The first plain user prompt (not a tool result).
    static func firstUserText(_ records: [JSONLine]) -> String? {
        for l in records where l.object["type"]?.stringValue == "user" {
            switch l.object["message"]?["content"] {
            case .string(let s)?: return s
            case .array(let a)?:
                if let t = a.first(where: { $0["type"]?.stringValue == "text" })?["text"]?.stringValue { return t }
            default: continue
            }
        }
        return nil
    }

    /// The Task call whose prompt is the sub-agent's first prompt.
    static func match(_ prompt: String?, _ calls: [(id: ID, prompt: String)]) -> ID? {
        guard let p = prompt?.trimmingCharacters(in: .whitespacesAndNewlines), !p.isEmpty else { return nil }
        return calls.first { $0.prompt.trimmingCharacters(in: .whitespacesAndNewlines) == p }?.id
    }
}
