/// TOML's four kinds of string. The bytes were checked as UTF-8 before parsing, so non-ASCII bytes are
/// copied through as they are; only escapes produce new ones.
extension TOMLParser {
    private static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")

    /// `"…"` with escapes, on one line.
    mutating func basicString() throws(Failure) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            copyRun(until: Self.quote, escapes: true, into: &out)
            guard let c = peek() else { throw fail("unterminated string: no closing '\"'") }
            switch c {
            case Self.quote: i += 1; return String(decoding: out, as: UTF8.self)
            case Self.backslash: try escape(into: &out)
            case 0x0A, 0x0D: throw fail("unterminated string: the line ends before the closing '\"'")
            default: try plain(c, into: &out)
            }
        }
    }

    /// `'…'`: no escapes, on one line.
    mutating func literalString() throws(Failure) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            copyRun(until: Self.apostrophe, escapes: false, into: &out)
            guard let c = peek() else { throw fail("unterminated string: no closing \"'\"") }
            switch c {
            case Self.apostrophe: i += 1; return String(decoding: out, as: UTF8.self)
            case 0x0A, 0x0D: throw fail("unterminated string: the line ends before the closing \"'\"")
            default: try plain(c, into: &out)
            }
        }
    }

    /// `"""…"""`: escapes, newlines, and a backslash at a line's end that swallows the following whitespace.
    mutating func multilineBasicString() throws(Failure) -> String {
        i += 3
        _ = newline()  // a newline right after the opening quotes is not part of the string
        var out: [UInt8] = []
        while true {
            copyRun(until: Self.quote, escapes: true, into: &out)
            guard let c = peek() else { throw fail("unterminated multi-line string: no closing '\"\"\"'") }
            if c == Self.quote {
                if try closes(Self.quote, into: &out) { return String(decoding: out, as: UTF8.self) }
                continue
            }
            if c == Self.backslash {
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < bytes.count, bytes[j] == 0x0A || (bytes[j] == 0x0D && j + 1 < bytes.count && bytes[j + 1] == 0x0A) {
                    i = j
                    while true {
                        skipSpaces()
                        if !newline() { break }
                    }
                    continue
                }
                try escape(into: &out)
                continue
            }
            try multilinePlain(c, into: &out)
        }
    }

    /// `'''…'''`: newlines allowed, no escapes.
    mutating func multilineLiteralString() throws(Failure) -> String {
        i += 3
        _ = newline()
        var out: [UInt8] = []
        while true {
            copyRun(until: Self.apostrophe, escapes: false, into: &out)
            guard let c = peek() else { throw fail("unterminated multi-line string: no closing \"'''\"") }
            if c == Self.apostrophe {
                if try closes(Self.apostrophe, into: &out) { return String(decoding: out, as: UTF8.self) }
                continue
            }
            try multilinePlain(c, into: &out)
        }
    }

    /// At a quote in a multi-line string: true (and consumed) when it is the closing delimiter. One or
    /// two quotes right before the closing three belong to the string.
    private mutating func closes(_ q: UInt8, into out: inout [UInt8]) throws(Failure) -> Bool {
        var run = 0
        while peek(run) == q { run += 1 }
        guard run >= 3 else {
            out.append(contentsOf: repeatElement(q, count: run))
            i += run
            return false
        }
        guard run <= 5 else { throw Failure("too many quotes at the end of a multi-line string", at: i + 5) }
        out.append(contentsOf: repeatElement(q, count: run - 3))
        i += run
        return true
    }

    /// Copies ordinary bytes in one go, up to the next delimiter, backslash or control byte (which the
    /// callers handle one at a time): long strings cost a tight loop, not a call per byte.
    private mutating func copyRun(until delimiter: UInt8, escapes: Bool, into out: inout [UInt8]) {
        let start = i, n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == delimiter || (c < 0x20 && c != 0x09) || c == 0x7F || (escapes && c == Self.backslash) { break }
            i += 1
        }
        if i > start { out.append(contentsOf: bytes[start..<i]) }
    }

    private mutating func multilinePlain(_ c: UInt8, into out: inout [UInt8]) throws(Failure) {
        if newline() { out.append(0x0A); return }
        if c == 0x0D { throw fail("a carriage return must be followed by a newline") }
        try plain(c, into: &out)
    }

    private mutating func plain(_ c: UInt8, into out: inout [UInt8]) throws(Failure) {
        if Self.isControl(c) {
            throw fail("control character 0x\(String(c, radix: 16, uppercase: true)) in a string; write it as an escape")
        }
        out.append(c)
        i += 1
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX` (TOML 1.0 has no others).
    private mutating func escape(into out: inout [UInt8]) throws(Failure) {
        let start = i
        i += 1
        guard let e = peek() else { throw fail("unterminated string after '\\'") }
        i += 1
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case Self.quote: out.append(Self.quote)
        case Self.backslash: out.append(Self.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = e == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for k in 0..<width {
                guard let d = peek(k).flatMap(Self.hexDigit) else {
                    throw Failure("'\\\(Character(Unicode.Scalar(e)))' needs \(width) hex digits", at: start)
                }
                value = value << 4 | UInt32(d)
            }
            i += width
            guard let scalar = Unicode.Scalar(value) else {
                throw Failure("'\\\(Character(Unicode.Scalar(e)))\(String(value, radix: 16, uppercase: true))' is not a Unicode scalar value", at: start)
            }
            UTF8.encode(scalar) { out.append($0) }
        default:
            let shown = (0x21...0x7E).contains(e) ? String(Character(Unicode.Scalar(e))) : "0x" + String(e, radix: 16)
            throw Failure("invalid escape '\\\(shown)' in a string", at: start)
        }
    }

    static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
