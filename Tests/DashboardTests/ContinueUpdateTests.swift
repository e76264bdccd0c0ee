import Foundation
import Testing
import Core
import Storage
import Render
import Terminal
@testable import Dashboard

/// `c` on an ended run: a one-line prompt popup, Enter queues a continuation, Esc cancels.
@Suite("Dashboard continue") struct ContinueUpdateTests {
    var u = Updater()

    @Test mutating func executionsScreen() {
        var s = Fixture.state()
        _ = u.keys(&s, "3")
        _ = u.update(&s, .executionsLoaded([ExecutionsUpdateTests.summary(3, .running), ExecutionsUpdateTests.summary(2, .succeeded)], filter: nil))
        #expect(u.keys(&s, "c").isEmpty && s.topOverlay == nil, "a running execution cannot be continued")
        #expect(s.status?.kind == .error)

        _ = u.keys(&s, "j", "c")
        guard case .continuePrompt(let id, _)? = s.topOverlay else { Issue.record("c must open the prompt"); return }
        #expect(id == 2)
        // Keys type into the prompt (j, q and c are text here, not commands).
        #expect(u.keys(&s, "a", "d", "d", "space", "q", "c").isEmpty)
        let pending = s.pendingWrites
        #expect(u.keys(&s, "enter") == [.continueExecution(2, prompt: "add qc")])
        #expect(s.topOverlay == nil && s.pendingWrites == pending + 1)

        _ = u.keys(&s, "c")
        #expect(u.keys(&s, "escape").isEmpty && s.topOverlay == nil, "Esc cancels")
        _ = u.keys(&s, "c")
        #expect(u.keys(&s, "enter") == [.continueExecution(2, prompt: "")], "an empty prompt is allowed")
    }

    @Test mutating func logScreen() {
        var s = Fixture.state()
        s.screen = .logs
        s.log.executionId = 5
        s.log.status = .failed
        _ = u.keys(&s, "c")
        guard case .continuePrompt(5, _)? = s.topOverlay else { Issue.record("c on the log of an ended run must open the prompt"); return }
        _ = u.keys(&s, "o", "k")
        #expect(u.keys(&s, "enter") == [.continueExecution(5, prompt: "ok")])
        s.log.status = .running
        #expect(u.keys(&s, "c").isEmpty && s.topOverlay == nil)
    }

    @Test func bindingIsData() {
        let b = KeyMap().bindings.first { $0.action == .continueRun }
        #expect(b?.keys == [.char("c")] && b?.hint == "continue" && b?.screens == [.executions, .logs])
        #expect(Action(rawValue: "continue_run") == .continueRun)
    }
}
