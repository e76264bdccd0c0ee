import Foundation
import Testing
import Core
import Storage
import Render
import Terminal
@testable import Dashboard

@Suite("Dashboard executions") struct ExecutionsUpdateTests {
    var u = Updater()

    static func summary(_ id: ID, _ status: ExecutionStatus, approval: Bool = false) -> ExecutionSummary {
        ExecutionSummary(execution: Execution(id: id, taskId: 1, agentId: 1, capabilityId: 1, status: status, requiresApproval: approval,
                                              startedAt: status == .queued ? nil : Fixture.now.addingTimeInterval(-65),
                                              createdAt: Fixture.now.addingTimeInterval(-70)),
                         taskTitle: "Task \(id)", agentSlug: "git", capabilityKey: "push", dangerLevel: 2)
    }

    @Test mutating func cancelRetryApproveAndFilter() {
        var s = Fixture.state()
        #expect(u.keys(&s, "3") == [.loadExecutions(status: nil)])
        _ = u.update(&s, .executionsLoaded([Self.summary(3, .running), Self.summary(2, .failed), Self.summary(1, .queued, approval: true)], filter: nil))
        #expect(s.tickIntervalMs == 1000, "a running execution ticks every second")
        _ = u.keys(&s, "x")
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("cancel must ask"); return }
        #expect(c.onYes == [.cancelExecution(3)])
        #expect(u.keys(&s, "y") == [.cancelExecution(3)])
        #expect(u.keys(&s, "r").isEmpty, "a running execution is not retried")
        _ = u.keys(&s, "j")
        #expect(u.keys(&s, "r") == [.retryExecution(2)])
        _ = u.keys(&s, "j", "a")
        #expect(u.keys(&s, "y") == [.approveExecution(1)])
        #expect(u.keys(&s, "f") == [.loadExecutions(status: .queued)])
        _ = u.update(&s, .executionsLoaded([Self.summary(9, .running)], filter: nil))
        #expect(s.executions.rows.isEmpty, "an answer for another filter is ignored")
    }

    @Test mutating func queueARunFromACard() {
        var s = Fixture.state()
        let effects = u.keys(&s, "r")
        #expect(effects == [.loadRunChoices(taskId: 1)])
        let push = Capability(id: 7, agentId: 1, key: "push", label: "Push", mode: .template, commandTokens: ["push", "origin", "{{branch}}"],
                              argsSchema: ["type": "object", "properties": ["branch": ["type": "string"], "force": ["type": "boolean", "default": false]]])
        let status = Capability(id: 8, agentId: 1, key: "status", label: "Status", mode: .template, commandTokens: ["status"])
        _ = u.update(&s, .runChoicesLoaded(taskId: 1, [.init(agentSlug: "git", capability: status), .init(agentSlug: "git", capability: push)]))
        _ = u.keys(&s, "j", "enter")
        guard case .runPicker(let p)? = s.topOverlay, let args = p.arguments else { Issue.record("no arguments form"); return }
        #expect(args.map(\.name) == ["branch", "force"])
        #expect(args[0].required && !args[1].required && args[1].editor.string == "false")
        #expect(u.keys(&s, "enter").isEmpty)
        guard case .runPicker(let p2)? = s.topOverlay else { return }
        #expect(p2.error == "required: branch")
        for c in "main" { _ = u.update(&s, .key(.char(c))) }
        #expect(u.keys(&s, "enter") == [.queueRun(taskId: 1, capabilityId: 7, args: ["branch": "main", "force": "false"])])
        #expect(s.overlays.isEmpty)
        // A capability without arguments queues at once.
        _ = u.keys(&s, "r")
        _ = u.update(&s, .runChoicesLoaded(taskId: 1, [.init(agentSlug: "git", capability: status)]))
        #expect(u.keys(&s, "enter") == [.queueRun(taskId: 1, capabilityId: 8, args: [:])])
    }

    /// `T` on a run opens its agent session's transcript (found on the data thread); Esc comes back to where
    /// it was asked, the runs list or the run's log (followed again). A plain program's run says it has none.
    @Test mutating func runTranscriptFromTheListAndTheLog() {
        var s = Fixture.state()
        _ = u.keys(&s, "3")
        _ = u.update(&s, .executionsLoaded([Self.summary(3, .running), Self.summary(2, .succeeded)], filter: nil))
        #expect(u.keys(&s, "T") == [.findRunTranscript(3)])
        #expect(u.update(&s, .runTranscriptFound(3, sessionId: 8)) == [.loadTranscript(8, anchor: .start)])
        #expect(s.screen == .transcript && s.transcript.sessionId == 8 && s.transcript.returnTo == .executions)
        #expect(u.keys(&s, "escape") == [.loadExecutions(status: nil)])
        #expect(s.screen == .executions && s.executions.selectedRow?.execution.id == 3)

        // From the log: the follower is let go while the transcript is open, and taken up again after it.
        _ = u.keys(&s, "enter")
        #expect(s.screen == .logs && s.log.executionId == 3)
        #expect(u.keys(&s, "T") == [.findRunTranscript(3)])
        #expect(u.update(&s, .runTranscriptFound(3, sessionId: 8)) == [.closeLog, .loadTranscript(8, anchor: .start)])
        let back = u.keys(&s, "escape")
        #expect(s.screen == .logs && s.log.executionId == 3)
        #expect(back.contains { if case .loadLog(3, _, _, _) = $0 { return true }; return false }, "\(back)")

        // No session: said why, nothing opened. An answer for a run no longer selected is dropped.
        _ = u.keys(&s, "3")
        _ = u.keys(&s, "j")
        #expect(u.update(&s, .runTranscriptFound(2, sessionId: nil)).isEmpty)
        #expect(s.screen == .executions && s.status?.kind == .refused && s.status?.text.contains("run #2 has no agent transcript") == true)
        #expect(u.update(&s, .runTranscriptFound(3, sessionId: 8)).isEmpty && s.screen == .executions)
    }

    @Test func elapsedTimes() {
        let e = Self.summary(1, .running).execution
        #expect(ExecutionsView.elapsed(e, now: Fixture.now) == "1m 05s")
        #expect(ExecutionsView.elapsed(Self.summary(2, .queued).execution, now: Fixture.now) == "wait 1m 10s")
    }
}

@Suite("Dashboard sessions") struct SessionsUpdateTests {
    @Test func screenFiveListsSessions() {
        var u = Updater()
        var s = Fixture.state(width: 120, height: 20)
        #expect(u.keys(&s, "5") == [.loadSessions(filter: ""), .loadUsage])
        let session = Session(id: 3, title: "Refresh endpoint", agentId: 1, status: .running, inputTokens: 9300, outputTokens: 410,
                              costUsd: 0.034, createdAt: Fixture.now.addingTimeInterval(-600))
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [SessionRow(session: session, agentSlug: "claude", taskTitle: "Replace cookies", messageCount: 2)],
                                                     total: 1, filter: "")))
        let text = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
        for expected in ["Refresh endpoint", "claude", "$0.0340", "10m ago"] {
            #expect(text.contains(expected), "shows \(expected)")
        }
        #expect(u.update(&s, .dataChanged).contains(.loadSessions(filter: "")), "live while on screen 5")
    }

    @Test func aLongSessionsCountsFitTheirColumns() {
        var u = Updater()
        var s = Fixture.state(width: 160, height: 20)
        _ = u.keys(&s, "5")
        var session = Session(id: 6, title: "Fix the retry schedule", agentId: 1, status: .completed, createdAt: Fixture.now)
        session.inputTokens = 222_000_000
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [SessionRow(session: session, agentSlug: "claude", taskTitle: nil, messageCount: 104_761)],
                                                     total: 1, filter: "")))
        let screen = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
        #expect(screen.contains("104k") && screen.contains("222M") && !screen.contains("1047…"))
        #expect(SessionsView.count(9_999) == "9999" && SessionsView.count(10_000) == "10k" && SessionsView.count(9_999_999) == "9999k")
    }

    @Test func deletingASessionAsksWithWhatGoes() {
        var u = Updater()
        var s = Fixture.state(width: 120, height: 20)
        _ = u.keys(&s, "5")
        let session = Session(id: 3, title: "Refresh endpoint", agentId: 1, status: .running, createdAt: Fixture.now)
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [SessionRow(session: session, agentSlug: "claude", taskTitle: nil, messageCount: 2)],
                                                     total: 1, filter: "")))
        #expect(u.keys(&s, "d").isEmpty)
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no question"); return }
        #expect(c.title == "Delete session #3?")
        #expect(c.message == "\"Refresh endpoint\" (claude) will be deleted with its 2 messages, its tool calls and its sub-agent sessions.")
        #expect(u.keys(&s, "y") == [.deleteSession(3)])
    }
}
