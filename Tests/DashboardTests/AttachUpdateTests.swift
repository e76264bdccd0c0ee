import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// `A`: attach to a tmux-hosted run, only when it is running on this machine; back on the same screen.
@Suite("Dashboard attach") struct AttachUpdateTests {
    var u = Updater()

    static func summary(_ id: ID, _ status: ExecutionStatus, session: String?, host: String? = "here") -> ExecutionSummary {
        ExecutionSummary(execution: Execution(id: id, taskId: 1, agentId: 1, capabilityId: 1, status: status, workerId: "w-\(host ?? "?")",
                                              startedAt: Fixture.now, createdAt: Fixture.now, tmuxSessionName: session),
                         taskTitle: "Task \(id)", agentSlug: "gemini", capabilityKey: "chat", dangerLevel: 0, workerHost: host)
    }

    mutating func loaded(_ rows: [ExecutionSummary]) -> AppState {
        var s = Fixture.state()
        s.hostName = "here"
        _ = u.keys(&s, "3")
        _ = u.update(&s, .executionsLoaded(rows, filter: nil))
        return s
    }

    @Test mutating func attachesToARunningTmuxRunOnThisHost() {
        var s = loaded([Self.summary(4, .running, session: "agentmon-e4-a1")])
        #expect(u.keys(&s, "A") == [.attach(4, session: "agentmon-e4-a1")])
        #expect(s.screen == .executions && s.status == nil)
        #expect(u.update(&s, .attachEnded(4, error: nil)) == [.loadExecutions(status: nil)])
        #expect(s.screen == .executions && s.status?.text.contains("detached from run #4") == true)
        _ = u.update(&s, .attachEnded(4, error: "session agentmon-e4-a1 is not on this machine's agentmon tmux server"))
        #expect(s.status?.kind == .error && s.status?.text.contains("cannot attach to run #4") == true)
    }

    @Test mutating func refusedWithTheReason() {
        var s = loaded([Self.summary(5, .running, session: nil), Self.summary(4, .succeeded, session: "agentmon-e4-a1"),
                        Self.summary(3, .running, session: "agentmon-e3-a1", host: "build-2")])
        #expect(u.keys(&s, "A").isEmpty)
        #expect(s.status?.kind == .refused && s.status?.text == "run #5 is not hosted in tmux (only runs of agents whose protocol is tmux can be attached to)")
        _ = u.keys(&s, "j")
        #expect(u.keys(&s, "A").isEmpty && s.status?.text == "run #4 has ended (succeeded); its tmux session is gone")
        _ = u.keys(&s, "j")
        #expect(u.keys(&s, "A").isEmpty && s.status?.text == "run #3 runs on host build-2 (worker w-build-2); attach there")
    }

    @Test mutating func fromTheRunsLog() {
        var s = loaded([Self.summary(4, .running, session: "agentmon-e4-a1")])
        _ = u.keys(&s, "enter")
        #expect(s.screen == .logs)
        #expect(u.keys(&s, "A") == [.attach(4, session: "agentmon-e4-a1")])
    }
}
