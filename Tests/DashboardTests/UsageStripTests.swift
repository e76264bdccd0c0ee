import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// The usage strip over the sessions screen. Fixture.now is 2026-11-18 11:06:40 UTC.
@Suite("Dashboard usage strip") struct UsageStripTests {
    static func call(_ secondsBeforeNow: TimeInterval, _ cost: Double, session: ID = 1) -> UsageEntry {
        UsageEntry(time: Fixture.now.addingTimeInterval(-secondsBeforeNow), sessionId: session, model: "claude-sonnet-4",
                   usage: Usage(input: 100, output: 100), costUsd: cost)
    }

    /// Today 09:30 $0.30 and 10:30 $0.90: block 09:00–14:00, $1.20 over 60 minutes = $1.20/h; 173 minutes left
    /// (2 h 53 m 20 s, rounded) → $1.20 + $1.20/60 × 173 = $4.66. 3 days ago $2.40, 13 days ago $0.60, 14 days ago
    /// $5 (before the strip's first day). Bars against the top day ($2.40): 0.6 → ▃ (1.75 of 7, rounded 2),
    /// none → ▁, 2.4 → █, 1.2 → ▅ (3.5, rounded 4).
    static let entries = [call(5800, 0.30), call(2200, 0.90), call(3 * 86_400, 2.40, session: 2), call(13 * 86_400, 0.60, session: 3),
                          call(14 * 86_400 + 40_000, 5.0, session: 4)]

    @Test func figuresFromCalls() {
        let u = UsageStrip.from(Self.entries.filter { $0.time >= UsageStrip.since(now: Fixture.now) }, now: Fixture.now)
        #expect(UsageStrip.since(now: Fixture.now) == Fixture.now.addingTimeInterval(-(13 * 86_400 + 40_000)))
        #expect(u.daily == [0.6] + Array(repeating: 0, count: 9) + [2.4, 0, 0, 1.2])
        #expect(abs(u.todayCost - 1.2) < 1e-9)
        let b = try! #require(u.activeBlock)
        #expect(b.start == Fixture.now.addingTimeInterval(-7600) && b.projection?.costUsd == 4.66)
        #expect(UsageStripView.sparkline(u.daily) == "▃▁▁▁▁▁▁▁▁▁█▁▁▅")
        #expect(UsageStripView.sparkline([0, 0]) == "▁▁", "no cost at all: flat")
    }

    /// Two calls 2 s apart ($0.10): ccusage's rate would be $180/h; the strip leaves it out until they span a minute.
    @Test func noRateOverSeconds() {
        let u = UsageStrip.from([Self.call(30, 0.05), Self.call(28, 0.05)], now: Fixture.now)
        #expect(u.activeBlock?.burnRate != nil, "the report keeps ccusage's figure")
        let line = UsageStripView.line(u, now: Fixture.now, theme: Fixture.theme).map(\.text).joined()
        #expect(line.hasPrefix("Today $0.10  Block 11:00–16:00 UTC 4h 53m left  14d"), "\(line)")
    }

    @Test func shownOverTheSessions() throws {
        var u = Updater()
        var s = Fixture.state(width: 120, height: 20)
        _ = u.keys(&s, "5")
        let text = { DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n") }
        #expect(text().contains("usage loading…"))
        _ = u.update(&s, .usageLoaded(UsageStrip.from(Self.entries, now: Fixture.now)))
        #expect(text().contains("Today $1.20  Block 09:00–14:00 UTC 2h 53m left $1.20/h → $4.66  14d ▃▁▁▁▁▁▁▁▁▁█▁▁▅ $4.20"))
        try expectSnapshot(DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer, named: "sessions-usage-120x20")
        _ = u.update(&s, .usageLoaded(UsageStrip(todayCost: 0)))
        #expect(text().contains("Today $0.00  Block none active  14d ▁▁▁▁▁▁▁▁▁▁▁▁▁▁ $0.00"))
        #expect(u.update(&s, .dataChanged).contains(.loadUsage), "live while on screen 5")
    }
}
