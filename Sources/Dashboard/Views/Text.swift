import Foundation
import Render

/// Small helpers for building styled lines from untrusted text.
enum T {
    /// Untrusted text as one safe run (escapes made visible, control characters shown).
    static func s(_ text: String, _ style: Style) -> [StyledRun] { Sanitizer.runs(text, style: style) }
    /// Trusted text the dashboard wrote itself.
    static func lit(_ text: String, _ style: Style) -> StyledRun { StyledRun(text, style: style) }
    /// Untrusted multi-line text, one line per element, wrapped to `width`.
    static func paragraph(_ text: String, _ style: Style, width: Int) -> [StyledLine] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [StyledLine] in
            let runs = Sanitizer.runs(String(line), style: style, options: Sanitizer.Options(tabStop: 4))
            return runs.isEmpty ? [[]] : TextLayout.wrap(runs, width: max(10, width))
        }
    }
}

enum Dates {
    static func day(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[Int(tmv.tm_mon)]) \(tmv.tm_mday)"
    }

    static func ago(_ d: Date, now: Date) -> String {
        let s = Int(now.timeIntervalSince(d))
        if s < 60 { return "\(max(0, s))s ago" }
        if s < 3600 { return "\(s / 60)m ago" }
        if s < 86_400 { return "\(s / 3600)h ago" }
        return "\(s / 86_400)d ago"
    }
}
