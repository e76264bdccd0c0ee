import Foundation
import Core
import Storage
import Importers

/// The `stream-json` protocol (Claude Code's print mode). Output is handed to the run's live transcript
/// (ClaudeLiveTranscript) on a thread and connection of its own, so parsing and the transcript's database
/// writes never hold up the log; past `maxQueuedBytes` (the parser far behind) chunks are dropped and the
/// cut line skipped, never blocking the run.
///
/// When the agent reads `--input-format stream-json`, the worker also writes to its stdin, in the format
/// Claude Code's Agent SDK writes (claude-agent-sdk-python `_internal/query.py` and `client.py`; the
/// TypeScript SDK's `SDKUserMessage` / `SDKControlRequest` types):
/// - the prompt, then each follow-up, as a user message
///   `{"type":"user","message":{"role":"user","content":TEXT},"parent_tool_use_id":null,"session_id":ID}`;
/// - an interrupt as `{"type":"control_request","request_id":ID,"request":{"subtype":"interrupt"}}`;
/// - a decision on a `can_use_tool` request as
///   `{"type":"control_response","response":{"subtype":"success","request_id":ID,"response":
///   {"behavior":"allow","updatedInput":INPUT}}}` or `{"behavior":"deny","message":REASON}`.
/// stdin stays open while turns are outstanding and is closed after the `result` of the last one, so the
/// process exits; after an interrupt it stays open for the person's next message.
final class StreamJSONConversation: AgentConversation, @unchecked Sendable {
    /// Turns the agent owes a `result` for, and whether an interrupt keeps stdin open for the next message.
    private struct Turns {
        var open = 0
        var interrupted = false
        var heldForMessage = false
    }

    private let turns = Locked(Turns())
    private var pump: OutputPump!
    private let outcome = Locked<ClaudeLiveTranscript.Outcome?>(nil)
    private let report: @Sendable (String) -> Void
    private let execution: Execution
    private let agent: Agent
    private let input: AgentInput?
    private let requestCounter = Locked(0)

    /// Starts the thread; nil (reported) when its connection cannot be opened: the run goes on without a transcript.
    static func start(_ c: ConversationContext) -> StreamJSONConversation? {
        let store: Store, transcript: ClaudeLiveTranscript
        do {
            store = try Store.open(c.connection, migrate: false)
            transcript = try ClaudeLiveTranscript(store: store, execution: c.execution, agent: c.agent)
        } catch {
            c.report("execution \(c.execution.id): no live transcript: \(error)")
            return nil
        }
        let feed = StreamJSONConversation(c)
        transcript.onEvent = { [weak feed] in feed?.event($0) }
        transcript.onPermissionRequest = { [weak feed] call, _ in feed?.permissionRequested(call, store: store) }
        let box = UncheckedBox(value: (store, transcript))
        feed.pump = OutputPump(handle: { items in
            for item in items {
                switch item {
                case .bytes(let c): box.value.1.feed(c)
                case .gap: box.value.1.gap()
                case .input(let i): box.value.1.record(i)
                }
            }
        }, finish: { feed.finished(store: box.value.0, transcript: box.value.1) })
        return feed
    }

    private init(_ c: ConversationContext) {
        execution = c.execution; agent = c.agent; input = c.input; report = c.report
    }

    // MARK: Input to the agent

    /// The prompt is the first user message (the arguments carry none when Claude reads stdin).
    func started() {
        guard let input else { return }
        turns.with { $0.open = 1 }
        do { try input.send(Self.userMessage(execution.prompt ?? "", sessionRef: execution.sessionRef)) } catch {
            report("execution \(execution.id): cannot send the prompt: \(error)")
            input.close()
        }
    }

    func deliver(_ i: ExecutionInput) -> InputOutcome {
        guard let input, input.isOpen else { return .refused(Self.noInput(agent, input)) }
        do {
            switch i.kind {
            case .message:
                // Counted first: a `result` read meanwhile must not close stdin under this message.
                turns.with { $0.open += 1; $0.heldForMessage = false }
                do { try input.send(Self.userMessage(i.body, sessionRef: execution.sessionRef)) } catch {
                    turns.with { $0.open -= 1 }
                    throw error
                }
            case .interrupt:
                try input.send(["type": "control_request", "request_id": .string(nextRequestId("interrupt")),
                                "request": ["subtype": "interrupt"]])
                turns.with { $0.interrupted = true }
            case .decision:
                return .refused("a decision needs its permission request")
            }
        } catch { return .refused("\(error)") }
        pump.enqueue(i)
        return .delivered
    }

    func answer(_ a: PermissionAnswer) -> InputOutcome {
        guard let input, input.isOpen else { return .refused(Self.noInput(agent, input)) }
        guard let requestId = a.details?["request_id"]?.stringValue
                ?? a.toolCall.externalId.flatMap({ $0.hasPrefix("perm:") ? String($0.dropFirst(5)) : nil }) else {
            return .refused("the permission request has no request id")
        }
        let decision: JSONValue = a.allow
            ? ["behavior": "allow", "updatedInput": JSONParser.parse(Array(a.toolCall.input.utf8)) ?? .object([:])]
            : ["behavior": "deny", "message": .string(a.reason ?? "denied")]
        do {
            try input.send(["type": "control_response",
                            "response": ["subtype": "success", "request_id": .string(requestId), "response": decision]])
        } catch { return .refused("\(error)") }
        return .delivered
    }

    static func userMessage(_ text: String, sessionRef: String?) -> JSONValue {
        ["type": "user", "message": ["role": "user", "content": .string(text)], "parent_tool_use_id": nil,
         "session_id": .string(sessionRef ?? "default")]
    }

    static func noInput(_ agent: Agent, _ input: AgentInput?) -> String {
        input == nil ? "agent '\(agent.slug)' does not read input (its arguments need --input-format stream-json)"
                     : "the agent's input is closed (its last turn has ended)"
    }

    private func nextRequestId(_ what: String) -> String {
        let n = requestCounter.with { $0 += 1; return $0 }
        return "agentmon_\(what)_\(execution.id)_\(n)"
    }

    /// From the transcript thread: each event. A `result` ends a turn; when none is left (and no interrupt
    /// waits for the person's next message) stdin is closed so that Claude exits.
    private func event(_ v: JSONValue) {
        guard let input, v["type"]?.stringValue == "result" else { return }
        let close = turns.with { t -> Bool in
            t.open = max(0, t.open - 1)
            if t.interrupted { t.interrupted = false; t.heldForMessage = true }
            return t.open == 0 && !t.heldForMessage
        }
        if close { input.close() }
    }

    /// From the transcript thread: a new permission request. A rule may answer it at once.
    private func permissionRequested(_ call: ToolCall, store: Store) {
        guard input != nil, let rule = PermissionRules.decide(call, agent: agent, store: store) else { return }
        let details = try? store.toolCalls.requestDetails(call.id)
        let allow = rule.decision == .allow
        if case .refused(let why) = answer(PermissionAnswer(toolCall: call, details: details, allow: allow,
                                                             reason: allow ? nil : "denied by \(rule.decider)")) {
            report("execution \(execution.id): \(rule.decider) decided tool call \(call.id) but the answer was not sent: \(why)")
        }
    }

    // MARK: Output from the agent

    func received(_ bytes: ArraySlice<UInt8>) { pump.received(bytes) }

    /// The run has ended: waits until every queued byte is parsed and the outcome written (bounded: a
    /// stuck database must not keep the run from being recorded; the thread then finishes on its own).
    func ended() { input?.close(); finish() }

    @discardableResult
    func finish(timeout: Double = 60) -> ClaudeLiveTranscript.Outcome? {
        guard pump.close(timeout: timeout) else {
            report("execution \(execution.id): the transcript was not finished within \(Int(timeout)) s; its usage may be missing")
            return nil
        }
        return outcome.get
    }

    /// On the pump's thread, after the last output: usage and status written, the connection closed.
    private func finished(store: Store, transcript: ClaudeLiveTranscript) {
        defer { store.close() }
        let o = transcript.finish()
        outcome.with { $0 = o }
        if transcript.badLines + transcript.oversizedLines > 0 || transcript.lastError != nil {
            report("execution \(execution.id): transcript skipped \(transcript.badLines) bad and \(transcript.oversizedLines) oversized lines"
                   + (transcript.lastError.map { "; last error: \($0)" } ?? ""))
        }
    }
}

/// Moves a non-Sendable value to the one thread that will use it.
struct UncheckedBox<T>: @unchecked Sendable { let value: T }
