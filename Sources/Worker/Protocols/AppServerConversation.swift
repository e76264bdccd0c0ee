import Foundation
import Core
import Storage
import Importers

/// An app-server conversation of a run: output parsed on a thread with its own connection (the shared
/// OutputPump, as StreamJSONConversation does), so the transcript's writes never hold up the log.
final class AppServerConversation: AgentConversation, @unchecked Sendable {
    private let client: AppServerClient
    private var pump: OutputPump!
    private let report: @Sendable (String) -> Void
    private let execution: Execution

    /// nil (reported) when the program has no stdin pipe.
    static func start(_ c: ConversationContext) -> AppServerConversation? {
        guard let input = c.input else {
            c.report("execution \(c.execution.id): app-server needs the program's stdin")
            return nil
        }
        var store: Store?, transcript: CodexAppServerTranscript?
        do {
            store = try Store.open(c.connection, migrate: false)
            transcript = try CodexAppServerTranscript(store: store!, execution: c.execution, agent: c.agent)
        } catch {
            c.report("execution \(c.execution.id): no live transcript: \(error)")
            store?.close(); store = nil; transcript = nil
        }
        let client = AppServerClient(execution: c.execution, agent: c.agent, input: input, transcript: transcript, store: store,
                                     report: c.report)
        let conversation = AppServerConversation(client: client, report: c.report, execution: c.execution)
        let box = UncheckedBox(value: store)
        var unrecorded: [ExecutionInput] = []
        conversation.pump = OutputPump(handle: { items in
            for item in items {
                switch item {
                case .bytes(let b): client.feed(b)
                case .gap: client.gap()
                case .input(let i): unrecorded.append(i)
                }
                // An input is written once the thread's session exists (one sent before it waits for it).
                if !unrecorded.isEmpty, client.transcript?.session != nil { conversation.record(&unrecorded) }
            }
        }, finish: { conversation.finished(store: box.value) })
        return conversation
    }

    private init(client: AppServerClient, report: @escaping @Sendable (String) -> Void, execution: Execution) {
        self.client = client; self.report = report; self.execution = execution
    }

    var verdict: ConversationVerdict? { client.verdict }

    func started() { client.start() }

    func deliver(_ i: ExecutionInput) -> InputOutcome {
        let outcome = client.deliver(i)
        if outcome == .delivered { pump.enqueue(i) }
        return outcome
    }

    func answer(_ a: PermissionAnswer) -> InputOutcome { client.answer(a) }

    func received(_ bytes: ArraySlice<UInt8>) { pump.received(bytes) }

    func ended() {
        client.closeInput()
        if !pump.close() {
            report("execution \(execution.id): the transcript was not finished within 60 s; its usage may be missing")
        }
    }

    private func record(_ inputs: inout [ExecutionInput]) {
        for i in inputs {
            do { try client.transcript?.record(i) } catch { report("execution \(execution.id): input \(i.id) is not in the transcript: \(error)") }
        }
        inputs.removeAll()
    }

    /// On the pump's thread, after the last output.
    private func finished(store: Store?) {
        defer { store?.close() }
        client.flushPartial()
        do { try client.transcript?.finish() } catch { report("execution \(execution.id): transcript not finished: \(error)") }
        if client.badLines + client.oversizedLines > 0 || client.lastError != nil {
            report("execution \(execution.id): app-server output had \(client.badLines) bad and \(client.oversizedLines) oversized lines"
                   + (client.lastError.map { "; last error: \($0)" } ?? ""))
        }
    }
}
