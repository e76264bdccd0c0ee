import Foundation
import Testing
import Core
import Storage
import DemoData
@testable import Worker

/// The demo's runs are real (issue 12): with the demo's own worker, what the fill queued really runs and
/// really ends, and the scripted cancel takes a running build through cancelling to cancelled. Nothing is
/// left running or cancelling, frozen, on screen 3, and the Claude run's permission request is answered for real.
@Suite("Demo: live runs really run and end") struct DemoLiveTests {
    @Test("the demo's queued runs run to their end and its cancel ends a running build", arguments: Backend.allCases)
    func demoRunsEnd(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            try DemoProject.fill(s, folder: tdb.dir.path)
            #expect(try s.executions.countsByStatus()[.running] == nil, "the fill claims nothing")
            let worker = try WorkerLoop(options: WorkerOptions(connection: tdb.url, workerId: "demo-test", concurrency: 3,
                                                               pollInterval: 0.05, logDirectory: tdb.dir.appendingPathComponent("logs").path,
                                                               statusCheckInterval: 0.05))
            let stopped = DispatchSemaphore(value: 0)
            Thread { _ = try? worker.run(); stopped.signal() }.start()
            defer { worker.requestStop(); stopped.wait() }

            let cancelled = try DemoProject.showCancel(s, after: 0.3, timeout: 30)
            #expect(cancelled != nil, "the demo's build never ran")
            // The Claude run asks permission for its migration and waits for a person; allowed from the inbox
            // (as the dashboard's `a` and `agentmon inbox approve` do), it goes on to its end.
            #expect(try waitUntil(60) { try s.toolCalls.pendingConfirmations().count == 1 }, "the demo's Claude run never asked")
            let ask = try #require(try s.toolCalls.pendingConfirmations().first)
            #expect(ask.toolName == "Bash" && ask.input.contains("migrate tokens 0004"))
            // A message sent while it waits is answered after the turn, and the run still ends (it waited for
            // that turn's result for ever when the demo's Claude dropped the message).
            let claudeRun = try #require(try s.sessions.get(ask.sessionId).executionId)
            try s.inputs.enqueue(executionId: claudeRun, kind: .message, body: "keep the old cookie path", sentBy: "tester")
            #expect(try waitUntil(10) { try s.inputs.list(executionId: claudeRun).first?.deliveredAt != nil })
            try s.inbox.approve(InboxRef(kind: .confirm, id: ask.id), by: "tester")
            // Every run ends except the one waiting for a person's approval.
            let ended = try waitUntil(60) {
                let counts = try s.executions.countsByStatus()
                return counts[.running] == nil && counts[.cancelling] == nil && (counts[.queued] ?? 0) == 1
            }
            #expect(ended, "\((try? s.executions.countsByStatus()) ?? [:])")
            if let id = cancelled { #expect(try s.executions.get(id).status == .cancelled) }
            // The demo's agents speak what their arguments say: none of the agent runs fails on its protocol.
            for failed in try s.executions.list(status: .failed, limit: 50) where failed.attempt == 1 && failed.error?.contains("app-server") == true {
                Issue.record("run #\(failed.id) failed on its protocol: \(failed.error ?? "")")
            }
            let answered = try s.toolCalls.get(ask.id)
            #expect(answered.status == .success && answered.output?.contains("Applying tokens.0004_revocation_list... OK") == true,
                    "the agent ran the command after the allow: \(answered)")
            #expect(try s.executions.get(claudeRun).status == .succeeded)
            #expect(try s.messages.all(sessionId: ask.sessionId).contains { $0.content == "Noted: I will keep that in mind." })
            let waiting = try s.executions.list(status: .queued, limit: 5)
            #expect(waiting.count == 1 && waiting.first?.requiresApproval == true)
        }
    }
}
