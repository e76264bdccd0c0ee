import Foundation
import Core
import Storage

/// Gemini CLI chats (`~/.gemini/tmp/<project-hash>/chats/`), as `ChatRecordingService` writes them
/// (google-gemini/gemini-cli, packages/core/src/services/chatRecordingService.ts and chatRecordingTypes.ts):
/// - older versions: `session-<time>-<id8>.json`, one JSON object `{sessionId, projectHash, startTime, lastUpdated,
///   messages: [...], summary?, kind?}`;
/// - newer ones: `session-<time>-<id8>.jsonl`, a metadata line `{sessionId, projectHash, startTime, …}`, then message
///   records (a message written again with the same `id` replaces it), `{"$set": {…}}` metadata updates (whose
///   `messages`, when present, replace the list) and `{"$rewindTo": id}` (drops that message and those after it).
///   A sub-agent's chat is `chats/<parent session id>/<session id>.jsonl` with `kind: "subagent"`.
/// A message is `{id, timestamp, type: user|gemini|info|error|warning, content: string or parts}`; a `gemini` one
/// may have `model`, `tokens {input, output, cached, thoughts, tool, total}` (`input` is the whole prompt, cached
/// part included), `thoughts [{subject, description}]` and `toolCalls [{id, name, args, result, status,
/// resultDisplay}]`. Gemini records no cost: it comes from the price table. `logs.json` (the prompts only) and
/// other files are not chats and are skipped.
struct GeminiChatImporter {
    let writer: TranscriptWriter
    let file: URL

    /// The chat a file holds: its metadata and its messages in order, or nil when it is not a Gemini chat.
    static func chat(lines: [JSONLine], whole: JSONValue?) -> (meta: [String: JSONValue], messages: [JSONValue])? {
        if case .object(let o)? = whole, o["sessionId"]?.stringValue != nil, case .array(let m)? = o["messages"] {
            return (o, m.filter { $0["id"]?.stringValue != nil })
        }
        var meta: [String: JSONValue] = [:]
        var order: [String] = [], byId: [String: JSONValue] = [:]
        func replace(_ list: [JSONValue]) {
            order = []; byId = [:]
            for m in list { if let id = m["id"]?.stringValue { if byId.updateValue(m, forKey: id) == nil { order.append(id) } } }
        }
        for l in lines {
            guard case .object(let o) = l.object else { continue }
            if let to = o["$rewindTo"]?.stringValue {
                if let i = order.firstIndex(of: to) {
                    for id in order[i...] { byId[id] = nil }
                    order.removeSubrange(i...)
                } else { replace([]) }
            } else if o["id"]?.stringValue != nil {
                let id = o["id"]!.stringValue!
                if byId.updateValue(l.object, forKey: id) == nil { order.append(id) }
            } else if case .object(let set)? = o["$set"] {
                for (k, v) in set where k != "messages" { meta[k] = v }
                if case .array(let list)? = set["messages"] { replace(list) }
            } else if o["sessionId"]?.stringValue != nil && o["projectHash"] != nil {
                for (k, v) in o { meta[k] = v }
            }
        }
        guard meta["sessionId"]?.stringValue != nil else { return nil }
        return (meta, order.compactMap { byId[$0] })
    }

    /// Imports the chat; returns the lines skipped (`skipped`: those that were not JSON objects; all of them when
    /// the file is not a chat, none when it is one whole JSON document).
    func run(_ lines: [JSONLine], skipped: Int, whole: JSONValue?) throws -> Int {
        guard let (meta, messages) = Self.chat(lines: lines, whole: whole), let key = meta["sessionId"]?.stringValue else {
            return whole != nil && lines.isEmpty ? 1 : lines.count + skipped
        }
        let isWhole = whole.map { if case .array? = $0["messages"] { return true } else { return false } } ?? false
        let agent = try writer.agent("gemini", name: "Gemini CLI")
        var parent: Session?
        let folder = file.deletingLastPathComponent().lastPathComponent
        if meta["kind"]?.stringValue == "subagent", folder != "chats", !folder.isEmpty, folder != key {
            parent = try writer.session(agent: agent, externalId: folder, metadata: ["source": "gemini-chat"])
        }
        let title = messages.lazy.filter { $0["type"]?.stringValue == "user" }.map { Self.text($0["content"]) }
            .first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let model = messages.lazy.compactMap { $0["model"]?.stringValue }.first
        let session = try writer.session(agent: agent, externalId: key, title: title, model: model, parentSessionId: parent?.id,
                                         metadata: ["source": "gemini-chat", "projectHash": meta["projectHash"] ?? .null])
        var tally = UsageTally()
        for m in messages {
            guard let id = m["id"]?.stringValue else { continue }
            let at = Timestamps.parse(m["timestamp"])
            var usage: Usage?
            if let u = Self.usage(m["tokens"]) { tally.add(messageId: id, u); usage = u }
            let text = Self.text(m["content"])
            switch m["type"]?.stringValue {
            case "user":
                if !text.isEmpty { try writer.message(session.id, role: .user, content: text, externalId: id + ":text", at: at) }
            case "gemini":
                if case .array(let thoughts)? = m["thoughts"] {
                    for (i, t) in thoughts.enumerated() {
                        let s = [t["subject"]?.stringValue, t["description"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
                        guard !s.isEmpty else { continue }
                        try writer.message(session.id, role: .assistant, kind: .thought, content: s.joined(separator: ": "),
                                           externalId: "\(id):thought:\(i)", usage: usage, at: at)
                        usage = nil
                    }
                }
                if !text.isEmpty {
                    try writer.message(session.id, role: .assistant, content: text, externalId: id + ":text", usage: usage, at: at)
                    usage = nil
                }
                if case .array(let calls)? = m["toolCalls"] {
                    for c in calls {
                        guard let callId = c["id"]?.stringValue else { continue }
                        let name = c["name"]?.stringValue ?? "tool"
                        try writer.toolUse(session.id, externalId: callId, name: name, input: (c["args"] ?? .object([:])).prettyJSON,
                                           usage: usage, at: Timestamps.parse(c["timestamp"]) ?? at)
                        usage = nil
                        let status = c["status"]?.stringValue ?? ""
                        guard ["success", "error", "cancelled"].contains(status) else { continue }  // still running
                        try writer.toolResult(session.id, callId: callId, output: Self.output(c), isError: status != "success",
                                              at: Timestamps.parse(c["timestamp"]) ?? at)
                    }
                }
            case "info", "warning", "error":
                if !text.isEmpty {
                    try writer.message(session.id, role: .system, content: text, externalId: id + ":text",
                                       isError: m["type"]?.stringValue == "error", at: at)
                }
            default: continue
            }
        }
        try writer.finish(session.id, status: .completed, usage: tally.total, recordedCost: nil, model: model)
        return isWhole ? 0 : skipped
    }

    /// Gemini's usage: `input` (promptTokenCount) includes the cached part; thoughts are billed as output and
    /// `tool` (toolUsePromptTokenCount) as input.
    static func usage(_ t: JSONValue?) -> Usage? {
        guard let t, case .object = t else { return nil }
        let cached = UsageTally.tokens(t, "cached")
        return Usage(input: max(0, UsageTally.tokens(t, "input") - cached) + UsageTally.tokens(t, "tool"),
                     output: UsageTally.tokens(t, "output") + UsageTally.tokens(t, "thoughts"), cacheRead: cached)
    }

    /// Text of a `PartListUnion`: a string, a part, or a list of them (only `text` parts).
    static func text(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return s
        case .array(let a)?: return a.map { text($0) }.filter { !$0.isEmpty }.joined(separator: "\n")
        case .object?:
            if v?["thought"]?.boolValue == true { return "" }
            return v?["text"]?.stringValue ?? ""
        default: return ""
        }
    }

    /// What a tool call returned: its display text, else its function response's output or error.
    static func output(_ c: JSONValue) -> String {
        if let s = c["resultDisplay"]?.stringValue, !s.isEmpty { return s }
        var parts: [JSONValue] = []
        switch c["result"] {
        case .array(let a)?: parts = a
        case let p? where p != .null: parts = [p]
        default: break
        }
        let texts = parts.compactMap { p -> String? in
            if let r = p["functionResponse"]?["response"] {
                if let e = r["error"], e != .null { return e.stringValue ?? e.flatText }
                if let o = r["output"], o != .null { return o.stringValue ?? o.flatText }
                return r.flatText
            }
            return p["text"]?.stringValue
        }
        if !texts.isEmpty { return texts.joined(separator: "\n") }
        if case .object? = c["resultDisplay"] { return c["resultDisplay"]!.flatText }
        return ""
    }
}
