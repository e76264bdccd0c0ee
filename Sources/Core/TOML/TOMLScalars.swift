/// Booleans, integers, floats and date-times: read as one token, then checked against TOML's grammar.
extension TOMLParser {
    private static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    private static func isTokenByte(_ c: UInt8) -> Bool {
        isBare(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }

    mutating func scalar() throws(Failure) -> TOMLValue {
        let start = i
        while let c = peek(), Self.isTokenByte(c) { i += 1 }
        // "1979-05-27 07:32:00": a date, one space, a time.
        if i - start == 10, Self.isDigit(bytes[start]), bytes[start + 4] == UInt8(ascii: "-"), peek() == 0x20,
           Self.isDigit(peek(1)), Self.isDigit(peek(2)), peek(3) == UInt8(ascii: ":") {
            i += 1
            while let c = peek(), Self.isTokenByte(c) { i += 1 }
        }
        guard i > start else { throw Failure("expected a value, found \(found())", at: start) }
        let token = Array(bytes[start..<i])
        let text = String(decoding: token, as: UTF8.self)
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        let looksLikeDate = token.count >= 10 && token[4] == UInt8(ascii: "-") && token[..<4].allSatisfy(Self.isDigit)
        let looksLikeTime = token.count >= 8 && token[2] == UInt8(ascii: ":") && token[..<2].allSatisfy(Self.isDigit)
        if looksLikeDate || looksLikeTime {
            guard let d = Self.dateTime(token) else { throw Failure("invalid date-time '\(shown)'", at: start) }
            return .dateTime(d)
        }
        guard let v = Self.number(token) else {
            let first = token.first ?? 0
            let what = Self.isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                ? "invalid number '\(shown)'" : "expected a value, found '\(shown)' (strings need quotes)"
            throw Failure(what, at: start)
        }
        return v
    }

    // MARK: - Numbers

    /// An integer (decimal, 0x, 0o, 0b) or a float (fraction, exponent, inf, nan); nil when neither.
    static func number(_ t: [UInt8]) -> TOMLValue? {
        var body = t[...]
        var negative = false
        if let s = body.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
            negative = s == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        let word = String(decoding: body, as: UTF8.self)
        if word == "inf" { return .float(negative ? -.infinity : .infinity) }
        if word == "nan" { return .float(negative ? -.nan : .nan) }
        if body.count > 2, body.first == UInt8(ascii: "0") {
            let radix: Int? = switch body.dropFirst().first {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            case UInt8(ascii: "b"): 2
            default: nil
            }
            if let radix {
                // No sign allowed on these (TOML 1.0).
                guard t.count == body.count, let digits = underscored(body.dropFirst(2), radix: radix),
                      let n = Int64(digits, radix: radix) else { return nil }
                return .integer(n)
            }
        }
        // Decimal: int-part [ "." digits ] [ ("e" | "E") [sign] digits ]
        let exp = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exp ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        let intPart = mantissa[..<(dot ?? mantissa.endIndex)]
        guard let whole = underscored(intPart, radix: 10) else { return nil }
        guard whole == "0" || !whole.hasPrefix("0") else { return nil }  // no leading zeros
        var text = (negative ? "-" : "") + whole
        if let dot {
            guard let frac = underscored(mantissa[mantissa.index(after: dot)...], radix: 10) else { return nil }
            text += "." + frac
        }
        if let exp {
            var e = body[body.index(after: exp)...]
            var sign = ""
            if let s = e.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
                sign = s == UInt8(ascii: "-") ? "-" : ""
                e = e.dropFirst()
            }
            guard let digits = underscored(e, radix: 10) else { return nil }  // leading zeros are fine here
            text += "e" + sign + digits
        }
        if dot == nil && exp == nil {
            return Int64(text).map { .integer($0) }  // nil when out of the 64-bit range
        }
        return Double(text).map { .float($0) }
    }

    /// The digits without underscores, when every underscore sits between two digits; nil otherwise.
    private static func underscored(_ s: ArraySlice<UInt8>, radix: Int) -> String? {
        guard !s.isEmpty else { return nil }
        var out = ""
        var previousWasDigit = false
        for c in s {
            if c == UInt8(ascii: "_") {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                continue
            }
            guard let d = hexDigit(c), Int(d) < radix else { return nil }
            out.unicodeScalars.append(Unicode.Scalar(c))
            previousWasDigit = true
        }
        return previousWasDigit ? out : nil
    }

    // MARK: - Dates and times

    /// `YYYY-MM-DD`, `HH:MM:SS[.frac]`, or both joined by `T`, `t` or a space, with an optional
    /// `Z` / `±HH:MM` offset after a date-time.
    static func dateTime(_ t: [UInt8]) -> TOMLDateTime? {
        var k = 0
        func digits(_ n: Int) -> Int? {
            guard k + n <= t.count, t[k..<(k + n)].allSatisfy(isDigit) else { return nil }
            defer { k += n }
            return t[k..<(k + n)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        func expect(_ c: Character) -> Bool {
            guard k < t.count, t[k] == c.asciiValue else { return false }
            k += 1
            return true
        }
        var result = TOMLDateTime(date: nil, time: nil, offsetMinutes: nil)
        if t.count >= 5, t[4] == UInt8(ascii: "-") {
            guard let y = digits(4), expect("-"), let m = digits(2), expect("-"), let d = digits(2),
                  (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
            result.date = .init(year: y, month: m, day: d)
            guard k < t.count else { return result }
            guard t[k] == UInt8(ascii: "T") || t[k] == UInt8(ascii: "t") || t[k] == 0x20 else { return nil }
            k += 1
        }
        guard let h = digits(2), expect(":"), let mi = digits(2), expect(":"), let s = digits(2),
              h <= 23, mi <= 59, s <= 60 else { return nil }
        var nanos = 0
        if expect(".") {
            let from = k
            while k < t.count, isDigit(t[k]) { k += 1 }
            guard k > from else { return nil }
            for (n, c) in t[from..<min(k, from + 9)].enumerated() { nanos += Int(c - 0x30) * pow10(8 - n) }
        }
        result.time = .init(hour: h, minute: mi, second: s, nanosecond: nanos)
        guard k < t.count else { return result }
        guard result.date != nil else { return nil }  // a local time has no offset
        if expect("Z") || expect("z") {
            result.offsetMinutes = 0
        } else {
            guard k < t.count, t[k] == UInt8(ascii: "+") || t[k] == UInt8(ascii: "-") else { return nil }
            let sign = t[k] == UInt8(ascii: "-") ? -1 : 1
            k += 1
            guard let oh = digits(2), expect(":"), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            result.offsetMinutes = sign * (oh * 60 + om)
        }
        return k == t.count ? result : nil
    }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
