import Foundation
import Core
import Render

/// The sessions screen's top line: `Today $1.23  Block 09:00–14:00 UTC 2h 10m left $0.67/h → $2.51  14d ▁▂▅█ $12.34`.
enum UsageStripView {
    static func line(_ u: UsageStrip?, now: Date, theme: Theme) -> StyledLine {
        let label = theme[.header], text = theme[.text], dim = theme[.textDim]
        guard let u else { return [Styled.literal("usage loading…", dim)] }
        var out: StyledLine = [Styled.literal("Today ", label), Styled.literal(money(u.todayCost), text), Styled.literal("  Block ", label)]
        if let b = u.activeBlock {
            out.append(Styled.literal("\(clock(b.start))–\(clock(b.end)) UTC ", text))
            out.append(Styled.literal("\(UsageBlocks.hm(b.end.timeIntervalSince(now))) left", theme[.execRunning]))
            // A rate over calls seconds apart (a fresh block, the demo's runs) says nothing: shown once they span a minute.
            if let r = b.burnRate, r.costPerHour > 0, b.costUsd / r.costPerHour * 60 >= 1 {
                out.append(Styled.literal(" " + money(r.costPerHour) + "/h", text))
                if let p = b.projection { out.append(Styled.literal(" → " + money(p.costUsd), text)) }
            }
        } else {
            out.append(Styled.literal("none active", dim))
        }
        out += [Styled.literal("  \(UsageStrip.days)d ", label), Styled.literal(sparkline(u.daily), theme[.execSucceeded]),
                Styled.literal(" " + money(u.daily.reduce(0, +)), text)]
        return out
    }

    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One bar per value, the highest full; a day without cost is the lowest bar, like any day of almost none.
    static func sparkline(_ values: [Double]) -> String {
        let top = values.max() ?? 0
        return String(values.map { v in top > 0 ? bars[min(bars.count - 1, Int((max(0, v) / top * Double(bars.count - 1)).rounded()))] : bars[0] })
    }

    static func money(_ d: Double) -> String { String(format: "$%.2f", d) }

    static func clock(_ t: Date) -> String {
        let s = Int(t.timeIntervalSince1970.rounded(.down)) % 86_400
        return String(format: "%02d:%02d", s / 3600, s % 3600 / 60)
    }
}
