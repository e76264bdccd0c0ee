import Foundation
import Core
import Storage

/// One Claude stream-json conversation read event by event (`feed`), then closed (`finish`). The same
/// code serves `agentmon import claude` (a whole file) and the worker (lines as a live run prints them):
/// init → the session (found again by its external id when a run resumes it), assistant/user → messages,
/// thoughts, tool calls and results, control_request/response/cancel_request → permission prompts, result → status,
/// usage and cost. Everything is written as it is read.
final class ClaudeStreamParser {
    enum Mode {
        /// A whole transcript: totals are set (a re-import changes nothing).
        case batch
        /// One run of a session that may span runs: each run's usage is added.
        case live
    }

    struct Outcome {
        let sessionId: ID
        let status: SessionStatus
        let usage: Usage
        let costUsd: Double
    }

    static let ignored: Set<String> = ["stream_event", "rate_limit_event", "keep_alive"]

    let writer: TranscriptWriter
    let mode: Mode
    private let agent: () throws -> Agent
    private let fallbackExternalId: String?
    /// Appended to keys made from line numbers: live runs of one session restart their line count.
    private let lineKeySuffix: String
    /// Title of a new session (a live run's prompt).
    private let title: String?
    /// Called once the session is known (created or found), before anything is written into it.
    private let onSession: (Session, _ initEvent: JSONValue?) throws -> Void

    /// A live run's hook for new permission requests (see `ClaudePermissions.onRequest`).
    var onPermissionRequest: ((ToolCall, JSONValue) throws -> Void)?

    private(set) var session: Session?
    private var content: ClaudeContent?
    private var permissions: ClaudePermissions?
    private(set) var model: String?
    private var result: JSONValue?
    /// A turn began after the last result event (or there was none): the run did not finish it.
    private var turnOpen = false
    /// Lines that were JSON but not events of this protocol.
    private(set) var skipped = 0

    init(writer: TranscriptWriter, mode: Mode, agent: @escaping () throws -> Agent, fallbackExternalId: String? = nil,
         lineKeySuffix: String = "", title: String? = nil, onSession: @escaping (Session, JSONValue?) throws -> Void = { _, _ in }) {
        self.writer = writer; self.mode = mode; self.agent = agent; self.lineKeySuffix = lineKeySuffix
        self.title = title
        self.fallbackExternalId = fallbackExternalId; self.onSession = onSession
    }

    /// Opens the session up front (batch: the id and init event are known from the whole file).
    func begin(externalId: String, initEvent: JSONValue?) throws {
        guard session == nil else { return }
        model = initEvent?["model"]?.stringValue
        let s = try writer.session(agent: try agent(), externalId: externalId, title: title, model: model,
                                   metadata: ["source": "claude-stream-json", "cwd": initEvent?["cwd"] ?? .null])
        try onSession(s, initEvent)
        session = s
        var c = ClaudeContent(writer: writer, sessionId: s.id)
        let p = ClaudePermissions(writer: writer, sessionId: s.id)
        p.onRequest = onPermissionRequest
        c.onToolResult = { try p.toolResult(toolUseId: $0, output: $1, isError: $2) }
        content = c; permissions = p
    }

    func feed(_ line: JSONLine) throws {
        let o = line.object
        let type = o["type"]?.stringValue
        if let t = type, Self.ignored.contains(t) { return }
        if session == nil {
            let isInit = type == "system" && o["subtype"]?.stringValue == "init"
            guard let ext = o["session_id"]?.stringValue ?? fallbackExternalId else {
                if type != "system" { skipped += 1 }  // nothing to attach it to yet
                return
            }
            try begin(externalId: ext, initEvent: isInit ? o : nil)
        }
        guard let session else { return }
        switch type {
        case "system":
            if model == nil, o["subtype"]?.stringValue == "init", let m = o["model"]?.stringValue { model = m }
        case "assistant", "user":
            guard let msg = o["message"], let role = type else { skipped += 1; return }
            if model == nil, let m = msg["model"]?.stringValue { model = m }
            let key = msg["id"]?.stringValue ?? o["uuid"]?.stringValue ?? "line\(line.number)\(lineKeySuffix)"
            try content?.write(role: role, message: msg, messageKey: key)
            turnOpen = true
        case "control_request":
            try permissions?.request(o)
            turnOpen = true
        case "control_response":
            try permissions?.response(o)
        case "control_cancel_request":
            try permissions?.cancel(o)
        case "result":
            result = o
            turnOpen = false
            if Self.failed(o) {
                let text = o["result"]?.stringValue ?? o["errors"]?.flatText ?? o["subtype"]?.stringValue ?? "error"
                try writer.message(session.id, role: .system, content: text, externalId: "result:\(line.number)\(lineKeySuffix)", isError: true)
            }
        default:
            skipped += 1
        }
    }

    /// Status, usage and cost of what was read; nil when no session was ever opened. A turn without its
    /// `result` event was interrupted (`stopped`) — unless a transcript ends waiting for a person to allow a
    /// tool: that session is still `running`, waiting in the inbox.
    @discardableResult
    func finish() throws -> Outcome? {
        guard let session, let content else { return nil }
        var status: SessionStatus = result.map { Self.failed($0) ? .failed : .completed } ?? .stopped
        if turnOpen {
            let waiting = mode == .batch ? try writer.store.toolCalls.pendingConfirmation(sessionId: session.id) != nil : false
            status = waiting ? .running : .stopped
        }
        let usage = UsageTally.anthropic(result?["usage"]) ?? content.tally.total
        let cost = UsageTally.cost(result?["total_cost_usd"]) ?? writer.prices.cost(model: model, usage: usage)
        try writer.store.sessions.setStatus(session.id, status)
        switch mode {
        case .batch:
            try writer.store.sessions.setUsageTotals(session.id, usage, costUsd: cost)
            try writer.store.sessions.startAtFirstMessage(session.id)
        case .live: try writer.store.sessions.addUsage(session.id, usage, costUsd: cost)
        }
        return Outcome(sessionId: session.id, status: status, usage: usage, costUsd: cost)
    }

    /// Whether a result event has been read (the run's usage is then final).
    var hasResult: Bool { result != nil }

    static func failed(_ result: JSONValue) -> Bool {
        result["is_error"]?.boolValue == true || result["subtype"]?.stringValue != "success"
    }
}
