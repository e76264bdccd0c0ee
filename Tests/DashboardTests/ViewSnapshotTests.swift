import Foundation
import Testing
import Config
import Core
import Render
import Terminal
@testable import Dashboard

@Suite("Dashboard views") struct ViewSnapshotTests {
    func render(_ s: AppState) -> Buffer { DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer }

    @Test func boardAt80x24() throws { try expectSnapshot(render(Fixture.state()), named: "board-80x24") }
    @Test func boardAt120x40() throws { try expectSnapshot(render(Fixture.state(width: 120, height: 40)), named: "board-120x40") }
    @Test func boardAt60Columns() throws { try expectSnapshot(render(Fixture.state(width: 60, height: 20)), named: "board-60x20") }

    @Test func helpOverlayComesFromTheBindings() throws {
        var s = Fixture.state(width: 120, height: 40)
        var u = Updater()
        _ = u.keys(&s, "?")
        let buf = render(s)
        try expectSnapshot(buf, named: "help-120x40")
        let text = OverlayViews.helpLines(s, keymap: KeyMap(), theme: Fixture.theme).map(\.plainText).joined(separator: "\n")
        for b in KeyMap().bindings(for: .board) where !b.keys.isEmpty {
            #expect(text.contains(b.description), "help lists \(b.action)")
        }
    }

    @Test func formAndDetail() throws {
        var s = Fixture.state()
        var u = Updater()
        _ = u.keys(&s, "n")
        for c in "New card" { _ = u.update(&s, .key(.char(c))) }
        try expectSnapshot(render(s), named: "form-80x24")
        var d = Fixture.state(width: 120, height: 40)
        _ = u.keys(&d, "l", "enter")
        let t = Fixture.snapshot.columns[1].cards[0].task
        _ = u.update(&d, .detailLoaded(TaskDetail(task: t, dependencies: [Fixture.task(1, "Rate limit", .todo)], dependents: [],
                                                  subtasks: [Fixture.task(8, "Token signing", .done)],
                                                  events: [TaskEvent(id: 1, taskId: 4, actorType: .user, actorId: nil, eventType: "created",
                                                                     payload: ["title": "x"], createdAt: Fixture.now.addingTimeInterval(-7200))],
                                                  executions: [], capabilityNames: [:])))
        try expectSnapshot(render(d), named: "detail-120x40")
    }

    /// Comments agents wrote through agentmon mcp: author and text in full, escapes in them made visible.
    @Test func detailWithComments() throws {
        var d = Fixture.state(width: 120, height: 40)
        var u = Updater()
        _ = u.keys(&d, "l", "enter")
        let t = Fixture.snapshot.columns[1].cards[0].task
        func comment(_ id: ID, _ who: String, _ text: String, ago: Double) -> TaskEvent {
            TaskEvent(id: id, taskId: t.id, actorType: .agent, actorId: who, eventType: "comment", payload: ["text": .string(text)],
                      createdAt: Fixture.now.addingTimeInterval(-ago))
        }
        _ = u.update(&d, .detailLoaded(TaskDetail(task: t, dependencies: [], dependents: [], subtasks: [], events: [
            TaskEvent(id: 1, taskId: t.id, actorType: .user, actorId: nil, eventType: "created", payload: ["title": "x"],
                      createdAt: Fixture.now.addingTimeInterval(-7200)),
            comment(2, "codex", "Parser done.\nTests next: edge cases for \u{1B}[31mempty input\u{1B}[0m and \u{1B}]2;pwned\u{07}titles.", ago: 3600),
            comment(3, "claude\u{1B}[2J", "LGTM", ago: 60),
        ], executions: [], capabilityNames: [:])))
        let buf = render(d)
        try expectSnapshot(buf, named: "detail-comments-120x40")
        for y in 0..<buf.height {
            for x in 0..<buf.width {
                #expect(!buf[x, y].grapheme.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "no control character reaches a cell")
            }
        }
    }

    @Test func hostileTitlesProduceNoEscapeCells() {
        let buf = render(Fixture.state(width: 120, height: 40))
        for y in 0..<buf.height {
            for x in 0..<buf.width {
                let g = buf[x, y].grapheme
                #expect(!g.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) },
                        "control character at \(x),\(y)")
            }
        }
        #expect(buf.lines.joined().contains("Evil"))
    }

    @Test func selectedCardIsMarkedInEveryTheme() throws {
        let loader = ThemeLoader(bundledDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path, userDirectory: nil)
        let names = loader.availableThemes()
        #expect(names.count >= 4)
        for name in names {
            let r = loader.load(name)
            #expect(r.warning == nil, "\(name): \(r.warning ?? "")")
            for depth in [ColorDepth.trueColor, .c256, .c16, .none] {
                let theme = r.theme.adapted(to: depth)
                let buf = DashboardView.render(Fixture.state(), keymap: KeyMap(), theme: theme).buffer
                // Find the selected card's title cell and an unselected card's: they must differ in style.
                let row = buf.lines.firstIndex { $0.contains("Rate") }!
                let other = buf.lines.firstIndex { $0.contains("Dark") }!
                let x1 = buf.lines[row].distance(from: buf.lines[row].startIndex, to: buf.lines[row].range(of: "Rate")!.lowerBound)
                let x2 = buf.lines[other].distance(from: buf.lines[other].startIndex, to: buf.lines[other].range(of: "Dark")!.lowerBound)
                #expect(buf[x1, row].style != buf[x2, other].style, "\(name) at \(depth): selection visible")
            }
        }
    }
}
