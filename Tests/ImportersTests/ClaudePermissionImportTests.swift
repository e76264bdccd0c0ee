import Foundation
import Testing
import Core
import Storage
@testable import Importers

/// `control_request` / `can_use_tool` and its `control_response` in Claude stream-json.
@Suite struct ClaudePermissionImportTests {
    @Test func requestsBecomeConfirmationsAndAnswersDecisions() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.claude, paths: [fixture("claude/stream-permissions.jsonl")])
        #expect(summary.skippedLines == 0 && summary.toolCalls == 4)
        let s = try session(store, "sess-stream-perm")
        #expect(s.status == .running)  // no result event, and a request still open: it is waiting for a person

        let perm = { (req: String) in try #require(try store.toolCalls.find(sessionId: s.id, externalId: "perm:" + req)) }
        let allowed = try perm("req_1")
        #expect(allowed.decidedBy == "agent" && !allowed.requiresConfirmation && allowed.decidedAt != nil)
        #expect(allowed.status == .success && allowed.output == "removed")  // its tool call's result ended it
        let denied = try perm("req_2")
        #expect(denied.status == .denied && denied.decisionReason == "not outside the project" && denied.decidedBy == "agent")
        let superseded = try perm("req_3")
        #expect(!superseded.requiresConfirmation && superseded.decisionReason?.contains("superseded") == true)

        let open = try #require(try store.toolCalls.pendingConfirmation(sessionId: s.id))
        #expect(open.externalId == "perm:req_4" && open.toolName == "Bash" && open.requiresConfirmation)
        #expect(open.confirmationMessage == "Claude wants to use Bash")
        #expect(open.input.contains("\"command\" : \"git push --force\""))
        #expect(try store.toolCalls.pendingConfirmations().map(\.id) == [open.id])
    }

    @Test func reimportChangesNothing() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        _ = try Importer(store: store).run(.claude, paths: [fixture("claude/stream-permissions.jsonl")])
        let before = try Counts(store)
        let calls = try store.toolCalls.query(sessionId: try session(store, "sess-stream-perm").id)
        _ = try Importer(store: store).run(.claude, paths: [fixture("claude/stream-permissions.jsonl")])
        #expect(try Counts(store) == before)
        #expect(try store.toolCalls.query(sessionId: try session(store, "sess-stream-perm").id) == calls)
    }
}
