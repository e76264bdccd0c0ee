import Foundation
import Core
import Storage

extension BoardLoader {
    /// The sessions screen's usage strip: the calls of the last 14 days (UTC), priced as `agentmon cost` prices them.
    func usage(now: Date) throws -> UsageStrip {
        let entries = try store.sessions.usageEntries(since: UsageStrip.since(now: now), prices: try store.settings.priceTable())
        return UsageStrip.from(entries, now: now)
    }
}
