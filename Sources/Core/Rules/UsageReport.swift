import Foundation

/// One API call's usage at its time, its cost already chosen (recorded, else priced): what the day, week, month
/// and block reports add up. `usage.inputTokens` is the uncached input.
public struct UsageEntry: Sendable, Equatable {
    public var time: Date
    public var sessionId: ID
    public var model: String?
    public var usage: Usage
    public var costUsd: Double
    public init(time: Date, sessionId: ID, model: String?, usage: Usage, costUsd: Double) {
        self.time = time; self.sessionId = sessionId; self.model = model; self.usage = usage; self.costUsd = costUsd
    }
}

/// Usage and cost of one model within a period or block (`--breakdown`).
public struct ModelUsage: Sendable, Equatable {
    public var model: String
    public var usage: Usage
    public var costUsd: Double
}

/// A day, week or month: its key (`2026-03-01`, the week's first day, `2026-03`), the sessions that used tokens in
/// it, their usage and cost, and the same per model.
public struct UsagePeriod: Sendable, Equatable {
    public var key: String
    public var sessions: Int
    public var usage: Usage
    public var costUsd: Double
    public var models: [ModelUsage]
}

public enum UsagePeriodKind: String, Sendable { case day, week, month }

public enum UsagePeriods {
    /// Periods in UTC, oldest first. Weeks start on Sunday, as ccusage's `weekly` does by default.
    public static func group(_ entries: [UsageEntry], by kind: UsagePeriodKind) -> [UsagePeriod] {
        var byKey: [String: [UsageEntry]] = [:]
        for e in entries { byKey[key(e.time, kind), default: []].append(e) }
        return byKey.keys.sorted().map { k in
            let es = byKey[k]!
            return UsagePeriod(key: k, sessions: Set(es.map(\.sessionId)).count, usage: total(es), costUsd: es.reduce(0) { $0 + $1.costUsd },
                               models: byModel(es))
        }
    }

    public static func key(_ t: Date, _ kind: UsagePeriodKind) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        var day = t
        if kind == .week {  // back to Sunday: weekday 1 is Sunday
            day = cal.date(byAdding: .day, value: -(cal.component(.weekday, from: t) - 1), to: t) ?? t
        }
        let c = cal.dateComponents([.year, .month, .day], from: day)
        let ym = String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
        return kind == .month ? ym : ym + String(format: "-%02d", c.day ?? 0)
    }

    static func total(_ es: [UsageEntry]) -> Usage { es.reduce(Usage()) { $0 + $1.usage } }

    /// Per model, dearest first (ccusage sorts its breakdown rows by cost).
    public static func byModel(_ es: [UsageEntry]) -> [ModelUsage] {
        var rows: [String: ModelUsage] = [:]
        for e in es {
            let m = e.model ?? "unknown"
            var r = rows[m] ?? ModelUsage(model: m, usage: Usage(), costUsd: 0)
            r.usage = r.usage + e.usage; r.costUsd += e.costUsd
            rows[m] = r
        }
        return rows.values.sorted { $0.costUsd != $1.costUsd ? $0.costUsd > $1.costUsd : $0.model < $1.model }
    }
}
