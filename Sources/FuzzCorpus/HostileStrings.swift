/// Text that attacks a terminal or a parser, for fuzzed titles, slugs, arguments and transcript fields.
public enum HostileStrings {
    public static let osc = "\u{1B}]2;pwned\u{07}"           // retitles the terminal
    public static let csi = "\u{1B}[2J\u{1B}[31mred"          // clears the screen, colours
    public static let c1CSI = "\u{9B}31m"                     // an 8-bit CSI (U+009B)
    public static let c1OSC = "\u{9D}0;pwned\u{9C}"           // an 8-bit OSC (U+009D) … ST
    public static let bidi = "abc\u{202E}txt.exe"             // right-to-left override
    public static let isolate = "\u{2066}x\u{2069}\u{200F}\u{061C}"

    public static let all: [String] = [
        osc, csi, c1CSI, c1OSC, bidi, isolate,
        "", " ", "\0", "\u{7F}", "\r\n", "a\nb", "\u{08}\u{08}\u{08}hidden", "\t",
        "\u{1B}P+q\u{1B}\\", "\u{1B}]52;c;aGVsbG8=\u{07}", "\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\",
        "\u{FEFF}bom", "\u{200B}zwsp", "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}", "👩‍👩‍👧‍👦", "\u{FFFD}",
        "-1", "-0", "0", "99999999999999999999999", "-9223372036854775808", "1e309", "NaN", "0x10",
        "--json", "--", "-", "--db", "'; DROP TABLE tasks; --", "$(reboot)", "../../../etc/passwd",
        String(repeating: "A", count: 5_000), String(repeating: "\u{1B}[", count: 200),
        // Short paths Foundation's NSString path methods trap on (`agentmon --db x` did: PathText).
        "x", "é", "x/", "a//é", "///a//",
    ]

    public static let badDates = ["2026-13-45", "2026-02-30", "2025-02-29", "2026-01-01T25:61", "2026-01-01T10:00+99:00",
                                  "2026-1-1", "2026-01-01T", "2026-01-01Z", "20260101", "next tuesday", "2026-00-10",
                                  "2026-01-00", "2026-01-01T10:00:60", "2026-01-01T10:00:00.Z", "2026-01-01T10:00+01:00x"]
    public static let goodDates = ["2024-02-29", "2026-12-01", "2026-12-01T17:00", "2026-12-01T17:00:00Z",
                                   "2026-12-01T17:00:00.250+02:00", "2026-12-01 17:00:00-0530", "2000-02-29T23:59:59+14:00"]
    public static let badURLs = ["mysql://user:s3cret@127.0.0.1/db", "http://example.com/db", "postgress://u:s3cret@h/db",
                                 "file:///tmp/agentmon-fuzz.db", "sqlite://x.db", "ftp://a:b@c/d", "HTTPS://x/y", ""]
}

/// Finds what a terminal would act on in bytes written to it: ESC, other C0 controls than newline and tab,
/// DEL, C1 controls (raw or UTF-8) and bidi overrides or isolates. nil when the bytes are safe.
public enum TerminalHazards {
    public static func first(in bytes: [UInt8]) -> String? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B { return "ESC at byte \(i)" }
            if b < 0x20 && b != 0x0A && b != 0x09 { return "C0 control 0x\(String(b, radix: 16)) at byte \(i)" }
            if b == 0x7F { return "DEL at byte \(i)" }
            if b >= 0x80 {
                // Decode one UTF-8 scalar; a lone 0x80–0x9F byte is an 8-bit C1 control to some terminals.
                guard let (v, len) = decode(bytes, i) else { return "invalid UTF-8 byte 0x\(String(b, radix: 16)) at byte \(i)" }
                if (0x80...0x9F).contains(v) { return "C1 control U+\(String(v, radix: 16)) at byte \(i)" }
                if isBidi(v) { return "bidi control U+\(String(v, radix: 16)) at byte \(i)" }
                i += len
                continue
            }
            i += 1
        }
        return nil
    }

    public static func first(in s: String) -> String? { first(in: Array(s.utf8)) }

    static func isBidi(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }

    static func decode(_ p: [UInt8], _ i: Int) -> (UInt32, Int)? {
        let b0 = p[i]
        let len: Int, initial: UInt32
        switch b0 {
        case 0xC2...0xDF: len = 2; initial = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: len = 3; initial = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: len = 4; initial = UInt32(b0 & 0x07)
        default: return nil
        }
        guard i + len <= p.count else { return nil }
        var v = initial
        for k in 1..<len {
            guard p[i + k] & 0xC0 == 0x80 else { return nil }
            v = v << 6 | UInt32(p[i + k] & 0x3F)
        }
        return (v, len)
    }
}
