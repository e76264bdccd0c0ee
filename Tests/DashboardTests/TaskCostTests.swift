import Foundation
import Testing
import Core
import Render
import Storage
import DemoData
@testable import Dashboard

/// A task's cost is what its linked sessions cost: on its card (compact, dim) and in its detail.
@Suite("Dashboard: task cost") struct TaskCostTests {
    @Test func loaderPutsTheSessionsCostOnTheCardAndTheDetail() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-cost-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(dir.appendingPathComponent("demo.db").path)
        defer { store.close() }
        try DemoProject.fill(store, folder: dir.path)
        let loader = BoardLoader(store: store)
        let board = try loader.load(anchors: Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, WindowAnchor.top) }), filter: "")
        let cards = board.columns.flatMap(\.cards)
        let n1 = try #require(cards.first { $0.task.title == "Remove N+1 queries on the dashboard endpoint" })
        let sessions = try store.sessions.list().filter { $0.taskId == n1.task.id }
        #expect(sessions.count == 2, "the session and its sub-agent")
        #expect(n1.costUsd > 0 && abs(n1.costUsd - sessions.map(\.costUsd).reduce(0, +)) < 1e-9)
        #expect(cards.first { $0.task.title == "Dark mode for the settings page" }?.costUsd == 0)

        let detail = try loader.detail(n1.task.id)
        #expect(detail.cost.sessions == 2 && abs(detail.cost.costUsd - n1.costUsd) < 1e-9)
        #expect(detail.cost.tokens == sessions.map { $0.inputTokens + $0.outputTokens + $0.cacheReadTokens + $0.cacheWriteTokens }.reduce(0, +))
        #expect(try loader.detail(cards.first { $0.costUsd == 0 }!.task.id).cost == TaskCost())
    }

    @Test func cardShowsTheCostDimWhenItFitsWhole() {
        let buf = DashboardView.render(Fixture.state(width: 120, height: 40), keymap: KeyMap(), theme: Fixture.theme).buffer
        #expect(buf.lines.contains { $0.contains("✓ succeeded  $0.42") }, "after the card's last run")
        #expect(buf.lines.filter { $0.contains("$") }.count == 1, "cards without sessions show no cost")
        let theme = Fixture.theme
        func meta(_ c: CardInfo, width: Int) -> StyledLine { BoardView.card(c, theme: theme, now: Fixture.now, width: width).lines.last! }
        let alone = meta(CardInfo(task: Fixture.task(9, "Audit", .todo), costUsd: 1.5), width: 12)
        #expect(alone.plainText == "$1.50" && alone.first?.style == theme[.textDim])
        let busy = CardInfo(task: Fixture.task(9, "Audit", .done), latestExecution: .succeeded, costUsd: 0.42)
        #expect(meta(busy, width: 12).plainText == "✓ succeeded", "too narrow: the cost is left out, not cut")
        #expect(meta(busy, width: 20).plainText == "✓ succeeded  $0.42")
        var assigned = busy
        assigned.task.assigneeSlug = "claude"
        #expect(meta(assigned, width: 20).plainText == "✓ succeeded  $0.42  @claude", "the cost comes before the assignee")
        #expect(meta(assigned, width: 12).plainText == "✓ succeeded  @claude", "narrow: as before, cut at the edge")
    }

    @Test func detailShowsCostSessionsAndTokens() throws {
        var s = Fixture.state(width: 120, height: 40)
        var u = Updater()
        _ = u.keys(&s, "l", "enter")
        var d = TaskDetail(task: Fixture.snapshot.columns[1].cards[0].task, dependencies: [], dependents: [], subtasks: [],
                           events: [], executions: [], capabilityNames: [:])
        d.cost = TaskCost(sessions: 3, tokens: 152_400, costUsd: 1.234)
        _ = u.update(&s, .detailLoaded(d))
        let buf = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer
        try expectSnapshot(buf, named: "detail-cost-120x40")
        #expect(buf.lines.contains { $0.contains("Cost  $1.23 · 3 sessions · 152k tokens") })
    }
}
