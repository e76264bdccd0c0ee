import Foundation
import Testing
import Core
@testable import Storage

/// Day, week, month and 5-hour block reports over calls with known figures, every total worked out by hand below
/// with the seeded prices ($/Mtok: claude-sonnet-4 3 in, 15 out, 3.75 cache write, 0.30 cache read; 1-hour cache
/// writes at twice the input price, $6).
@Suite("Cost reports") struct UsageReportTests {
    static func at(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    /// Session A (sonnet): e0 Sat 2026-02-28 12:00, 100 in → $0.0003.
    /// e1 Sun 03-01 22:10, 1000 in + 500 out → 3000 + 7500 = $0.0105.
    /// e2 Mon 03-02 01:40, 2000 in + 10000 cache read + 1000 out → 6000 + 3000 + 15000 = $0.024.
    /// e3 03-02 09:30, 100 in + 100 out + 1000 cache write of which 400 1-hour → 300 + 1500 + 600×3.75 + 400×6 = $0.00645.
    /// Session B (opus): e4 03-02 10:15, 10 in + 20 out, recorded $0.50 (wins over the price).
    static func fill(_ s: Store) throws -> (ID, ID) {
        let agent = try s.makeAgent()
        let a = try s.sessions.create(Session(agentId: agent.id, overrides: SessionOverrides(model: "claude-sonnet-4-5")))
        let b = try s.sessions.create(Session(agentId: agent.id))
        func call(_ sid: ID, _ t: String, input: Int64, output: Int64, read: Int64 = 0, write: Int64 = 0, oneHour: Int64 = 0,
                  model: String? = nil, cost: Double? = nil) throws {
            // A message's input_tokens counts its cached input too (as the transcript view shows it).
            try s.messages.append(Message(sessionId: sid, role: .assistant, content: t, inputTokens: input + read + write, outputTokens: output,
                                          cacheReadTokens: read, cacheWriteTokens: write, cacheWrite1hTokens: oneHour, model: model,
                                          costUsd: cost, createdAt: at(t)))
        }
        try s.messages.append(Message(sessionId: a.id, role: .user, content: "no usage", createdAt: at("2026-03-02T12:00:00Z")))
        try call(a.id, "2026-02-28T12:00:00Z", input: 100, output: 0)
        try call(a.id, "2026-03-01T22:10:00Z", input: 1000, output: 500)
        try call(a.id, "2026-03-02T01:40:00Z", input: 2000, output: 1000, read: 10_000)
        try call(a.id, "2026-03-02T09:30:00Z", input: 100, output: 100, write: 1000, oneHour: 400)
        try call(b.id, "2026-03-02T10:15:00Z", input: 10, output: 20, model: "claude-opus-4-1", cost: 0.5)
        return (a.id, b.id)
    }

    static func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    /// The store filled as above, and its calls.
    func withFixture(_ backend: Backend, _ body: (Store, [UsageEntry]) throws -> Void) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            _ = try Self.fill(s)
            try body(s, try s.sessions.usageEntries(prices: try s.settings.priceTable()))
        }
    }

    @Test("blocks: a gap over five hours, a block across midnight, the active block's burn rate and projection", arguments: Backend.allCases)
    func blocks(_ backend: Backend) throws {
        try withFixture(backend) { s, entries in
            let blocks = UsageBlocks.identify(entries, now: Self.at("2026-03-02T11:00:00Z"))
            #expect(blocks.map(\.isGap) == [false, true, false, true, false])
            // e0 alone; then five hours after e0 (17:00) up to e1 nothing: a gap.
            #expect(blocks[0].start == Self.at("2026-02-28T12:00:00Z") && blocks[0].entries == 1 && Self.near(blocks[0].costUsd, 0.0003))
            #expect(blocks[1].start == Self.at("2026-02-28T17:00:00Z") && blocks[1].end == Self.at("2026-03-01T22:10:00Z"))
            // e1 and e2: 22:00 (e1's hour) to 03:00, across midnight; e2 at 01:40 is inside it.
            let night = blocks[2]
            #expect(night.start == Self.at("2026-03-01T22:00:00Z") && night.end == Self.at("2026-03-02T03:00:00Z"))
            #expect(night.entries == 2 && !night.isActive && night.burnRate == nil && night.projection == nil)
            #expect(night.usage.totalTokens == 1500 + 13_000 && Self.near(night.costUsd, 0.0105 + 0.024))
            #expect(night.actualEnd == Self.at("2026-03-02T01:40:00Z"))
            // e3 comes 7 h 50 m after e2: a gap from 06:40 (e2 + 5 h) to 09:30, then a block from 09:00.
            #expect(blocks[3].start == Self.at("2026-03-02T06:40:00Z") && blocks[3].end == Self.at("2026-03-02T09:30:00Z"))
            let active = blocks[4]
            #expect(active.start == Self.at("2026-03-02T09:00:00Z") && active.end == Self.at("2026-03-02T14:00:00Z"))
            #expect(active.isActive && active.entries == 2 && active.sessions == 2)
            // 1200 + 30 tokens, $0.00645 + $0.50, over the 45 minutes from 09:30 to 10:15.
            #expect(active.usage.totalTokens == 1230 && Self.near(active.costUsd, 0.50645))
            let rate = try #require(active.burnRate)
            #expect(Self.near(rate.tokensPerMinute, 1230.0 / 45) && Self.near(rate.tokensPerMinuteForIndicator, 230.0 / 45))
            #expect(Self.near(rate.costPerHour, 0.50645 / 45 * 60))
            // Now is 11:00: 180 minutes left. 1230 + 1230/45 × 180 = 6150 tokens; $0.50645 × (1 + 180/45) = $2.53225 → $2.53.
            #expect(active.projection == Projection(totalTokens: 6150, costUsd: 2.53, remainingMinutes: 180))
            #expect(active.models.map(\.model) == ["claude-opus-4-1", "claude-sonnet-4-5"], "dearest first")
            // Five hours after the last call the block is no longer active, even before its end.
            #expect(!UsageBlocks.identify(entries, now: Self.at("2026-03-02T15:16:00Z")).last!.isActive)
        }
    }

    @Test("days, weeks (from Sunday) and months in UTC, with a row per model", arguments: Backend.allCases)
    func periods(_ backend: Backend) throws {
        try withFixture(backend) { s, entries in
            let days = UsagePeriods.group(entries, by: .day)
            #expect(days.map(\.key) == ["2026-02-28", "2026-03-01", "2026-03-02"])
            #expect(days.map(\.sessions) == [1, 1, 2])
            #expect(Self.near(days[1].costUsd, 0.0105) && Self.near(days[2].costUsd, 0.024 + 0.00645 + 0.5))
            let models = days[2].models
            #expect(models.map(\.model) == ["claude-opus-4-1", "claude-sonnet-4-5"])
            #expect(Self.near(models[1].costUsd, 0.03045) && models[1].usage.cacheReadTokens == 10_000 && models[1].usage.cacheWrite1hTokens == 400)
            #expect(models[1].usage.inputTokens == 2100, "the uncached input of e2 and e3")
            // 2026-03-01 is a Sunday: Saturday 28 February belongs to the week from Sunday 22 February.
            let weeks = UsagePeriods.group(entries, by: .week)
            #expect(weeks.map(\.key) == ["2026-02-22", "2026-03-01"] && Self.near(weeks[1].costUsd, 0.0105 + 0.03045 + 0.5))
            let months = UsagePeriods.group(entries, by: .month)
            #expect(months.map(\.key) == ["2026-02", "2026-03"] && Self.near(months[0].costUsd, 0.0003))
            let since = try s.sessions.usageEntries(since: Self.at("2026-03-02T00:00:00Z"), prices: try s.settings.priceTable())
            #expect(since.count == 3)
        }
    }

    @Test("a session without per-call usage counts once, at its start, with its totals", arguments: Backend.allCases)
    func sessionTotalsOnly(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let c = try s.sessions.create(Session(agentId: try s.makeAgent().id))
            try s.messages.append(Message(sessionId: c.id, role: .assistant, content: "done"))
            try s.sessions.addUsage(c.id, Usage(input: 50, output: 50, cacheRead: 7), costUsd: 0.01)
            let entries = try s.sessions.usageEntries(prices: try s.settings.priceTable())
            #expect(entries.count == 1 && entries[0].sessionId == c.id && entries[0].usage.cacheReadTokens == 7 && Self.near(entries[0].costUsd, 0.01))
        }
    }

    @Test("the seeded prices: Sonnet 4's 200k tier, Opus 4.5 and later at their own price; a call priced with its tier", arguments: Backend.allCases)
    func tieredPrices(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let table = try s.settings.priceTable()
            #expect(table.price(for: "claude-sonnet-4-5-20250929")?.inputAbove200k == 6 && table.price(for: "claude-sonnet-4")?.cacheReadAbove200k == 0.6)
            #expect(table.price(for: "claude-opus-4-5-20251101")?.input == 5 && table.price(for: "claude-opus-4-1-20250805")?.input == 15)
            #expect(table.price(for: "claude-opus-4-1")?.inputAbove200k == nil)
            try s.settings.setPrice(model: "local-llm", ModelPrice(input: 1, output: 2, cacheWrite: 0, cacheRead: 0, outputAbove200k: 4))
            #expect(try s.settings.priceTable().price(for: "local-llm") == ModelPrice(input: 1, output: 2, cacheWrite: 0, cacheRead: 0, outputAbove200k: 4))
            // 250,000 uncached input in one call: 200k × $3 + 50k × $6 = $0.90.
            let c = try s.sessions.create(Session(agentId: try s.makeAgent().id))
            try s.messages.append(Message(sessionId: c.id, role: .assistant, content: "long", inputTokens: 250_000, outputTokens: 1,
                                          model: "claude-sonnet-4-5", createdAt: Self.at("2026-03-02T10:00:00Z")))
            let e = try #require(try s.sessions.usageEntries(prices: try s.settings.priceTable()).first)
            #expect(Self.near(e.costUsd, 0.9 + 0.000015))
        }
    }
}
