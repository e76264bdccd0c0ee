import Foundation

/// The one parser of dates in agentmon: `--due`, `--since`, the dashboard's forms and the time columns both
/// drivers return. Every field is range-checked (leap years included) and nothing may trail, because `timegm`
/// would otherwise roll `2026-13-45` over to 2027-02-14 without a word.
///
/// Accepted: `YYYY-MM-DD`, or `YYYY-MM-DD[T ]HH:MM[:SS[.f…]]` followed by nothing (UTC), `Z`, `±HH`,
/// `±HHMM` or `±HH:MM` (at most 18 hours, as ISO 8601 and java.time allow).
enum SQLTimeParser {
    static func parse(_ s: String) -> Date? {
        var p = Cursor(bytes: Array(s.utf8))
        guard let y = p.digits(4), p.eat("-"), let mo = p.digits(2), p.eat("-"), let d = p.digits(2) else { return nil }
        guard (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d) else { return nil }
        var h = 0, mi = 0, sec = 0, frac = 0.0, offset = 0
        if !p.atEnd {
            guard p.eat("T") || p.eat("t") || p.eat(" "), let hh = p.digits(2), p.eat(":"), let mm = p.digits(2) else { return nil }
            h = hh; mi = mm
            if p.eat(":") {
                guard let ss = p.digits(2) else { return nil }
                sec = ss
                if p.eat(".") {
                    var scale = 0.1, any = false
                    while let digit = p.digit() { frac += Double(digit) * scale; scale /= 10; any = true }
                    guard any else { return nil }
                }
            }
            guard (0...23).contains(h), (0...59).contains(mi), (0...59).contains(sec) else { return nil }
            if !p.atEnd {
                guard let o = offsetSeconds(&p) else { return nil }
                offset = o
            }
        }
        guard p.atEnd else { return nil }
        let days = daysFromCivil(y, mo, d)
        let seconds = days * 86_400 + h * 3600 + mi * 60 + sec - offset
        return Date(timeIntervalSince1970: Double(seconds) + frac)
    }

    /// `Z`, `±HH`, `±HHMM` or `±HH:MM`, at most ±18:00.
    private static func offsetSeconds(_ p: inout Cursor) -> Int? {
        if p.eat("Z") || p.eat("z") { return 0 }
        let sign: Int
        if p.eat("+") { sign = 1 } else if p.eat("-") { sign = -1 } else { return nil }
        guard let oh = p.digits(2) else { return nil }
        var om = 0
        if p.eat(":") {
            guard let m = p.digits(2) else { return nil }
            om = m
        } else if !p.atEnd {
            guard let m = p.digits(2) else { return nil }
            om = m
        }
        guard oh <= 18, om <= 59, oh * 60 + om <= 18 * 60 else { return nil }
        return sign * (oh * 3600 + om * 60)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil): no libc, no
    /// time zone, no normalisation of out-of-range fields.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private struct Cursor {
        let bytes: [UInt8]
        var i = 0
        var atEnd: Bool { i >= bytes.count }

        mutating func eat(_ c: Unicode.Scalar) -> Bool {
            guard i < bytes.count, bytes[i] == UInt8(c.value) else { return false }
            i += 1
            return true
        }

        mutating func digit() -> Int? {
            guard i < bytes.count, (48...57).contains(bytes[i]) else { return nil }
            defer { i += 1 }
            return Int(bytes[i] - 48)
        }

        /// Exactly `n` ASCII digits.
        mutating func digits(_ n: Int) -> Int? {
            guard i + n <= bytes.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard (48...57).contains(bytes[k]) else { return nil }
                v = v * 10 + Int(bytes[k] - 48)
            }
            i += n
            return v
        }
    }
}
