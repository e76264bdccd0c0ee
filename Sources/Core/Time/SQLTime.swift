import Foundation

/// Times are stored as UTC ISO-8601 text with milliseconds in SQLite, and as `timestamptz` in PostgreSQL
/// (which returns `2026-11-21 21:56:13.123+00` with the session time zone set to UTC). Both parse here.
public enum SQLTime {
    public static func format(_ d: Date) -> String {
        let ms = Int64((d.timeIntervalSince1970 * 1000).rounded())
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - secs * 1000
        var t = time_t(secs)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1,
                      Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec), Int(millis))
    }

    /// Parses a date the user typed or a database returned; see `SQLTimeParser`.
    public static func parse(_ s: String) -> Date? { SQLTimeParser.parse(s) }

    /// What `parse` accepts, for error messages.
    public static let acceptedForms = "YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional Z or ±HH[:MM] offset (e.g. 2026-12-01, 2026-12-01T17:00:00Z, 2026-12-01T17:00+02:00)"
}
