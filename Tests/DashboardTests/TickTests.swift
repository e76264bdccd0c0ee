import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// Relative times tick once a second from memory (issue 12): the loop sleeps 1 s while a time relative to
/// now is on screen and 30 s otherwise, and a tick changes the labels without asking the database.
@Suite("Dashboard ticks") struct TickTests {
    var u = Updater()

    @Test mutating func tickOnlyWhileRelativeTimesShow() {
        var s = Fixture.state()
        #expect(s.tickIntervalMs == 30_000, "the board shows no time relative to now")
        _ = u.update(&s, .inboxLoaded([]))
        _ = u.keys(&s, "!")
        #expect(s.tickIntervalMs == 1000, "the inbox says '3s ago'")
        _ = u.keys(&s, "escape")
        _ = u.keys(&s, "3")
        #expect(s.tickIntervalMs == 30_000, "no rows yet")
        _ = u.update(&s, .executionsLoaded([ExecutionsUpdateTests.summary(2, .failed)], filter: nil))
        #expect(s.tickIntervalMs == 1000, "an ended run's 'ago' ticks too")
    }

    @Test mutating func aTickMovesElapsedWithoutEffects() {
        var s = Fixture.state(width: 120, height: 20)
        s.now = Fixture.now
        _ = u.keys(&s, "3")
        _ = u.update(&s, .executionsLoaded([ExecutionsUpdateTests.summary(3, .running)], filter: nil))
        func screen() -> String { DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n") }
        let before = screen()
        #expect(before.contains("1m 05s"), "\(before)")
        #expect(u.update(&s, .tick(Fixture.now.addingTimeInterval(1))).isEmpty, "a tick asks nothing of the database")
        let after = screen()
        #expect(after != before)
        #expect(after.contains("1m 06s"), "\(after)")
    }
}
