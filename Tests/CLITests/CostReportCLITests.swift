import Foundation
import Testing
import CLISupport

/// `agentmon cost --by block` on a Claude Code transcript whose ccusage figures are worked out by hand from ccusage's
/// code (ryoppippi/ccusage, rust/crates/ccusage/src: `blocks.rs` identify_session_blocks / calculate_burn_rate /
/// project_block_usage, `cost.rs` calculate_cost in auto mode, `adapter/claude/mod.rs` dedup by message id +
/// requestId). The transcript (Tests/ImportersTests/Fixtures/claude/ccusage/cc-1.jsonl) is shaped as Claude Code
/// writes `~/.claude/projects/<project>/<session>.jsonl` (one
/// record per content block, each repeating the call's usage; `cache_creation` splits writes into 5-minute and
/// 1-hour parts; older versions add `costUSD`). Prices: LiteLLM's claude-sonnet-4 ($/Mtok 3 in, 15 out, 3.75
/// cache write, 0.30 cache read; 1-hour writes at 2 × input = 6), the same as agentmon's seeded table.
///
/// ccusage, now = 2026-03-02T11:00Z:
/// - msg_1 (two records, one entry): 1000 in, 500 out, 1500 5-minute + 500 1-hour writes →
///   3000 + 7500 + 5625 + 3000 = $0.019125; 3500 tokens.
/// - msg_2: 2000 in, 1000 out, 10000 cache read → 6000 + 15000 + 3000 = $0.024; 13000 tokens.
/// - msg_3 (opus, costUSD 0.5): $0.50 recorded; 300 tokens.  msg_4: 300 in, 100 out → $0.0024; 400 tokens.
/// - Block 1: 2026-03-01T22:00 → 03:00 (msg_1 22:10, msg_2 01:40 next day), 16500 tokens, $0.043125, not active.
/// - Gap: 06:40 (msg_2 + 5 h) → 09:30 (msg_3: 7 h 50 m after msg_2).
/// - Block 2: 09:00 → 14:00, active, 700 tokens, $0.5024; burn over 45 min: 700/45 tokens/min, $0.5024/45×60 per hour;
///   180 minutes left: 700 + 700/45×180 = 3500 tokens, $0.5024 × 5 = $2.512 → $2.51.
@Suite("CLI: cost reports") struct CostReportCLITests {
    /// The transcript, kept with the importers' fixtures (their fuzz tests mutate it too).
    static let transcript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImportersTests/Fixtures/claude/ccusage/cc-1.jsonl")

    static func near(_ a: Any?, _ b: Double) -> Bool { abs(((a as? Double) ?? .nan) - b) < 1e-9 }

    @Test("cost --by block --json: ccusage's blocks, gap, burn rate and projection; days and the breakdown", arguments: CLIBackend.allCases)
    func blocks(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("import", "claude", Self.transcript.path).status == 0)

        let blocks = try #require(try db.run("cost", "--by", "block", "--json", "--now", "2026-03-02T11:00:00Z").json as? [[String: Any]])
        #expect(blocks.map { $0["is_gap"] as? Bool } == [false, true, false])
        let night = blocks[0], gap = blocks[1], active = blocks[2]
        #expect(night["start_time"] as? String == "2026-03-01T22:00:00.000Z" && night["end_time"] as? String == "2026-03-02T03:00:00.000Z")
        #expect(night["entries"] as? Int == 2 && night["total_tokens"] as? Int == 16_500 && Self.near(night["cost_usd"], 0.043125))
        #expect(night["cache_write_tokens"] as? Int == 2000 && night["cache_write_1h_tokens"] as? Int == 500, "msg_1 counted once")
        #expect(night["is_active"] as? Bool == false && night["burn_rate"] is NSNull && night["projection"] is NSNull)
        #expect(gap["start_time"] as? String == "2026-03-02T06:40:00.000Z" && gap["end_time"] as? String == "2026-03-02T09:30:00.000Z")
        #expect(active["is_active"] as? Bool == true && active["total_tokens"] as? Int == 700 && Self.near(active["cost_usd"], 0.5024))
        let rate = try #require(active["burn_rate"] as? [String: Any])
        #expect(Self.near(rate["tokens_per_minute"], 700.0 / 45) && Self.near(rate["cost_per_hour"], 0.5024 / 45 * 60))
        let projection = try #require(active["projection"] as? [String: Any])
        #expect(projection["total_tokens"] as? Int == 3500 && Self.near(projection["cost_usd"], 2.51) && projection["remaining_minutes"] as? Int == 180)
        #expect(active["models"] as? [String] == ["claude-opus-4-1-20250805", "claude-sonnet-4-20250514"])

        // The session's cost is the sum of its calls, as ccusage adds them.
        let sessions = try #require(try db.run("session", "list", "--json").json as? [[String: Any]])
        #expect(Self.near(sessions.first?["cost_usd"], 0.019125 + 0.024 + 0.5 + 0.0024))
        let days = try #require(try db.run("cost", "--by", "day", "--breakdown", "--json").json as? [[String: Any]])
        #expect(days.map { $0["day"] as? String } == ["2026-03-01", "2026-03-02"] && Self.near(days[1]["cost_usd"], 0.5264))
        let rows = try #require(days[1]["breakdown"] as? [[String: Any]])
        #expect(rows.map { $0["model"] as? String } == ["claude-opus-4-1-20250805", "claude-sonnet-4-20250514"])
        #expect(Self.near(rows[1]["cost_usd"], 0.0264) && rows[1]["cache_read_tokens"] as? Int == 10_000)

        let text = try db.run("cost", "--by", "block", "--breakdown", "--now", "2026-03-02T11:00:00Z")
        #expect(text.status == 0 && text.stdout.contains("ACTIVE 2h 0m elapsed, 3h 0m left, $0.67/h, projected $2.51"))
        #expect(text.stdout.contains("2h gap") && text.stdout.contains("└ claude-opus-4-1-20250805"))
        let since = try #require(try db.run("cost", "--by", "block", "--since", "2026-03-02", "--json").json as? [[String: Any]])
        #expect(since.count == 2, "the gap and the block that start on or after it")
    }
}
