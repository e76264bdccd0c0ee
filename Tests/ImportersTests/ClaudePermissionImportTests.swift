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

    /// The CLI withdraws a request it no longer waits on (`control_cancel_request`, e.g. after an interrupt):
    /// the confirmation closes. A cancel of an answered request, or of an id never asked, changes nothing.
    @Test func aWithdrawnRequestIsNoLongerWaiting() throws {
        let (store, dir) = try tempStore()
        defer { store.close() }
        let lines = [
            #"{"type":"system","subtype":"init","session_id":"sess-withdrawn","model":"claude-sonnet-4-5"}"#,
            #"{"type":"control_request","request_id":"req_a","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"make"},"tool_use_id":"toolu_a"}}"#,
            #"{"type":"control_response","response":{"subtype":"success","request_id":"req_a","response":{"behavior":"allow","updatedInput":{"command":"make"}}}}"#,
            #"{"type":"control_cancel_request","request_id":"req_a"}"#,
            #"{"type":"control_request","request_id":"req_b","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"rm -rf build"},"tool_use_id":"toolu_b"}}"#,
            #"{"type":"control_cancel_request","request_id":"req_never_asked"}"#,
        ]
        let file = dir.appendingPathComponent("withdrawn.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        _ = try Importer(store: store).run(.claude, paths: [file.path])
        let s = try session(store, "sess-withdrawn")
        #expect(try store.toolCalls.pendingConfirmation(sessionId: s.id)?.externalId == "perm:req_b", "an unknown id closes nothing")

        try (lines.joined(separator: "\n") + "\n" + #"{"type":"control_cancel_request","request_id":"req_b"}"# + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        _ = try Importer(store: store).run(.claude, paths: [file.path])
        #expect(try store.toolCalls.pendingConfirmation(sessionId: s.id) == nil)
        #expect(try store.toolCalls.pendingConfirmations().isEmpty, "nothing left in the inbox")
        let withdrawn = try #require(try store.toolCalls.find(sessionId: s.id, externalId: "perm:req_b"))
        #expect(withdrawn.decidedBy == "agentmon" && withdrawn.decisionReason == "the agent withdrew the request" && withdrawn.status == .pending)
        let answered = try #require(try store.toolCalls.find(sessionId: s.id, externalId: "perm:req_a"))
        #expect(answered.decidedBy == "agent" && answered.decisionReason == nil, "a cancel after the answer leaves the answer")
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
