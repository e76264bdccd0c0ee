import Foundation
import Core
import Storage

/// The transcript of a Claude run read while it runs: output bytes in (any chunking), complete lines
/// out to the stream-json parser, messages and tool calls written as they arrive. The session is the
/// one named by the run's init event (found again when the run resumes it), tied to the execution and
/// task; the execution's session ref becomes the external id. A bad line is counted, never fatal; a
/// line over `maxLineBytes` is dropped unread and counted.
public final class ClaudeLiveTranscript {
    public static let defaultMaxLineBytes = 16 * 1024 * 1024

    public struct Outcome: Sendable, Equatable {
        public let sessionId: ID
        public let status: SessionStatus
        public let usage: Usage
        public let costUsd: Double
    }

    /// Whether an agent speaks Claude stream-json: its session config says so, or its base args ask for it.
    public static func speaksStreamJSON(_ agent: Agent) -> Bool {
        if agent.sessionConfig?["bidirectionalProtocol"]?.stringValue == "stream-json" { return true }
        let args = agent.baseArgs
        if args.contains("--output-format=stream-json") { return true }
        return zip(args, args.dropFirst()).contains { $0 == "--output-format" && $1 == "stream-json" }
    }

    private let store: Store
    private let execution: Execution
    private let parser: ClaudeStreamParser
    private var lines: JSONObjectStream
    private var lineNumber = 0
    /// Lines that were not JSON objects, or whose writing failed.
    public var badLines: Int { lines.badLines }
    /// Lines over the cap, dropped.
    public var oversizedLines: Int { lines.oversizedLines }
    /// The last error writing to the database, for the worker's report.
    public private(set) var lastError: String?

    public init(store: Store, execution: Execution, agent: Agent, maxLineBytes: Int = ClaudeLiveTranscript.defaultMaxLineBytes) throws {
        self.store = store
        self.execution = execution
        lines = JSONObjectStream(maxLineBytes: maxLineBytes)
        let writer = try TranscriptWriter(store: store)
        let e = execution
        parser = ClaudeStreamParser(writer: writer, mode: .live, agent: { agent }, lineKeySuffix: "@e\(e.id)", title: e.prompt,
                                    onSession: { s, _ in
            try store.sessions.attachRun(s.id, executionId: e.id, taskId: e.taskId)
            if let ext = s.externalSessionId { try store.executions.setSessionRef(e.id, ext) }
            // Print mode does not echo the prompt: it is the person's turn that starts this run.
            if let prompt = e.prompt, !prompt.isEmpty {
                try writer.message(s.id, role: .user, content: prompt, externalId: "prompt@e\(e.id)")
            }
        })
    }

    /// The session, once the run has named it.
    public var sessionId: ID? { parser.session?.id }

    /// Each event of the run as it is read, after it is written (the worker follows turns with it).
    public var onEvent: ((JSONValue) -> Void)?

    /// A new permission request, after it is saved as a pending confirmation, with Claude's request.
    public var onPermissionRequest: ((ToolCall, JSONValue) throws -> Void)? {
        get { parser.onPermissionRequest }
        set { parser.onPermissionRequest = newValue }
    }

    /// What a person sent the run, in the transcript where it happened: a message as the user's turn, an
    /// interrupt as a note. Before the run has named its session there is nowhere to write it: false.
    @discardableResult
    public func record(_ input: ExecutionInput) -> Bool {
        guard let sid = sessionId else { return false }
        do {
            switch input.kind {
            case .message:
                try parser.writer.message(sid, role: .user, content: input.body, externalId: "input:\(input.id)",
                                          metadata: ["sent_by": .string(input.sentBy)])
            case .interrupt:
                try parser.writer.message(sid, role: .system, content: "Interrupted by \(input.sentBy)", externalId: "input:\(input.id)",
                                          metadata: ["sent_by": .string(input.sentBy)])
            case .decision:
                return true  // the tool call carries the decision
            }
            return true
        } catch {
            lastError = "\(error)"
            return false
        }
    }

    /// Output as it arrives; complete lines are parsed at once.
    public func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 { lines.feed(bytes, handle) }

    /// Some output was lost before reaching here (the reader fell too far behind): the line it cut is dropped.
    public func gap() { lines.gap() }

    /// The run has ended: a last unterminated line is parsed, then status, usage and cost are written to
    /// the session and added to the execution. Nil when the run never named a session.
    @discardableResult
    public func finish() -> Outcome? {
        lines.flush(handle)
        do {
            guard let o = try parser.finish() else { return nil }
            // The program is gone: a permission request it left open can no longer be answered.
            try store.toolCalls.closePendingConfirmation(sessionId: o.sessionId, reason: "the run ended before an answer")
            try store.executions.addUsage(execution.id, o.usage, costUsd: o.costUsd)
            return Outcome(sessionId: o.sessionId, status: o.status, usage: o.usage, costUsd: o.costUsd)
        } catch {
            lastError = "\(error)"
            return nil
        }
    }

    /// One line's object: the parser writes it, then the worker's hook sees it.
    private func handle(_ v: JSONValue) {
        lineNumber += 1
        do { try parser.feed(JSONLine(number: lineNumber, object: v)) } catch {
            lines.countBad()
            lastError = "\(error)"
        }
        onEvent?(v)
    }
}
