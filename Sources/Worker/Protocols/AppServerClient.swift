import Foundation
import Core
import Storage
import Importers

// The `app-server` protocol: Codex's JSON-RPC 2.0 over stdio (`codex app-server`), one JSON object per line,
// without the "jsonrpc" key. Where each format comes from (openai/codex on GitHub):
// - codex-rs/app-server/README.md (commit 001cdd274ec8567d9cbce4fb736128def9755a65): the lifecycle
//   (`initialize` request with clientInfo {name,title,version}, then the `initialized` notification; requests
//   before it are refused), `thread/start` → {thread:{id,…}, model,…} and `thread/resume` {threadId} with the
//   same result, `turn/start` {threadId, input:[{type:"text",text}]} → {turn:{id,status,…}}, `turn/steer`
//   {threadId, input, expectedTurnId} → {turnId} (an error when no turn is active or the id differs),
//   `turn/interrupt` {threadId, turnId} → {} and then `turn/completed` with status "interrupted"; the
//   "Events" section (`turn/started`, `turn/completed` {turn:{id,status,error}} with status completed,
//   interrupted or failed, `item/started` / `item/completed` {item,threadId,turnId}, `error` {error:{message},
//   willRetry}, `thread/tokenUsage/updated`); the "Approvals" section (server requests
//   `item/commandExecution/requestApproval` and `item/fileChange/requestApproval` {threadId, turnId, itemId,
//   reason?, command?, …}, answered with the same id and {"decision":"accept"|"decline"|…}, then
//   `serverRequest/resolved` {threadId, requestId}).
// - codex-rs/app-server-protocol/src/protocol/v2/turn.rs (commit 1c63f4ac341bcec16b75f1af711fb187868a3f5f):
//   TurnStartParams, TurnSteerParams (expected_turn_id required), TurnInterruptParams, TurnStatus.
// - codex-rs/app-server-protocol/src/protocol/v2/item.rs (commit 1360a104b02940a8c7ca1967a9bdc65a3c7d7e9e):
//   ThreadItem, CommandExecutionRequestApprovalParams, CommandExecutionApprovalDecision,
//   FileChangeApprovalDecision; ThreadTokenUsageUpdatedNotification {threadId, turnId, tokenUsage:{total,
//   last, modelContextWindow}} with TokenUsageBreakdown {totalTokens, inputTokens, cachedInputTokens,
//   outputTokens, reasoningOutputTokens}.
// - codex-rs/app-server/src/lib.rs: on stdio the server runs single-client and shuts down when its one
//   connection closes (`shutdown_when_no_connections`), i.e. at stdin EOF — which is how a run ends here.
// The real protocol has no `turn/failed` notification (a failed turn is `turn/completed` with status
// "failed"); issue 11 names one, so a `turn/failed` is read as a failed turn too.

/// The client side of one run's app-server conversation, without threads: lines in (`feed`), requests,
/// answers and notifications out to the agent's stdin. The worker's read thread owns `feed`; `deliver`
/// and `answer` come from the run loop; shared state is behind `lock`, held while a line is written so
/// that what is sent and what is recorded about it cannot be seen apart.
final class AppServerClient: @unchecked Sendable {
    static let maxLineBytes = 16 * 1024 * 1024
    static let clientInfo: JSONValue = ["name": "agentmon", "title": "agentmon", "version": "0.1.0"]

    /// What a request of ours was, so its response can be acted on.
    enum Pending {
        case initialize, openThread(resume: Bool), turnStart(ExecutionInput?), steer(ExecutionInput), interrupt
    }

    struct State {
        var nextId = 0
        var pending: [Int: Pending] = [:]
        var threadId: String?
        /// The running turn, once the server has named it.
        var activeTurn: String?
        /// turn/start requests whose turn has not ended.
        var turnsOwed = 0
        var steersInFlight = 0
        /// An interrupt was sent: the turn it ends keeps stdin open for the person's next message.
        var interrupted = false
        var heldForMessage = false
        /// Messages that came before there was a thread, or while a turn/start had no id yet.
        var queued: [ExecutionInput] = []
        var verdict: ConversationVerdict?
        var closed = false
        /// stdin was closed because the last turn ended (not because the agent went away).
        var finished = false
        /// Turns already ended, so a late response naming one does not make it active again.
        var endedTurns: Set<String> = []
        /// Steers refused so far per message (a server that keeps refusing must not be asked forever).
        var steerAttempts: [ID: Int] = [:]
    }

    let execution: Execution
    let agent: Agent
    private let input: AgentInput
    /// nil when the run has no transcript (its connection could not be opened): requests are then declined.
    let transcript: CodexAppServerTranscript?
    private let store: Store?
    private let report: @Sendable (String) -> Void
    private let lock = NSLock()
    private var state = State()
    private var lines = JSONObjectStream(maxLineBytes: AppServerClient.maxLineBytes)
    var badLines: Int { lines.badLines }
    var oversizedLines: Int { lines.oversizedLines }
    private(set) var lastError: String?

    init(execution: Execution, agent: Agent, input: AgentInput, transcript: CodexAppServerTranscript?, store: Store?,
         report: @escaping @Sendable (String) -> Void) {
        self.execution = execution; self.agent = agent; self.input = input; self.transcript = transcript; self.store = store
        self.report = report
        transcript?.onApprovalRequest = { [unowned self] call in approvalRequested(call) }
    }

    var snapshot: State { lock.lock(); defer { lock.unlock() }; return state }
    /// The run's verdict for a program that exited 0: the last turn's failure, or a server that went away
    /// before the turn it owed ended.
    var verdict: ConversationVerdict? {
        let s = snapshot
        if let v = s.verdict { return v }
        if !s.finished, s.turnsOwed > 0 || s.threadId == nil {
            return ConversationVerdict(status: .failed, reason: "the app-server ended before its turn did")
        }
        return nil
    }

    /// A continuation resumes the thread its parent ran in (as LaunchPlan's resume flags do for argv agents).
    var resumes: Bool { execution.parentExecutionId != nil && !(execution.sessionRef ?? "").isEmpty }

    // MARK: Sending

    /// The handshake: `initialize` now; `initialized` and the thread once it is answered.
    func start() {
        locked { s in request(&s, "initialize", ["clientInfo": Self.clientInfo], .initialize) }
    }

    private func locked<R>(_ body: (inout State) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&state) }

    /// Sends a request and remembers what it was; a failed write is reported and ends the input.
    private func request(_ s: inout State, _ method: String, _ params: JSONValue, _ what: Pending) {
        let id = s.nextId
        s.nextId += 1
        s.pending[id] = what
        write(&s, ["id": .number(Double(id)), "method": .string(method), "params": params])
    }

    private func write(_ s: inout State, _ message: JSONValue) {
        guard !s.closed else { return }
        do { try input.send(message) } catch {
            report("execution \(execution.id): cannot write to the app-server: \(error)")
            close(&s)
        }
    }

    private func close(_ s: inout State) {
        s.closed = true
        input.close()  // the server exits at EOF
    }

    private static func text(_ body: String) -> JSONValue { [["type": "text", "text": .string(body)]] }

    private func startTurn(_ s: inout State, _ text: String, _ i: ExecutionInput?) {
        guard let thread = s.threadId else { return }
        s.turnsOwed += 1
        s.heldForMessage = false
        request(&s, "turn/start", ["threadId": .string(thread), "input": Self.text(text)], .turnStart(i))
    }

    /// Queued messages go out as soon as they can: steering the named running turn, or starting a turn
    /// when none runs (the rest then wait for that turn's id).
    private func flush(_ s: inout State) {
        while !s.queued.isEmpty, let thread = s.threadId, !s.closed {
            if let turn = s.activeTurn {
                let i = s.queued.removeFirst()
                s.steerAttempts[i.id, default: 0] += 1
                s.steersInFlight += 1
                request(&s, "turn/steer", ["threadId": .string(thread), "input": Self.text(i.body), "expectedTurnId": .string(turn)], .steer(i))
            } else if s.turnsOwed == 0 {
                let i = s.queued.removeFirst()
                startTurn(&s, i.body, i)
            } else { return }
        }
    }

    /// The run is over when no turn is owed or being steered and nothing waits to be sent, unless an
    /// interrupt holds it open for the person's next message: stdin is closed and the server exits.
    private func closeIfDone(_ s: inout State) {
        guard !s.closed, s.threadId != nil, s.turnsOwed == 0, s.activeTurn == nil, s.steersInFlight == 0,
              s.queued.isEmpty, !s.heldForMessage else { return }
        s.finished = true
        close(&s)
    }

    private func fail(_ s: inout State, _ reason: String) {
        s.verdict = ConversationVerdict(status: .failed, reason: reason)
        report("execution \(execution.id): \(reason)")
        close(&s)
    }

    // MARK: Inputs from people

    func deliver(_ i: ExecutionInput) -> InputOutcome {
        locked { s -> InputOutcome in
            guard !s.closed, input.isOpen else { return .refused("the agent's input is closed (its last turn has ended)") }
            switch i.kind {
            case .message:
                s.heldForMessage = false
                s.queued.append(i)
                flush(&s)
                return s.closed ? .refused("the agent's input is closed") : .delivered
            case .interrupt:
                guard let thread = s.threadId, let turn = s.activeTurn else { return .refused("no turn is running to interrupt") }
                s.interrupted = true
                request(&s, "turn/interrupt", ["threadId": .string(thread), "turnId": .string(turn)], .interrupt)
                return s.closed ? .refused("the agent's input is closed") : .delivered
            case .decision:
                return .refused("a decision needs its permission request")
            }
        }
    }

    /// The JSON-RPC response to the server's approval request, with its id as the server sent it.
    func answer(_ a: PermissionAnswer) -> InputOutcome {
        guard a.details?["protocol"]?.stringValue == "app-server", let rid = a.details?["request_id"],
              rid.stringValue != nil || rid.intValue != nil else {
            return .refused("the permission request has no app-server request id")
        }
        return locked { s -> InputOutcome in
            guard !s.closed, input.isOpen else { return .refused("the agent's input is closed (its last turn has ended)") }
            write(&s, ["id": rid, "result": ["decision": a.allow ? "accept" : "decline"]])
            return s.closed ? .refused("the agent's input is closed") : .delivered
        }
    }

    /// From `feed` (the transcript saved a new request): an approval rule may answer it at once.
    private func approvalRequested(_ call: ToolCall) {
        guard let store, let rule = PermissionRules.decide(call, agent: agent, store: store) else { return }
        let details = try? store.toolCalls.requestDetails(call.id)
        let allow = rule.decision == .allow
        if case .refused(let why) = answer(PermissionAnswer(toolCall: call, details: details, allow: allow,
                                                             reason: allow ? nil : "denied by \(rule.decider)")) {
            report("execution \(execution.id): \(rule.decider) decided tool call \(call.id) but the answer was not sent: \(why)")
        }
    }

    // MARK: Output from the agent

    /// Output as it arrives, in any chunking: complete lines are handled at once; a line over
    /// `maxLineBytes` is dropped unread.
    func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 { lines.feed(bytes, handleLine) }

    /// Output was lost before reaching here: the line it cut is dropped.
    func gap() { lines.gap() }

    /// The program ended: a last unterminated line is handled.
    func flushPartial() { lines.flush(handleLine) }

    /// The run is over: the write end of stdin is closed (it is the worker's descriptor, whatever the agent did).
    func closeInput() { locked { s in if !s.closed { close(&s) } } }

    private func handleLine(_ v: JSONValue) {
        do { try handle(v) } catch {
            lines.countBad()
            lastError = "\(error)"
        }
    }

    /// One message from the server.
    func handle(_ v: JSONValue) throws {
        if let method = v["method"]?.stringValue {
            if let id = v["id"], id != .null { try serverRequest(method, id: id, params: v["params"] ?? .object([:])) }
            else { try notification(method, v["params"] ?? .object([:])) }
        } else if let id = v["id"]?.intValue, v["result"] != nil || v["error"] != nil {
            try response(id: Int(clamping: id), result: v["result"], error: v["error"])
        }
    }

    private func serverRequest(_ method: String, id: JSONValue, params: JSONValue) throws {
        guard id.stringValue != nil || id.intValue != nil else { return }  // not a JSON-RPC id: nothing to answer
        switch method {
        case "item/commandExecution/requestApproval", "item/fileChange/requestApproval":
            // Nowhere to show it (no transcript, or it cannot be saved): the agent must not wait for an
            // answer nobody can give.
            let decline = { self.locked { s in self.write(&s, ["id": id, "result": ["decision": "decline"]]) } }
            guard let transcript, transcript.session != nil else { return decline() }
            do { try transcript.approvalRequest(method: method, requestId: id, params: params) } catch {
                decline()
                throw error
            }
        default:
            // As a JSON-RPC peer must: a method we do not serve gets "method not found", so the agent goes on.
            locked { s in write(&s, ["id": id, "error": ["code": -32601, "message": .string("agentmon does not handle \(method)")]]) }
        }
    }

    private func notification(_ method: String, _ p: JSONValue) throws {
        switch method {
        case "turn/started":
            guard let turn = p["turn"]?["id"]?.stringValue else { return }
            locked { s in
                if s.activeTurn == nil, s.turnsOwed > 0, !s.endedTurns.contains(turn) { s.activeTurn = turn; flush(&s) }
            }
        case "turn/completed":
            let turn = p["turn"]
            try turnEnded(status: turn?["status"]?.stringValue ?? "completed", error: turn?["error"], turnId: turn?["id"]?.stringValue)
        case "turn/failed":
            let error = p["error"] ?? p["turn"]?["error"]
            try turnEnded(status: "failed", error: error, turnId: p["turn"]?["id"]?.stringValue ?? p["turnId"]?.stringValue)
        case "item/started":
            if let item = p["item"] { try transcript?.itemStarted(item) }
        case "item/completed":
            if let item = p["item"] { try transcript?.itemCompleted(item) }
        case "serverRequest/resolved":
            if let id = p["requestId"] { try transcript?.requestResolved(id) }
        case "thread/tokenUsage/updated":
            transcript?.tokenUsage(p)
        case "error":
            try transcript?.error(p)
        default:
            return  // deltas, plans, diffs, status changes…: item/completed carries what the transcript keeps
        }
    }

    private func turnEnded(status: String, error: JSONValue?, turnId: String?) throws {
        let known = locked { s -> Bool in
            // A turn we did not start (or already counted) changes nothing.
            guard s.turnsOwed > 0, turnId == nil || s.activeTurn == nil || s.activeTurn == turnId else { return false }
            s.turnsOwed -= 1
            s.activeTurn = nil
            if let turnId, s.endedTurns.count < 10_000 { s.endedTurns.insert(turnId) }
            if status == "interrupted" || s.interrupted { s.heldForMessage = true }
            s.interrupted = false
            s.verdict = status == "failed"
                ? ConversationVerdict(status: .failed, reason: "the agent's turn failed" + (error?["message"]?.stringValue.map { ": \($0)" } ?? ""))
                : nil
            flush(&s)
            closeIfDone(&s)
            return true
        }
        if known { try transcript?.turnEnded(status: status, error: error, turnId: turnId) }
    }

    private func response(id: Int, result: JSONValue?, error: JSONValue?) throws {
        let refused = error.map { $0["message"]?.stringValue ?? $0.jsonString }
        var open: (thread: String, model: String?)?
        locked { s in
            guard let what = s.pending.removeValue(forKey: id) else { return }
            switch what {
            case .initialize:
                if let refused { return fail(&s, "the app-server refused initialize: \(refused)") }
                write(&s, ["method": "initialized"])
                if resumes, let ref = execution.sessionRef {
                    request(&s, "thread/resume", ["threadId": .string(ref)], .openThread(resume: true))
                } else {
                    request(&s, "thread/start", .object([:]), .openThread(resume: false))
                }
            case .openThread(let resume):
                guard refused == nil, let thread = result?["thread"]?["id"]?.stringValue, !thread.isEmpty else {
                    return fail(&s, "the app-server refused \(resume ? "thread/resume" : "thread/start"): \(refused ?? "no thread id")")
                }
                s.threadId = thread
                open = (thread, result?["model"]?.stringValue)
                startTurn(&s, execution.prompt ?? "", nil)
            case .turnStart(let i):
                if let refused {
                    s.turnsOwed = max(0, s.turnsOwed - 1)
                    if i == nil { s.verdict = ConversationVerdict(status: .failed, reason: "the app-server refused turn/start: \(refused)") }
                    report("execution \(execution.id): turn/start refused: \(refused)")
                    closeIfDone(&s)
                } else if let turn = result?["turn"]?["id"]?.stringValue, s.activeTurn == nil, s.turnsOwed > 0,
                          !s.endedTurns.contains(turn) {
                    s.activeTurn = turn
                    flush(&s)
                }
            case .steer(let i):
                s.steersInFlight -= 1
                // The turn ended before the steer reached it: the message starts the next turn instead.
                if refused != nil {
                    if s.steerAttempts[i.id, default: 0] < 3 { s.queued.insert(i, at: 0); flush(&s) }
                    else { report("execution \(execution.id): message \(i.id) was refused by the agent three times; dropped") }
                }
                closeIfDone(&s)
            case .interrupt:
                if refused != nil { s.interrupted = false }
            }
        }
        // The session is written outside the lock (database work), before anything of the turn is read.
        if let open { try transcript?.open(threadId: open.thread, model: open.model) }
    }
}
