import Foundation
import Testing
import Config
import Core
import Render
import Terminal
@testable import Dashboard

/// Issue 10 (3, 4): every change goes through `update`; popups' keys are bindings too, each with an enabled rule.
@Suite("Key contexts and messages") struct KeyContextTests {
    func render(_ s: AppState, _ map: KeyMap = KeyMap()) -> Buffer {
        DashboardView.render(s, keymap: map, theme: Fixture.theme).buffer
    }
    func text(_ b: Buffer) -> String { b.lines.joined(separator: "\n") }
    func statusBar(_ b: Buffer) -> String { b.lines.last ?? "" }

    @Test func remappingConfirmsYesWorksInDispatchAndShowsInHelp() {
        var map = KeyMap()
        #expect(map.remap(["confirm.yes": ["o"]]).isEmpty)
        #expect(map.binding(for: .char("o"), in: .confirm)?.action == .yes)
        #expect(map.binding(for: .char("y"), in: .confirm) == nil, "y no longer says yes")
        #expect(map.action(for: .char("o"), on: .board) == nil, "the screens keep their keys")
        var u = Updater(keymap: map)
        var s = Fixture.state()
        _ = u.keys(&s, "d")  // delete card 1: asks
        guard case .confirm? = s.topOverlay else { Issue.record("no dialog"); return }
        #expect(u.keys(&s, "y").isEmpty)
        #expect(s.overlays.count == 1, "y does nothing now")
        #expect(u.keys(&s, "o") == [.deleteTask(1)])
        #expect(s.overlays.isEmpty)
        // The dialog's footer and the status bar name the new key.
        _ = u.keys(&s, "d")
        let dialog = render(s, map)
        #expect(text(dialog).contains("o delete"))
        #expect(statusBar(dialog).contains("o yes"))
        // Help lists the popup's keys from the same table.
        _ = u.keys(&s, "esc", "?")
        var h = s
        h.height = 200  // the whole help on screen
        let help = OverlayViews.helpLines(h, keymap: map, theme: Fixture.theme).map { $0.plainText }
        #expect(help.contains { $0.hasPrefix("o ") && $0.contains("yes: do it") })
        #expect(!help.contains { $0.hasPrefix("y Y") })
    }

    @Test func aKeysFileRemapsAPopupKeyByItsQuotedName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "[keys]\n\"confirm.yes\" = [\"o\"]\nclose = \"x\"\n".write(to: dir.appendingPathComponent("keys.toml"), atomically: true, encoding: .utf8)
        let c = DashboardConfig.load(folder: dir.path)
        #expect(c.warnings.isEmpty)
        var map = KeyMap()
        #expect(map.remap(c.keyOverrides).isEmpty)
        #expect(map.binding(for: .char("o"), in: .confirm)?.action == .yes)
        #expect(map.binding(for: .char("x"), in: .help)?.action == .close)
    }

    @Test func plainNamesRemapEveryContextAndBadContextsWarn() {
        var map = KeyMap()
        #expect(map.remap(["close": ["x"], "nowhere.yes": ["o"], "help.approve": ["o"]]) ==
                ["unknown action 'help.approve'", "unknown action 'nowhere.yes'"])
        #expect(map.binding(for: .char("x"), in: .inbox)?.action == .close)
        #expect(map.binding(for: .char("x"), in: .help)?.action == .close)
        #expect(map.binding(for: .escape, in: .detail) == nil)
        #expect(map.action(for: .char("x"), on: .executions) == .cancelRun, "another context keeps its key")
    }

    @Test func aDisabledBindingSaysWhyOnTheStatusBarAndInHelp() {
        let u = Updater()
        var s = Fixture.state()
        // Todo is the first column: H cannot move the card left.
        #expect(u.update(&s, .key(.char("H"))).isEmpty)
        #expect(s.status == StatusMessage("already in the first column", .refused))
        #expect(statusBar(render(s)).contains("already in the first column"))
        #expect(s.board.columns[0].cards.count == 3, "nothing moved")
        // The next key clears it.
        _ = u.update(&s, .key(.char("j")))
        #expect(s.status == nil)
        // Help dims it, with the reason.
        let help = OverlayViews.helpLines(s, keymap: KeyMap(), theme: Fixture.theme)
        let line = help.first { $0.plainText.contains("move the card to the previous column") }
        #expect(line.map { $0.plainText }?.contains("already in the first column") == true)
        #expect(line?.first?.style == Fixture.theme[.textDim])
        let right = help.first { $0.plainText.contains("move the card to the next column") }
        #expect(right?.first?.style == Fixture.theme[.statusKey], "an enabled binding is not dimmed")
    }

    @Test func aDisabledPopupBindingIsRefusedOverTheHints() {
        let u = Updater()
        var s = Fixture.state()
        s.overlays.append(.inbox(selected: 0))
        #expect(u.update(&s, .key(.char("a"))).isEmpty)
        #expect(s.status?.text == "nothing waiting")
        #expect(statusBar(render(s)).contains("nothing waiting"), "shown even over the inbox's hints")
        _ = u.update(&s, .key(.char("j")))
        #expect(statusBar(render(s)).contains("approve"), "the hints are back at the next key")
    }

    @Test func aMoveConfirmedInADialogIsOptimistic() {
        let u = Updater()
        var s = Fixture.state()
        _ = u.update(&s, .key(.char("G")))  // card 3, which waits on another task
        #expect(s.board.selectedCard?.task.id == 3)
        #expect(u.update(&s, .key(.char("L"))).isEmpty)
        guard case .confirm? = s.topOverlay else { Issue.record("no dialog"); return }
        #expect(s.board.columns[1].cards.map(\.task.id) == [4], "nothing moves before the yes")
        let effects = u.update(&s, .key(.char("y")))
        #expect(effects == [.moveTask(3, to: .inProgress, position: 1)])
        #expect(s.overlays.isEmpty)
        #expect(s.board.columns[0].cards.map(\.task.id) == [1, 2])
        #expect(s.board.columns[1].cards.map(\.task.id) == [4, 3])
        #expect(s.board.focused == 1 && s.board.selectedCard?.task.id == 3, "the selection follows, as with a direct move")
        #expect(s.pendingWrites == 1)
    }

    @Test func columnOffsetsArriveAsAMessage() {
        let u = Updater()
        var s = Fixture.state()
        let offsets = [2, 0, 1, 0, 0]
        #expect(u.update(&s, .columnOffsets(offsets)).isEmpty)
        #expect(s.board.columns.map(\.offset) == offsets)
        _ = u.update(&s, .columnOffsets([7]))  // fewer: the rest stay
        #expect(s.board.columns.map(\.offset) == [7, 0, 1, 0, 0])
    }

    @Test func aThemeIsAskedForAndItsLoadArrivesAsAMessage() {
        var u = Updater()
        var s = Fixture.state()
        let effects = u.keys(&s, ":", "t", "h", "e", "m", "e", "space", "l", "i", "g", "h", "t", "enter")
        #expect(effects == [.loadTheme("light")])
        #expect(s.themeName == "light" && s.status == nil)
        _ = u.update(&s, .themeLoaded(name: "light", warning: nil))
        #expect(s.status == StatusMessage("theme light"))
        _ = u.update(&s, .themeLoaded(name: "old", warning: "stale"))
        #expect(s.status == StatusMessage("theme light"), "an answer to an older :theme is ignored")
        _ = u.update(&s, .themeLoaded(name: "light", warning: "theme 'light': bad colour; using the default"))
        #expect(s.status == StatusMessage("theme 'light': bad colour; using the default", .error))
    }
}
