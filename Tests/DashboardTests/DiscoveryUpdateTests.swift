import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// `D` on the agents screen, even an empty one: discovery runs off the UI thread, its findings show in a
/// popup, and Enter registers the new ones (refused, with why, while nothing usable is known yet).
@Suite("Dashboard discovery") struct DiscoveryUpdateTests {
    var u = Updater()

    static let found = [
        DiscoveredAgent(name: "claude", path: "/usr/local/bin/claude", version: "2.0.31 (Claude Code)", skipped: nil, preset: "claude", registered: false),
        DiscoveredAgent(name: "codex", path: "/opt/bin/codex", version: nil, skipped: "--version did not finish within 2 s", preset: "codex", registered: false),
        DiscoveredAgent(name: "git", path: "/usr/bin/git", version: "git version 2.43.0", skipped: nil, preset: nil, registered: true),
    ]

    @Test mutating func discoverThenRegister() {
        var s = Fixture.state(width: 120, height: 30)
        _ = u.keys(&s, "2")
        #expect(s.agents.rows.isEmpty)
        #expect(u.keys(&s, "D") == [.discover], "an empty agents screen still discovers")
        guard case .discovery(nil)? = s.topOverlay else { Issue.record("D must open the discovery popup"); return }
        #expect(u.keys(&s, "enter").isEmpty, "nothing to register while it looks")
        #expect(s.status?.text.contains("still looking") == true)

        _ = u.update(&s, .discovered(Self.found))
        let text = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
        #expect(text.contains("claude") && text.contains("2.0.31 (Claude Code)") && text.contains("new (preset claude)"))
        #expect(text.contains("skipped: --version did not finish within 2 s") && text.contains("registered"))
        let pending = s.pendingWrites
        #expect(u.keys(&s, "enter") == [.registerDiscovered])
        #expect(s.topOverlay == nil && s.pendingWrites == pending + 1)

        _ = u.keys(&s, "D")
        #expect(u.keys(&s, "escape").isEmpty && s.topOverlay == nil, "Esc closes without registering")
        _ = u.update(&s, .discovered(Self.found))
        #expect(s.topOverlay == nil, "a late answer does not reopen it")
    }

    @Test func bindingIsData() {
        let b = KeyMap().bindings.first { $0.action == .discover }
        #expect(b?.keys == [.char("D")] && b?.screens == [.agents])
        #expect(KeyContext(rawValue: "discovery") == .discovery)
    }
}
