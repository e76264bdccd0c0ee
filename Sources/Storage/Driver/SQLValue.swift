import Foundation

/// A value bound to or read from SQL. Both drivers convert to and from these.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public static func bool(_ b: Bool) -> SQLValue { .int(b ? 1 : 0) }
    public static func date(_ d: Date) -> SQLValue { .text(SQLTime.format(d)) }
    public static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    public static func optional(_ i: Int64?) -> SQLValue { i.map { .int($0) } ?? .null }
    public static func optional(_ i: Int?) -> SQLValue { i.map { .int(Int64($0)) } ?? .null }
    public static func optional(_ d: Date?) -> SQLValue { d.map { .date($0) } ?? .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }
}

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

    /// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fff…][Z|±HH[:MM]]`, or a bare date.
    public static func parse(_ s: String) -> Date? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2) else {
            return nil
        }
        var h = 0, mi = 0, sec = 0
        var frac = 0.0
        var i = 10
        if b.count > 10 {
            guard b[10] == 84 || b[10] == 32, let hh = num(11, 2), b.count > 13, b[13] == 58, let mm = num(14, 2)
            else { return nil }
            h = hh; mi = mm; i = 16
            if i < b.count, b[i] == 58, let ss = num(17, 2) { sec = ss; i = 19 }
            if i < b.count, b[i] == 46 {
                i += 1
                var scale = 0.1
                while i < b.count, b[i] >= 48, b[i] <= 57 { frac += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            }
        }
        var offset = 0
        if i < b.count {
            switch b[i] {
            case 90: i += 1  // Z
            case 43, 45:
                let sign = b[i] == 45 ? -1 : 1
                guard let oh = num(i + 1, 2) else { return nil }
                var om = 0
                if let m = num(i + 4, 2), b[i + 3] == 58 { om = m } else if let m = num(i + 3, 2) { om = m }
                offset = sign * (oh * 3600 + om * 60)
            default: return nil
            }
        }
        var tmv = tm()
        tmv.tm_year = Int32(y - 1900); tmv.tm_mon = Int32(mo - 1); tmv.tm_mday = Int32(d)
        tmv.tm_hour = Int32(h); tmv.tm_min = Int32(mi); tmv.tm_sec = Int32(sec)
        let epoch = timegm(&tmv)
        return Date(timeIntervalSince1970: Double(epoch - offset) + frac)
    }
}
