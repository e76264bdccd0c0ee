import Foundation
import Testing
import Core
import Storage
import Render
import Terminal
@testable import Dashboard

/// `s` and `i` on a running run: a one-line message popup (Enter sends, Esc cancels, an empty message is
/// refused with its reason) and an interrupt; an ended run refuses both in the status line.
@Suite("Dashboard steer") struct SteerUpdateTests {
    var u = Updater()

    @Test mutating func executionsScreen() {
        var s = Fixture.state()
        _ = u.keys(&s, "3")
        _ = u.update(&s, .executionsLoaded([ExecutionsUpdateTests.summary(3, .running), ExecutionsUpdateTests.summary(2, .succeeded)], filter: nil))
        _ = u.keys(&s, "s")
        guard case .messagePrompt(let id, _)? = s.topOverlay else { Issue.record("s must open the message prompt"); return }
        #expect(id == 3)
        #expect(u.keys(&s, "enter").isEmpty, "an empty message is not sent")
        #expect(s.status?.text.contains("type the message first") == true)
        // Keys type into the prompt (i, s and q are text here, not commands).
        #expect(u.keys(&s, "i", "space", "s", "e", "e", "space", "q").isEmpty)
        let pending = s.pendingWrites
        #expect(u.keys(&s, "enter") == [.sendInput(3, .message, body: "i see q")])
        #expect(s.topOverlay == nil && s.pendingWrites == pending + 1)
        _ = u.keys(&s, "s")
        #expect(u.keys(&s, "escape").isEmpty && s.topOverlay == nil, "Esc cancels")

        #expect(u.keys(&s, "i") == [.sendInput(3, .interrupt, body: "")])

        _ = u.keys(&s, "j")
        #expect(u.keys(&s, "s").isEmpty && s.topOverlay == nil, "an ended run takes no message")
        #expect(s.status?.kind == .error && s.status?.text.contains("it is succeeded") == true)
        #expect(u.keys(&s, "i").isEmpty)
    }

    @Test mutating func logScreen() {
        var s = Fixture.state()
        s.screen = .logs
        s.log.executionId = 5
        s.log.status = .running
        #expect(u.keys(&s, "i") == [.sendInput(5, .interrupt, body: "")])
        _ = u.keys(&s, "s", "o", "k")
        #expect(u.keys(&s, "enter") == [.sendInput(5, .message, body: "ok")])
        s.log.status = .failed
        #expect(u.keys(&s, "s").isEmpty && s.topOverlay == nil)
    }

    @Test func bindingsAreData() {
        let send = KeyMap().bindings.first { $0.action == .sendMessage }
        let interrupt = KeyMap().bindings.first { $0.action == .interruptRun }
        #expect(send?.keys == [.char("s")] && send?.screens == [.executions, .logs])
        #expect(interrupt?.keys == [.char("i")] && interrupt?.screens == [.executions, .logs])
        #expect(Action(rawValue: "send_message") == .sendMessage && KeyContext(rawValue: "message_prompt") == .messagePrompt)
    }

    @Test func popupRenders() throws {
        var s = Fixture.state()
        s.overlays.append(.messagePrompt(executionId: 9, LineEditor("rebase first")))
        let text = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
        #expect(text.contains("Message to run #9") && text.contains("rebase first") && text.contains("Enter send"))
    }
}

@Suite("Dashboard inbox history") struct InboxHistoryViewTests {
    @Test func answeredRequestsShowWhoDecided() {
        var s = Fixture.state(width: 120, height: 30)
        _ = Updater().update(&s, .inboxHistoryLoaded([
            InboxDecision(toolCallId: 4, executionId: 2, agent: "claude", toolName: "Bash", input: "{}", allowed: false,
                          decidedBy: "rule #3", reason: "denied by rule #3", decidedAt: s.now),
            InboxDecision(toolCallId: 3, executionId: 2, agent: "claude", toolName: "Read", input: "{}", allowed: true,
                          decidedBy: "alice", reason: nil, decidedAt: s.now)]))
        s.overlays.append(.inbox(selected: 0))
        let text = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
        #expect(text.contains("Answered lately"))
        #expect(text.contains("⊘ claude · Bash  denied by rule #3") && !text.contains("rule #3: denied"))
        #expect(text.contains("✓ claude · Read  allowed by alice"))
    }
}
