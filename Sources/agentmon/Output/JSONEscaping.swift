/// JSONEncoder escapes C0 controls but writes C1 controls (a raw U+009B is a CSI to many terminals) and bidi
/// overrides (which reorder what a person reads) as they are. Outside strings JSON holds only ASCII, so every
/// such scalar in the encoded text is inside a string and becomes a `\uXXXX` escape: the same value to a JSON
/// reader, inert on a terminal.
enum JSONEscaping {
    static func needsEscape(_ v: UInt32) -> Bool {
        (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C || v == 0x2028 || v == 0x2029
    }

    static func escapeTerminalHazards(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { needsEscape($0.value) }) else { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if needsEscape(s.value) {
                let hex = String(s.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
