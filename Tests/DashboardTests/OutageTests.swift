import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// The database going away and coming back, as the pure half of the dashboard sees it.
@Suite("Dashboard: database outages") struct OutageTests {
    func statusLine(_ s: AppState) -> String {
        DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.last ?? ""
    }

    @Test func theStatusBarShowsTheOutageUntilItEndsAndThenEverythingReloads() {
        var s = Fixture.state(width: 100, height: 24)
        var u = Updater()
        #expect(u.update(&s, .databaseUnreachable("PostgreSQL unreachable (connection refused)", waitingWrites: 0)).isEmpty)
        #expect(statusLine(s).contains("⚠ database unreachable — retrying"))
        // A key's own message does not hide it: what is on screen may be stale until it clears.
        _ = u.keys(&s, "j")
        s.status = StatusMessage("moved", .info)
        #expect(statusLine(s).contains("database unreachable"))
        _ = u.update(&s, .databaseUnreachable("PostgreSQL unreachable", waitingWrites: 2))
        #expect(statusLine(s).contains("retrying (2 changes waiting)"))

        let effects = u.update(&s, .databaseReachable)
        #expect(s.outage == nil)
        #expect(!statusLine(s).contains("unreachable"))
        #expect(effects == u.reloadAll(s), "back: every screen catches up on what it missed")
        #expect(effects.contains { if case .loadBoard = $0 { return true }; return false })
    }
}
