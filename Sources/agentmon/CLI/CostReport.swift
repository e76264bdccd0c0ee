import Foundation
import Core
import Storage

/// Day, week, month and block reports, as tables or JSON (snake_case, like the rest of agentmon's JSON; the
/// fields are ccusage's `blocks --json` ones otherwise: docs/cost.md).
enum CostReport {
    static func usage(_ u: Usage) -> [String: JSONValue] {
        ["input_tokens": JSONOutput.int(u.inputTokens), "output_tokens": JSONOutput.int(u.outputTokens),
         "cache_read_tokens": JSONOutput.int(u.cacheReadTokens), "cache_write_tokens": JSONOutput.int(u.cacheWriteTokens),
         "cache_write_1h_tokens": JSONOutput.int(u.cacheWrite1hTokens), "total_tokens": JSONOutput.int(u.totalTokens)]
    }

    static func breakdown(_ models: [ModelUsage]) -> JSONValue {
        .array(models.map { m in
            var o = usage(m.usage)
            o["model"] = .string(m.model); o["cost_usd"] = .number(m.costUsd)
            return .object(o)
        })
    }

    static let periodHeader = ["SESSIONS", "INPUT", "OUTPUT", "CACHE WRITE", "CACHE READ", "TOKENS", "COST", "MODELS"]

    static func printPeriods(_ periods: [UsagePeriod], kind: UsagePeriodKind, json: Bool, breakdown withModels: Bool) {
        if json { JSONOutput.print(periodsJSON(periods, kind: kind, breakdown: withModels)); return }
        TextTable.print(header: [kind.rawValue.uppercased()] + periodHeader, rows: periodRows(periods, breakdown: withModels))
    }

    static func periodsJSON(_ periods: [UsagePeriod], kind: UsagePeriodKind, breakdown withModels: Bool) -> JSONValue {
        .array(periods.map { p in
            var o = usage(p.usage)
            o[kind.rawValue] = .string(p.key); o["label"] = .string(p.key); o["sessions"] = JSONOutput.int(p.sessions)
            o["cost_usd"] = .number(p.costUsd); o["models"] = .array(p.models.map { .string($0.model) })
            if withModels { o["breakdown"] = breakdown(p.models) }
            return .object(o)
        })
    }

    /// Cells before TextTable sanitises them (model names come from transcripts).
    static func periodRows(_ periods: [UsagePeriod], breakdown withModels: Bool) -> [[String]] {
        var rows: [[String]] = []
        for p in periods {
            rows.append(row(p.key, sessions: String(p.sessions), p.usage, p.costUsd, p.models.map(\.model).joined(separator: ", ")))
            if withModels { rows += p.models.map { row("  └ " + $0.model, sessions: "", $0.usage, $0.costUsd, "") } }
        }
        return rows + [row("total", sessions: "", periods.reduce(Usage()) { $0 + $1.usage }, periods.reduce(0) { $0 + $1.costUsd }, "")]
    }

    static func row(_ key: String, sessions: String, _ u: Usage, _ cost: Double, _ models: String) -> [String] {
        [key, sessions, String(u.inputTokens), String(u.outputTokens), String(u.cacheWriteTokens), String(u.cacheReadTokens),
         String(u.totalTokens), String(format: "$%.4f", cost), models]
    }

    static func printBlocks(_ blocks: [UsageBlock], json: Bool, breakdown withModels: Bool, now: Date) {
        if json { JSONOutput.print(.array(blocks.map { b in .object(blockJSON(b, breakdown: withModels)) })); return }
        TextTable.print(header: ["BLOCK START", "DURATION/STATUS", "MODELS", "TOKENS", "COST"], rows: blockRows(blocks, breakdown: withModels, now: now))
    }

    /// Cells before TextTable sanitises them.
    static func blockRows(_ blocks: [UsageBlock], breakdown withModels: Bool, now: Date) -> [[String]] {
        var rows: [[String]] = []
        for b in blocks {
            rows.append([SQLTime.format(b.start), status(b, now: now), b.models.map(\.model).joined(separator: ", "),
                         String(b.usage.totalTokens), b.isGap ? "" : String(format: "$%.4f", b.costUsd)])
            if withModels { rows += b.models.map { ["  └ " + $0.model, "", "", String($0.usage.totalTokens), String(format: "$%.4f", $0.costUsd)] } }
        }
        return rows
    }

    static func blockJSON(_ b: UsageBlock, breakdown withModels: Bool) -> [String: JSONValue] {
        var o = usage(b.usage)
        o["id"] = .string((b.isGap ? "gap-" : "") + SQLTime.format(b.start))
        o["start_time"] = JSONOutput.time(b.start); o["end_time"] = JSONOutput.time(b.end)
        o["actual_end_time"] = JSONOutput.time(b.actualEnd)
        o["is_active"] = .bool(b.isActive); o["is_gap"] = .bool(b.isGap)
        o["entries"] = JSONOutput.int(b.entries); o["sessions"] = JSONOutput.int(b.sessions)
        o["cost_usd"] = .number(b.costUsd); o["models"] = .array(b.models.map { .string($0.model) })
        o["burn_rate"] = b.burnRate.map { r in
            .object(["tokens_per_minute": .number(r.tokensPerMinute), "tokens_per_minute_for_indicator": .number(r.tokensPerMinuteForIndicator),
                     "cost_per_hour": .number(r.costPerHour)])
        } ?? .null
        o["projection"] = b.projection.map { p in
            .object(["total_tokens": JSONOutput.int(p.totalTokens), "cost_usd": .number(p.costUsd),
                     "remaining_minutes": JSONOutput.int(p.remainingMinutes)])
        } ?? .null
        if withModels { o["breakdown"] = breakdown(b.models) }
        return o
    }

    /// ccusage's Duration/Status column: a gap's hours, an active block's elapsed and remaining time (with its
    /// burn rate and projected cost here), else the time from its start to its last call.
    static func status(_ b: UsageBlock, now: Date) -> String {
        if b.isGap { return "\(Int(b.end.timeIntervalSince(b.start) / 3600))h gap" }
        if b.isActive {
            var s = "ACTIVE \(UsageBlocks.hm(now.timeIntervalSince(b.start))) elapsed, \(UsageBlocks.hm(b.end.timeIntervalSince(now))) left"
            if let r = b.burnRate { s += String(format: ", $%.2f/h", r.costPerHour) }
            if let p = b.projection { s += String(format: ", projected $%.2f", p.costUsd) }
            return s
        }
        return UsageBlocks.hm((b.actualEnd ?? b.start).timeIntervalSince(b.start))
    }
}
