import Foundation
import Testing
import Core
import Storage
import Render
import Terminal
@testable import Dashboard

@Suite("Attention inbox") struct InboxTests {
    static let call = ToolCall(id: 11, sessionId: 2, toolName: "Bash", input: #"{"command":"./manage.py migrate"}"#,
                               requiresConfirmation: true, createdAt: Fixture.now.addingTimeInterval(-300))
    static let run = ExecutionsUpdateTests.summary(12, .queued, approval: true)

    @Test func countAlwaysShowsAndApproveDenyRecordDecisions() {
        var u = Updater()
        var s = Fixture.state()
        #expect(u.update(&s, .dataChanged).contains(.loadInbox), "the count stays current")
        _ = u.update(&s, .inboxLoaded([.toolCall(Self.call, agentSlug: "claude", sessionTitle: "Refresh"), .execution(Self.run)]))
        let bar = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.last ?? ""
        #expect(bar.contains("! 1 needs input · 1 waiting approval"), "even at 80 columns: \(bar)")
        #expect(u.keys(&s, "!") == [.loadInbox])
        #expect(u.keys(&s, "a") == [.decideToolCall(11, approve: true, reason: nil)])
        #expect(s.inbox.count == 1, "it leaves the inbox at once")
        _ = u.keys(&s, "D")
        #expect(u.keys(&s, "enter").isEmpty, "a denial needs a reason")
        for c in "too risky" { _ = u.update(&s, .key(.char(c))) }
        #expect(u.keys(&s, "enter") == [.denyExecution(12, reason: "too risky")])
        #expect(s.inbox.isEmpty)
        _ = u.update(&s, .inboxLoaded([]))
        let empty = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.last ?? ""
        #expect(!empty.contains("waiting") && !empty.contains("input"))
    }

    /// Seen in tmux on the demo: `a` on a request whose run had ended put it back in the list with no word;
    /// the reason was kept for the status line, which the inbox's hints covered until the inbox closed.
    @Test func aRefusedAnswerSaysWhyWhileTheInboxIsOpen() {
        var u = Updater()
        var s = Fixture.state()
        _ = u.update(&s, .inboxLoaded([.toolCall(Self.call, agentSlug: "claude", sessionTitle: "Refresh")]))
        _ = u.keys(&s, "!")
        #expect(u.keys(&s, "a") == [.decideToolCall(11, approve: true, reason: nil)])
        let why = "inbox item c11 cannot be answered: its run #10 has ended (succeeded)"
        _ = u.update(&s, .writeFailed(why))
        _ = u.update(&s, .inboxLoaded([.toolCall(Self.call, agentSlug: "claude", sessionTitle: "Refresh")]))
        func bar() -> String { DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.last ?? "" }
        #expect(bar().contains("cannot be answered: its run #10 has ended"), "over the inbox's hints: \(bar())")
        _ = u.keys(&s, "j")
        #expect(s.status == nil && bar().contains("approve"), "the hints are back at the next key: \(bar())")
        // On a screen, an error stays until the next key, as before.
        _ = u.keys(&s, "esc")
        _ = u.update(&s, .writeFailed(why))
        #expect(bar().contains("cannot be answered"))
    }

    /// A running agent that waits for a person's answer says so on its card and on screen 3, instead of
    /// "running" (seen in tmux on the demo: the Claude run waiting for its migration looked busy).
    @Test func aRunWaitingForAnAnswerSaysNeedsInput() {
        func text(_ line: StyledLine) -> String { line.map(\.text).joined() }
        let task = Fixture.task(1, "Signed tokens", .inProgress)
        var card = CardInfo(task: task, latestExecution: .running)
        #expect(text(BoardView.card(card, theme: Fixture.theme, now: Fixture.now, width: 40).lines.last!) == "▶ running")
        card.awaitsDecision = true
        #expect(text(BoardView.card(card, theme: Fixture.theme, now: Fixture.now, width: 40).lines.last!) == "? needs input")
        card.latestExecution = .succeeded  // an ended run waits for nobody, whatever the flag
        #expect(text(BoardView.card(card, theme: Fixture.theme, now: Fixture.now, width: 40).lines.last!) == "✓ succeeded")

        // The board's layout cache lays the card out again when only that changes (seen in tmux: it did not).
        let cache = CardLayoutCache()
        var running = card
        running.latestExecution = .running; running.awaitsDecision = false
        _ = cache.card(running, width: 40, now: Fixture.now) { BoardView.card($0, theme: Fixture.theme, now: Fixture.now, width: 40) }
        running.awaitsDecision = true
        let again = cache.card(running, width: 40, now: Fixture.now) { BoardView.card($0, theme: Fixture.theme, now: Fixture.now, width: 40) }
        #expect(text(again.lines.last!) == "? needs input")

        var s = Fixture.state(width: 120, height: 12)
        s.screen = .executions
        var asking = ExecutionsUpdateTests.summary(10, .running)
        asking.awaitsDecision = true
        s.executions.rows = [asking, ExecutionsUpdateTests.summary(9, .running)]
        s.executions.loaded = true
        let rows = TranscriptUpdateTests.screen(s).split(separator: "\n")
        #expect(rows.contains { $0.contains("#10") && $0.contains("? needs input") })
        #expect(rows.contains { $0.contains("#9") && $0.contains("▶ running") && !$0.contains("needs input") })
    }

    @Test func decisionsAreRecordedWithWhoAndWhen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-inbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(dir.appendingPathComponent("b.db").path)
        let agent = try store.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        let session = try store.sessions.create(Session(title: "s", agentId: agent.id))
        let pending = try store.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Bash", input: "{}", userMessage: "ok?")
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "push", label: "Push", mode: .template,
                                                            commandTokens: ["push"], requiresApproval: true, dangerLevel: 2))
        let e = try store.executions.queue(.init(taskId: try store.tasks.create(NewTask(title: "t")).id, capabilityId: cap.id))
        let items = try BoardLoader(store: store).inbox()
        #expect(items.count == 2)
        guard case .toolCall(let t, "claude", "s") = items[0], t.id == pending.id, case .execution(let x) = items[1], x.execution.id == e.id else {
            Issue.record("inbox order or content: \(items)"); return
        }
        #expect(x.dangerLevel == 2)
        try store.toolCalls.decide(pending.id, approve: false, by: "alice", reason: "not now")
        try store.executions.approve(e.id, by: "alice")
        #expect(try BoardLoader(store: store).inbox().isEmpty)
        let decided = try store.toolCalls.get(pending.id)
        #expect(decided.status == .denied && decided.decidedBy == "alice" && decided.decidedAt != nil && decided.decisionReason == "not now")
        #expect(try store.executions.get(e.id).approvedBy == "alice")
    }
}
