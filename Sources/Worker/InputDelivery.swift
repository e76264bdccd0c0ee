import Foundation
import Core
import Storage
import SystemSupport

/// Delivers what people send a run (`execution_inputs`): messages, interrupts and permission decisions,
/// each once and in id order, through the run's conversation, then stamps it delivered (or failed, with the
/// reason). It runs on the run's own thread and connection. A new input is noticed at once on PostgreSQL
/// (NOTIFY `agentmon_inputs` with the execution id, and the connection's socket in the run loop's poll),
/// and on SQLite by polling `PRAGMA data_version` every `sqlitePoll` (a few microseconds a look); a look at
/// the queue itself every `fallbackInterval` covers a notification lost to a reconnect.
final class InputDelivery {
    static let sqlitePoll = 0.02
    static let fallbackInterval = 1.0
    static let channel = "agentmon_inputs"

    private let store: Store
    private let executionId: ID
    private let conversation: () -> AgentConversation?
    private let report: (String) -> Void
    private var lastToken: Int64?
    private var nextLook = 0.0
    private var nextFallback = 0.0
    /// Inputs handed to the agent whose stamp did not reach the database yet: stamped later, never resent.
    private var unstamped: [ID: InputOutcome] = [:]

    init(store: Store, executionId: ID, conversation: @escaping () -> AgentConversation?, report: @escaping (String) -> Void) {
        self.store = store; self.executionId = executionId; self.conversation = conversation; self.report = report
        _ = try? store.db.notifications(on: Self.channel)  // LISTEN before the first look, so nothing falls between
    }

    /// A descriptor for the run loop's poll (PostgreSQL's socket), or -1.
    var wakeFD: Int32 { store.db.wakeSocket }

    /// The latest the run loop may sleep before the next look.
    var nextDeadline: Double { store.db.dialect == .sqlite ? nextLook : nextFallback }

    /// Called on every turn of the run loop; cheap when nothing changed.
    func poll(now: Double) {
        var due = now >= nextFallback
        if store.db.dialect == .sqlite {
            guard now >= nextLook || due else { return }
            nextLook = now + Self.sqlitePoll
            if let token = try? store.db.changeToken(), token != lastToken { lastToken = token; due = true }
        } else if let payloads = try? store.db.notifications(on: Self.channel) {
            if payloads.contains(String(executionId)) { due = true }
        }
        guard due else { return }
        nextFallback = now + Self.fallbackInterval
        deliverPending()
    }

    func deliverPending() {
        guard let pending = try? store.inputs.pending(executionId: executionId) else { return }
        for input in pending {
            let outcome = unstamped[input.id] ?? deliver(input)
            do {
                switch outcome {
                case .delivered: try store.inputs.markDelivered(input.id)
                case .refused(let why): try store.inputs.markFailed(input.id, error: why)
                }
                unstamped[input.id] = nil
            } catch {
                if unstamped[input.id] == nil { report("execution \(executionId): input \(input.id) was handled but not yet stamped: \(error)") }
                unstamped[input.id] = outcome  // stamped on a later look, never handed to the agent again
                nextFallback = 0
            }
        }
    }

    private func deliver(_ input: ExecutionInput) -> InputOutcome {
        guard let c = conversation() else { return .refused("run #\(executionId)'s agent takes no input (its protocol is none)") }
        switch input.kind {
        case .message, .interrupt:
            return c.deliver(input)
        case .decision:
            guard let id = input.toolCallId, let call = try? store.toolCalls.get(id) else {
                return .refused("the permission request is gone")
            }
            let details = try? store.toolCalls.requestDetails(id)
            return c.answer(PermissionAnswer(toolCall: call, details: details, allow: call.status != .denied,
                                             reason: call.decisionReason ?? (call.status == .denied ? "denied by \(call.decidedBy ?? "a person")" : nil)))
        }
    }

    /// The run has ended: inputs it never took are failed, so nobody waits on them.
    func close(reason: String) {
        _ = try? store.inputs.failPending(executionId: executionId, reason: reason)
    }
}
