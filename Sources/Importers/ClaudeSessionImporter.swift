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
        var resume = ImportResume()
        return try run(lines, resume: &resume)
    }

    /// Imports records that follow the ones `resume` remembers (all of a file: a fresh `ImportResume`).
    func run(_ lines: [JSONLine], resume: inout ImportResume) throws -> Int {
        let resumed = !resume.claude.isEmpty
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

        // A sub-agent's own file: `<session>/subagents/agent-<id>.jsonl`, or (older versions) `agent-<id>.jsonl` beside
        // the session, all of its records sidechain ones. One session of that sub-agent, whatever its parent chains.
        let name = file.deletingPathExtension().lastPathComponent
        let inSubagentsFolder = file.deletingLastPathComponent().lastPathComponent == "subagents"
        let isSubagentFile = resume.claudeSubagent ?? (inSubagentsFolder || (main.isEmpty && !side.isEmpty))
        resume.claudeSubagent = isSubagentFile
        if isSubagentFile {
            let records = main + side
            let agentId = records.lazy.compactMap { $0.object["agentId"]?.stringValue }.first
                ?? (name.hasPrefix("agent-") ? String(name.dropFirst(6)) : nil)
            let parent = try writer.session(agent: agent, externalId: sessionKey, metadata: ["source": "claude-session-jsonl"])
            let prompt = Self.firstRequest(records)
            let calls = try ["Task", "Agent"].flatMap { try writer.store.toolCalls.query(sessionId: parent.id, toolName: $0) }
                .map { (id: $0.id, prompt: JSONValue.parse($0.input)?["prompt"]?.stringValue ?? "") }
            let sub = try writer.session(agent: agent, externalId: "\(sessionKey)/" + (agentId.map { "agent-\($0)" } ?? name),
                                         title: prompt, model: Self.model(records), parentSessionId: parent.id,
                                         parentToolCallId: Self.match(prompt, calls),
                                         metadata: ["source": "claude-session-jsonl", "sidechain": true])
            try write(records, into: sub, resume: &resume)
            return skipped
        }

        let session = try writer.session(agent: agent, externalId: sessionKey, title: Self.firstRequest(main), model: Self.model(main),
                                         metadata: ["source": "claude-session-jsonl", "cwd": main.first?.object["cwd"] ?? .null])
        let content = try write(main, into: session, resume: &resume)
        // Inline sidechains: one sub-agent per agent id, else (no agentId: older versions) per chain root.
        var groupOf = resume.claudeGroups, groups: [(key: String, records: [JSONLine])] = []
        for l in side {
            let uuid = l.object["uuid"]?.stringValue ?? "line\(l.number)"
            let key: String
            if let a = l.object["agentId"]?.stringValue { key = "agent-\(a)" }
            else if let p = l.object["parentUuid"]?.stringValue, let g = groupOf[p] { key = g }
            else { key = "sidechain-\(uuid)" }
            groupOf[uuid] = key
            if let i = groups.firstIndex(where: { $0.key == key }) { groups[i].records.append(l) } else { groups.append((key, [l])) }
        }
        resume.claudeGroups = groupOf.count > ImportResume.maxGroups ? [:] : groupOf
        for g in groups {
            let prompt = Self.firstRequest(g.records)
            // A sidechain read on a later pass than its Task call: the call is in the database.
            var calls = content.taskCalls
            if Self.match(prompt, calls) == nil, resumed {
                calls += try ["Task", "Agent"].flatMap { try writer.store.toolCalls.query(sessionId: session.id, toolName: $0) }
                    .map { (id: $0.id, prompt: JSONValue.parse($0.input)?["prompt"]?.stringValue ?? "") }
            }
            let sub = try writer.session(agent: agent, externalId: "\(sessionKey)/\(g.key)", title: prompt,
                                         model: Self.model(g.records), parentSessionId: session.id,
                                         parentToolCallId: Self.match(prompt, calls),
                                         metadata: ["source": "claude-session-jsonl", "sidechain": true])
            try write(g.records, into: sub, resume: &resume)
        }
        return skipped
    }

    @discardableResult
    private func write(_ records: [JSONLine], into session: Session, resume: inout ImportResume) throws -> ClaudeContent {
        let resumeKey = session.externalSessionId ?? String(session.id)
        var content = ClaudeContent(writer: writer, sessionId: session.id, resume: resume.claude[resumeKey])
        var model = session.overrides.model
        // Every record of a call first: its usage over all of them goes on its first message.
        var whole = UsageTally()
        let keys = records.map { l in l.object["message"]?["id"]?.stringValue ?? l.object["uuid"]?.stringValue ?? "line\(l.number)" }
        for (l, key) in zip(records, keys) {
            if let u = UsageTally.anthropic(l.object["message"]?["usage"]) { whole.add(messageId: key, u) }
            if let c = UsageTally.cost(l.object["costUSD"]) { content.tally.addCost(messageId: key, c) }
        }
        for (l, key) in zip(records, keys) {
            let o = l.object, msg = o["message"]!
            if model == nil, let m = msg["model"]?.stringValue { model = m }
            let role = o["type"]?.stringValue ?? (msg["role"]?.stringValue ?? "assistant")
            try content.write(role: role, message: msg, messageKey: key,
                              at: Timestamps.parse(o["timestamp"]), whole: whole.usage(of: key))
        }
        try writer.finish(session.id, status: .completed, usage: content.tally.total,
                          recordedCost: content.tally.cost(prices: writer.prices, model: model), model: model)
        resume.claude[resumeKey] = content.resume
        return content
    }

    static func model(_ records: [JSONLine]) -> String? {
        records.lazy.compactMap { $0.object["message"]?["model"]?.stringValue }.first { !$0.hasPrefix("<") }
    }

    /// The person's first real request: the first user text that is not something Claude Code wrote in the user's
    /// name. Skipped: `isMeta` records, tool results, system reminders, hook output, the caveat before local commands,
    /// their output, interrupt markers. A slash command counts as a request when it has arguments
    /// (`<command-name>/review</command-name>…<command-args>the parser</command-args>` → "/review the parser").
    /// Markers as Claude Code writes them in `~/.claude/projects/*/*.jsonl` (a caveat record with `isMeta: true`, then
    /// `<command-name>/export</command-name><command-message>export</command-message><command-args></command-args>`,
    /// then `<local-command-stdout>`); the same prefixes are what public readers of those files skip when they name a
    /// session (found with the code search: "<command-", "<local-command-stdout>", "[Request interrupted by user]",
    /// "Caveat: The messages below were generated", "<system-reminder>", "<user-prompt-submit-hook>", "<bash-input>").
    /// Claude Code's system prompt calls `<user-prompt-submit-hook>` hook feedback.
    static func firstRequest(_ records: [JSONLine]) -> String? {
        for l in records where l.object["type"]?.stringValue == "user" && l.object["isMeta"]?.boolValue != true {
            let text: String?
            switch l.object["message"]?["content"] {
            case .string(let s)?: text = s
            case .array(let a)?:
                text = a.lazy.filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }
                    .first { request($0) != nil }
            default: text = nil
            }
            if let t = text.flatMap(request) { return t }
        }
        return nil
    }

    static let notRequests = ["<system-reminder>", "<local-command-stdout>", "<local-command-stderr>", "<local-command-caveat>",
                              "<user-prompt-submit-hook>", "<bash-input>", "<bash-stdout>", "<bash-stderr>", "<task-notification>",
                              "Caveat: The messages below were generated by the user while running local commands",
                              "[Request interrupted by user", "This session is being continued from a previous conversation"]

    /// The request a user text holds, or nil when Claude Code wrote it.
    static func request(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty || notRequests.contains(where: { t.hasPrefix($0) }) { return nil }
        if t.hasPrefix("<command-name>") || t.hasPrefix("<command-message>") || t.hasPrefix("<command-args>") {
            let args = tag("command-args", in: t)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !args.isEmpty else { return nil }
            let name = tag("command-name", in: t)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if name.isEmpty { return args }
            return (name.hasPrefix("/") ? name : "/" + name) + " " + args
        }
        return t
    }

    /// The text between `<name>` and `</name>`.
    static func tag(_ name: String, in s: String) -> String? {
        guard let a = s.range(of: "<\(name)>"), let b = s.range(of: "</\(name)>", range: a.upperBound..<s.endIndex) else { return nil }
        return String(s[a.upperBound..<b.lowerBound])
    }

    /// The Task call whose prompt is the sub-agent's first prompt.
    static func match(_ prompt: String?, _ calls: [(id: ID, prompt: String)]) -> ID? {
        guard let p = prompt?.trimmingCharacters(in: .whitespacesAndNewlines), !p.isEmpty else { return nil }
        return calls.first { $0.prompt.trimmingCharacters(in: .whitespacesAndNewlines) == p }?.id
    }
}
