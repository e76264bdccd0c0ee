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
        // Digits by hand: `String(format:)` took a tenth of an import's time (one date per message).
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for k in stride(from: at + width - 1, through: at, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
        }
        let year = Int(tmv.tm_year) + 1900
        guard (0...9999).contains(year) else {
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, Int(tmv.tm_mon) + 1,
                          Int(tmv.tm_mday), Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec), Int(millis))
        }
        put(year, 0, 4); out[4] = 45; put(Int(tmv.tm_mon) + 1, 5, 2); out[7] = 45; put(Int(tmv.tm_mday), 8, 2)
        out[10] = 84; put(Int(tmv.tm_hour), 11, 2); out[13] = 58; put(Int(tmv.tm_min), 14, 2); out[16] = 58
        put(Int(tmv.tm_sec), 17, 2); out[19] = 46; put(Int(millis), 20, 3); out[23] = 90
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a date the user typed or a database returned; see `SQLTimeParser`.
    public static func parse(_ s: String) -> Date? { SQLTimeParser.parse(s) }

    /// What `parse` accepts, for error messages.
    public static let acceptedForms = "YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional Z or ±HH[:MM] offset (e.g. 2026-12-01, 2026-12-01T17:00:00Z, 2026-12-01T17:00+02:00)"
}
