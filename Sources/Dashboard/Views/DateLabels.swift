import Foundation

/// Dates as the views show them: a day, or how long ago.
enum Dates {
    static func day(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[Int(tmv.tm_mon)]) \(tmv.tm_mday)"
    }

    /// A clock time in the local zone (`TZ`), as a person reads "resets at 14:05".
    static func clock(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return String(format: "%02d:%02d", Int(tmv.tm_hour), Int(tmv.tm_min))
    }

    static func ago(_ d: Date, now: Date) -> String {
        let s = Int(now.timeIntervalSince(d))
        if s < 60 { return "\(max(0, s))s ago" }
        if s < 3600 { return "\(s / 60)m ago" }
        if s < 86_400 { return "\(s / 3600)h ago" }
        return "\(s / 86_400)d ago"
    }
}
