import Foundation

/// A 5-hour billing window as ccusage's `blocks` shows it (`blocks.rs`, `identify_session_blocks`): it starts at
/// the hour of its first call and ends five hours later; a gap block stands for a stretch of more than five hours
/// without calls.
public struct UsageBlock: Sendable, Equatable {
    public var start: Date
    public var end: Date
    /// The last call's time (nil for a gap).
    public var actualEnd: Date?
    public var isActive: Bool
    public var isGap: Bool
    public var entries: Int
    public var sessions: Int
    public var usage: Usage
    public var costUsd: Double
    public var models: [ModelUsage]
    public var burnRate: BurnRate?
    public var projection: Projection?
}

public struct BurnRate: Sendable, Equatable {
    /// All tokens (cache included) per minute between the block's first and last call.
    public var tokensPerMinute: Double
    /// Input and output only: ccusage's indicator of a heavy burn.
    public var tokensPerMinuteForIndicator: Double
    public var costPerHour: Double
}

public struct Projection: Sendable, Equatable {
    public var totalTokens: Int64
    public var costUsd: Double
    public var remainingMinutes: Int
    public init(totalTokens: Int64, costUsd: Double, remainingMinutes: Int) {
        self.totalTokens = totalTokens; self.costUsd = costUsd; self.remainingMinutes = remainingMinutes
    }
}

public enum UsageBlocks {
    public static let duration: TimeInterval = 5 * 3600

    /// Blocks oldest first. A call starts a new block when it comes more than five hours after the block's start
    /// or after the previous call; the second case also leaves a gap block between them. A block is active while
    /// `now` is before its end and less than five hours after its last call.
    public static func identify(_ entries: [UsageEntry], now: Date) -> [UsageBlock] {
        let sorted = entries.sorted { $0.time < $1.time }
        var blocks: [UsageBlock] = []
        var start: Date?, current: [UsageEntry] = []
        for e in sorted {
            if let s = start, let last = current.last?.time {
                let sinceStart = e.time.timeIntervalSince(s), sinceLast = e.time.timeIntervalSince(last)
                if sinceStart > duration || sinceLast > duration {
                    blocks.append(block(s, current, now: now))
                    if sinceLast > duration { blocks.append(gap(after: last, next: e.time)) }
                    start = floorToHour(e.time); current = []
                }
            } else { start = floorToHour(e.time) }
            current.append(e)
        }
        if let s = start, !current.isEmpty { blocks.append(block(s, current, now: now)) }
        return blocks
    }

    /// Hours and minutes as ccusage writes a block's times (`2h 10m`, `45m`).
    public static func hm(_ seconds: TimeInterval) -> String {
        let m = max(0, Int(seconds / 60))
        return m >= 60 ? "\(m / 60)h \(m % 60)m" : "\(m)m"
    }

    static func floorToHour(_ t: Date) -> Date {
        Date(timeIntervalSince1970: (t.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
    }

    static func block(_ start: Date, _ es: [UsageEntry], now: Date) -> UsageBlock {
        let end = start.addingTimeInterval(duration), last = es.last!.time
        let active = now.timeIntervalSince(last) < duration && now < end
        var b = UsageBlock(start: start, end: end, actualEnd: last, isActive: active, isGap: false, entries: es.count,
                           sessions: Set(es.map(\.sessionId)).count, usage: UsagePeriods.total(es),
                           costUsd: es.reduce(0) { $0 + $1.costUsd }, models: UsagePeriods.byModel(es))
        if active {
            b.burnRate = burnRate(b, first: es.first!.time)
            b.projection = b.burnRate.map { projection(b, $0, now: now) }
        }
        return b
    }

    static func gap(after last: Date, next: Date) -> UsageBlock {
        UsageBlock(start: last.addingTimeInterval(duration), end: next, actualEnd: nil, isActive: false, isGap: true, entries: 0,
                   sessions: 0, usage: Usage(), costUsd: 0, models: [])
    }

    /// Over the minutes from the first call to the last; none when they are the same minute's zero.
    static func burnRate(_ b: UsageBlock, first: Date) -> BurnRate? {
        guard let last = b.actualEnd else { return nil }
        let minutes = last.timeIntervalSince(first) / 60
        guard minutes > 0 else { return nil }
        return BurnRate(tokensPerMinute: Double(b.usage.totalTokens) / minutes,
                        tokensPerMinuteForIndicator: Double(b.usage.inputTokens + b.usage.outputTokens) / minutes,
                        costPerHour: b.costUsd / minutes * 60)
    }

    /// The block's totals if calls go on at the burn rate until its end (remaining minutes rounded, the cost to
    /// the cent, as ccusage's `project_block_usage`).
    static func projection(_ b: UsageBlock, _ rate: BurnRate, now: Date) -> Projection {
        let remaining = (b.end.timeIntervalSince(now) / 60).rounded()
        let tokens = Double(b.usage.totalTokens) + rate.tokensPerMinute * remaining
        let cost = b.costUsd + rate.costPerHour / 60 * remaining
        return Projection(totalTokens: Int64(tokens.rounded()), costUsd: (cost * 100).rounded() / 100, remainingMinutes: Int(remaining))
    }
}
