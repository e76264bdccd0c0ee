import Foundation
import Core
import Storage

/// OpenCode's storage folder (`~/.local/share/opencode/storage`), one JSON file per record, as OpenCode writes it
/// (sst/opencode, packages/opencode/src/session/index.ts and message-v2.ts):
/// - `session/<project id>/<session id>.json`: `{id, title, parentID?, directory, time: {created, updated}}`
///   (a sub-agent's session has its parent's id in `parentID`);
/// - `message/<session id>/<message id>.json`: `{id, sessionID, role: user|assistant, time: {created}, …}`; an
///   assistant message has `modelID`, `providerID`, `cost` (dollars) and `tokens {input, output, reasoning,
///   cache: {read, write}}`, its steps' sums;
/// - `part/<message id>/<part id>.json`: `{id, messageID, type, …}`: `text` (`synthetic` when OpenCode wrote it),
///   `reasoning`, `tool` (`callID`, `tool`, `state {status: pending|running|completed|error, input, output, error}`),
///   and step, snapshot, patch and file parts that are not transcript text.
/// Newer versions keep the same records in `opencode.db` (SQLite, packages/opencode/src/session/session.sql.ts):
/// tables `session` (`id`, `parent_id`, `directory`, `title`, …), `message` and `part` (`id`, `session_id`,
/// `message_id`, `time_created`, and the record without its ids as JSON in `data`); it is opened read-only.
/// Times are milliseconds since 1970. Ids sort in creation order. Cost: the recorded one when above zero (OpenCode
/// records 0 for a model it has no price for), else the price table.
struct OpenCodeImporter {
    let writer: TranscriptWriter
    let root: URL
    /// `opencode.db`, when the records are read from it rather than from the storage folder `root`.
    var database: SQLiteDatabase? = nil

    /// `opencode.db` files under the given paths: the file itself, or OpenCode's data folder that holds it.
    static func databases(_ paths: [String]) -> [String] {
        paths.flatMap { p -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { return [] }
            if !isDir.boolValue { return p.hasSuffix(".db") ? [p] : [] }
            let db = URL(fileURLWithPath: p).appendingPathComponent("opencode.db").path
            return FileManager.default.fileExists(atPath: db) ? [db] : []
        }
    }

    /// A record of `opencode.db`: its `data` with the ids put back.
    static func record(_ r: Row, ids: [String: String]) -> JSONValue? {
        guard case .object(var o)? = r.optString("data").flatMap(JSONValue.parse) else { return nil }
        for (key, column) in ids { if let v = r.optString(column) { o[key] = .string(v) } }
        return .object(o)
    }

    func messages(of sessionId: String, skipped: inout Int) throws -> [JSONValue] {
        guard let database else {
            return Self.objects(in: root.appendingPathComponent("message").appendingPathComponent(sessionId), skipped: &skipped)
        }
        let rows = try database.query("SELECT id, session_id, data FROM message WHERE session_id = ? ORDER BY id", .text(sessionId))
        return rows.compactMap { r in
            let v = Self.record(r, ids: ["id": "id", "sessionID": "session_id"]); if v == nil { skipped += 1 }; return v
        }
    }

    func parts(of messageId: String, skipped: inout Int) throws -> [JSONValue] {
        guard let database else {
            return Self.objects(in: root.appendingPathComponent("part").appendingPathComponent(messageId), skipped: &skipped)
        }
        let rows = try database.query("SELECT id, message_id, session_id, data FROM part WHERE message_id = ? ORDER BY id", .text(messageId))
        return rows.compactMap { r in
            let v = Self.record(r, ids: ["id": "id", "messageID": "message_id", "sessionID": "session_id"]); if v == nil { skipped += 1 }; return v
        }
    }

    /// The storage folders under the given paths: a `storage` folder (with `session/` and `message/`), the folder
    /// that holds one, or OpenCode's data folder.
    static func roots(_ paths: [String]) throws -> [URL] {
        let fm = FileManager.default
        var out: [URL] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw ImportError.notFound(p) }
            let u = URL(fileURLWithPath: p)
            for candidate in [u, u.appendingPathComponent("storage")] where isStorage(candidate) {
                out.append(candidate.standardizedFileURL); break
            }
        }
        return out
    }

    static func isStorage(_ u: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: u.appendingPathComponent("session").path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The JSON objects in a folder's `*.json` files, sorted by id (creation order); unreadable or unparsable ones
    /// are counted in `skipped`.
    static func objects(in dir: URL, skipped: inout Int) -> [JSONValue] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        var out: [JSONValue] = []
        for n in names.sorted() where n.hasSuffix(".json") {
            guard let data = try? Importer.read(dir.appendingPathComponent(n).path), let v = JSONParser.parse(data), case .object = v,
                  v["id"]?.stringValue != nil else { skipped += 1; continue }
            out.append(v)
        }
        return out.sorted { ($0["id"]?.stringValue ?? "") < ($1["id"]?.stringValue ?? "") }
    }

    /// Every session file under `session/`, parents before their sub-agents.
    func sessions(skipped: inout Int) throws -> [JSONValue] {
        if let database {
            var all: [JSONValue] = []
            for r in try database.query("SELECT id, parent_id, directory, title FROM session ORDER BY id") {
                var o: [String: JSONValue] = [:]
                let columns: [(String, String)] = [("id", "id"), ("parentID", "parent_id"), ("directory", "directory"), ("title", "title")]
                for (key, column) in columns { if let v = r.optString(column) { o[key] = JSONValue.string(v) } }
                all.append(JSONValue.object(o))
            }
            return all.filter { $0["parentID"]?.stringValue == nil } + all.filter { $0["parentID"]?.stringValue != nil }
        }
        let base = root.appendingPathComponent("session")
        var all: [JSONValue] = []
        let dirs = ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []).sorted()
        all += Self.objects(in: base, skipped: &skipped)
        for d in dirs {
            let u = base.appendingPathComponent(d)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: u.path, isDirectory: &isDir), isDir.boolValue {
                all += Self.objects(in: u, skipped: &skipped)
            }
        }
        return all.filter { $0["parentID"]?.stringValue == nil } + all.filter { $0["parentID"]?.stringValue != nil }
    }

    static func date(_ v: JSONValue?) -> Date? {
        guard let ms = v?.doubleValue, ms.isFinite, ms > 0, ms < 1e14 else { return nil }
        return Date(timeIntervalSince1970: ms / 1000)
    }

    /// One session and its messages; returns the files skipped.
    func importSession(_ s: JSONValue) throws -> Int {
        guard let id = s["id"]?.stringValue else { return 1 }
        var skipped = 0
        let messages = try self.messages(of: id, skipped: &skipped)
        var parts: [String: [JSONValue]] = [:]
        for m in messages {
            if let mid = m["id"]?.stringValue { parts[mid] = try self.parts(of: mid, skipped: &skipped) }
        }
        let agent = try writer.agent("opencode", name: "OpenCode")
        let firstRequest = messages.lazy.filter { $0["role"]?.stringValue == "user" }
            .compactMap { m in parts[m["id"]?.stringValue ?? ""]?.first { $0["type"]?.stringValue == "text" && $0["synthetic"]?.boolValue != true }?["text"]?.stringValue }
            .first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        let model = messages.lazy.compactMap { $0["modelID"]?.stringValue }.first
        // A sub-agent's session nests under its parent, and under the `task` call whose prompt started it.
        var parent: Session?, parentCall: ID?
        if let p = s["parentID"]?.stringValue {
            let ps = try writer.session(agent: agent, externalId: p, metadata: ["source": "opencode-storage"])
            let calls = try writer.store.toolCalls.query(sessionId: ps.id, toolName: "task")
                .map { (id: $0.id, prompt: JSONValue.parse($0.input)?["prompt"]?.stringValue ?? "") }
            parent = ps
            parentCall = ClaudeSessionImporter.match(firstRequest, calls)
        }
        let session = try writer.session(agent: agent, externalId: id, title: firstRequest ?? s["title"]?.stringValue, model: model,
                                         parentSessionId: parent?.id, parentToolCallId: parentCall,
                                         metadata: ["source": "opencode-storage", "cwd": s["directory"] ?? .null])
        var tally = UsageTally()
        for m in messages {
            guard let mid = m["id"]?.stringValue else { continue }
            let isUser = m["role"]?.stringValue == "user"
            let at = Self.date(m["time"]?["created"])
            var usage: Usage?
            if !isUser, let t = m["tokens"], case .object = t {
                let u = Usage(input: UsageTally.tokens(t, "input"),
                              output: UsageTally.tokens(t, "output") + UsageTally.tokens(t, "reasoning"),
                              cacheRead: t["cache"].map { UsageTally.tokens($0, "read") } ?? 0,
                              cacheWrite: t["cache"].map { UsageTally.tokens($0, "write") } ?? 0)
                tally.add(messageId: mid, u)
                usage = u
                if let c = UsageTally.cost(m["cost"]), c > 0 { tally.addCost(messageId: mid, c) }
            }
            for p in parts[mid] ?? [] {
                guard let pid = p["id"]?.stringValue else { continue }
                let pat = Self.date(p["time"]?["start"]) ?? at
                switch p["type"]?.stringValue {
                case "text":
                    guard p["synthetic"]?.boolValue != true, let text = p["text"]?.stringValue, !text.isEmpty else { continue }
                    try writer.message(session.id, role: isUser ? .user : .assistant, content: text, externalId: pid, usage: usage, at: pat)
                    usage = nil
                case "reasoning":
                    guard let text = p["text"]?.stringValue, !text.isEmpty else { continue }
                    try writer.message(session.id, role: .assistant, kind: .thought, content: text, externalId: pid, usage: usage, at: pat)
                    usage = nil
                case "tool":
                    guard let callId = p["callID"]?.stringValue else { continue }
                    let state = p["state"] ?? .object([:])
                    try writer.toolUse(session.id, externalId: callId, name: p["tool"]?.stringValue ?? "tool",
                                       input: (state["input"] ?? .object([:])).prettyJSON, usage: usage,
                                       at: Self.date(state["time"]?["start"]) ?? at)
                    usage = nil
                    let end = Self.date(state["time"]?["end"]) ?? at
                    switch state["status"]?.stringValue {
                    case "completed":
                        try writer.toolResult(session.id, callId: callId, output: state["output"]?.stringValue ?? state["output"]?.flatText ?? "",
                                              isError: false, at: end)
                    case "error":
                        try writer.toolResult(session.id, callId: callId, output: state["error"]?.stringValue ?? state["error"]?.flatText ?? "",
                                              isError: true, at: end)
                    default: continue
                    }
                default: continue
                }
            }
            if !isUser, let e = m["error"], case .object = e {
                let text = e["data"]?["message"]?.stringValue ?? e["name"]?.stringValue ?? "error"
                try writer.message(session.id, role: .system, content: text, externalId: mid + ":error", isError: true, at: at)
            }
        }
        try writer.finish(session.id, status: .completed, usage: tally.total, recordedCost: tally.recordedTotalCost, model: model)
        return skipped
    }
}
