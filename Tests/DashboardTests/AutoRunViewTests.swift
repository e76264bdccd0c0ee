import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// Issue 14 on screen: a card waiting on its dependencies says what runs by itself, a run requeued after a
/// rate limit says "waits for limit reset HH:MM" on its card and on screen 3, and the edit form's auto-run
/// field is sent only when changed.
@Suite("Auto-run and rate-limit waits on screen") struct AutoRunViewTests {
    let theme = Fixture.theme
    let reset = Fixture.now.addingTimeInterval(3600)

    func text(_ line: StyledLine) -> String { line.map(\.text).joined() }

    @Test func cardsSayWhatRunsAndWhatWaits() {
        setenv("TZ", "UTC", 1); tzset()
        var task = Fixture.task(8, "Deploy", .todo)
        task.autoRunCapabilityId = 3
        let waiting = BoardView.card(CardInfo(task: task, unmetDependencies: 2, autoRun: "claude:deploy"), theme: theme, now: Fixture.now, width: 40)
        #expect(text(waiting.lines.last!) == "⛓ 2  ⏵ claude:deploy")
        task.autoRunExecutionId = 12
        let queued = BoardView.card(CardInfo(task: task, latestExecution: .queued, waitsUntil: reset, autoRun: "claude:deploy"),
                                    theme: theme, now: Fixture.now, width: 40)
        #expect(text(queued.lines.last!) == "◷ waits for limit reset 12:06", "queued: the marker goes, the wait shows")
        let hostile = BoardView.card(CardInfo(task: Fixture.task(9, "x", .todo), unmetDependencies: 1, autoRun: "a:\u{1B}[2Jk"),
                                     theme: theme, now: Fixture.now, width: 40)
        #expect(!text(hostile.lines.last!).contains("\u{1B}"))
    }

    @Test func screenThreeShowsTheWait() {
        setenv("TZ", "UTC", 1); tzset()
        var s = Fixture.state(width: 120, height: 12)
        s.screen = .executions
        let e = Execution(id: 41, taskId: 1, agentId: 1, capabilityId: 1, status: .queued, createdAt: Fixture.now, notBefore: reset)
        s.executions.rows = [ExecutionSummary(execution: e, taskTitle: "Deploy", agentSlug: "claude", capabilityKey: "deploy", dangerLevel: 0)]
        s.executions.loaded = true
        let screen = TranscriptUpdateTests.screen(s)
        #expect(screen.contains("◷ rate limited") && screen.contains("waits for limit reset 12:06"), "\(screen)")
        s.now = reset.addingTimeInterval(1)
        #expect(!TranscriptUpdateTests.screen(s).contains("waits for limit reset"), "past the reset it is an ordinary queued run")
    }

    @Test mutating func theFormSendsAutoRunOnlyWhenChanged() {
        var u = Updater()
        var s = Fixture.state()
        var task = Fixture.task(8, "Deploy", .todo)
        task.autoRunCapabilityId = 3
        var form = Updater.editForm(task, autoRun: "claude:deploy")
        #expect(form.value(.autoRun) == "claude:deploy")
        guard case .success(let same) = u.validate(form) else { Issue.record("refused"); return }
        #expect(same.autoRun == nil, "unchanged: left as it is")
        form.fields[TaskForm.Field.autoRun.rawValue] = LineEditor("")
        guard case .success(let cleared) = u.validate(form) else { Issue.record("refused"); return }
        #expect(cleared.autoRun == "")
        form.fields[TaskForm.Field.autoRun.rawValue] = LineEditor("nocolon")
        guard case .failure(let why) = u.validate(form) else { Issue.record("accepted"); return }
        #expect(why.message == "auto-run must look like agent:key")
        _ = s
    }
}
