import Foundation
import Core

/// The usage strip at the top of the sessions screen, as a ccusage user reads it: today's cost, the active 5-hour
/// block (time left, burn rate, projected cost) and the cost of each of the last 14 days (UTC, as `agentmon cost`).
public struct UsageStrip: Sendable, Equatable {
    public var todayCost: Double
    /// Oldest first, today last; always `UsageStrip.days` long.
    public var daily: [Double]
    public var activeBlock: UsageBlock?
    public static let days = 14
    public init(todayCost: Double = 0, daily: [Double] = Array(repeating: 0, count: UsageStrip.days), activeBlock: UsageBlock? = nil) {
        self.todayCost = todayCost; self.daily = daily; self.activeBlock = activeBlock
    }

    /// From the calls since the first of the 14 days (midnight UTC, 13 days before today's).
    public static func from(_ entries: [UsageEntry], now: Date) -> UsageStrip {
        let byDay = Dictionary(UsagePeriods.group(entries, by: .day).map { ($0.key, $0.costUsd) }) { a, _ in a }
        let daily = (0..<days).reversed().map { back in byDay[UsagePeriods.key(now.addingTimeInterval(-Double(back) * 86_400), .day)] ?? 0 }
        return UsageStrip(todayCost: daily.last ?? 0, daily: daily,
                          activeBlock: UsageBlocks.identify(entries, now: now).last { $0.isActive })
    }

    /// Midnight UTC of the first of the 14 days.
    public static func since(now: Date) -> Date {
        let today = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: today - Double(days - 1) * 86_400)
    }
}
