/// Mutated transcript files (Claude Code session JSONL, Claude stream-json, Codex JSONL) grown from valid
/// ones: each case keeps most lines valid, so the importers get past format detection and meet the damage
/// deep inside the records they understand.
public struct TranscriptMutator {
    public enum Mutation: String, CaseIterable, Sendable {
        case byteFlip, truncate, splice, deepNesting, hugeNumber, wrongType, invalidUTF8, controlCharacters,
             hostileString, duplicate, drop, emptyLine
    }

    let lines: [[UInt8]]

    /// - Parameters: seed: one valid transcript file; maxLines: only its first lines are kept, so the
    ///   mutations land densely and every case imports fast.
    public init(seed file: [UInt8], maxLines: Int = 40) {
        lines = Array(file.split(separator: 0x0A, omittingEmptySubsequences: true).prefix(maxLines).map(Array.init))
    }

    /// Keys whose string values become text a person reads (titles, messages, tool input and output).
    static let textKeys = ["text", "content", "title", "summary", "message", "output", "thinking", "name", "command",
                           "result", "aggregated_output", "cwd", "model", "slug", "description", "input"].map { Array("\"\($0)\":\"".utf8) }

    /// One mutated file and the mutations applied, in order (for the failure message).
    public func generate(_ rng: inout SeededRandom) -> (bytes: [UInt8], mutations: [Mutation]) {
        var out = lines
        var applied: [Mutation] = []
        for _ in 0..<(1 + rng.below(4)) where !out.isEmpty {
            let m = rng.pick(Mutation.allCases)
            applied.append(m)
            let i = rng.below(out.count)
            switch m {
            case .byteFlip:
                for _ in 0..<(1 + rng.below(3)) where !out[i].isEmpty {
                    out[i][rng.below(out[i].count)] ^= UInt8(1 << rng.below(8))
                }
            case .truncate: out[i] = Array(out[i].prefix(rng.below(out[i].count + 1)))
            case .splice:
                let j = rng.below(out.count)
                out[i] = Array(out[i].prefix(rng.below(out[i].count + 1))) + Array(out[j].suffix(rng.below(out[j].count + 1)))
            case .deepNesting:
                let depth = rng.pick([64, 512, 5_000, 100_000])
                let open: [UInt8] = rng.chance(50) ? Array("[".utf8) : Array("{\"a\":".utf8)
                out[i] = replaceValue(in: out[i], with: Array(repeating: open, count: depth).flatMap { $0 }, &rng)
            case .hugeNumber:
                let n = rng.pick(["1e309", "-1e309", "99999999999999999999999999", "-9223372036854775809", "1.7976931348623157e308",
                                  "0.0000000000000000000000000001", "-0", "18446744073709551616", "4e-400", "123456789012345678901234567890.5"])
                out[i] = replaceValue(in: out[i], with: Array(n.utf8), &rng)
            case .wrongType:
                let v = rng.pick(["null", "true", "[]", "{}", "\"\"", "0", "[[[]]]", "{\"type\":{}}", "\"text\"", "-1"])
                out[i] = replaceValue(in: out[i], with: Array(v.utf8), &rng)
            case .invalidUTF8:
                let junk: [[UInt8]] = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xC2]]
                out[i].insert(contentsOf: rng.pick(junk), at: rng.below(out[i].count + 1))
            case .controlCharacters:
                let c: [UInt8] = [0x00, 0x07, 0x08, 0x0D, 0x1B, 0x7F, 0x9B, 0x1B, 0x5B, 0x32, 0x4A]
                out[i].insert(contentsOf: (0..<(1 + rng.below(4))).map { _ in rng.pick(c) }, at: rng.below(out[i].count + 1))
            case .hostileString:
                // Inside a JSON string, escaped as JSON would: the importer decodes it into the real bytes.
                out[i] = replaceString(in: out[i], with: jsonEscaped(rng.pick(HostileStrings.all)), &rng)
            case .duplicate: out.insert(out[i], at: rng.below(out.count + 1))
            case .drop: out.remove(at: i)
            case .emptyLine: out.insert([], at: rng.below(out.count + 1))
            }
        }
        var bytes = out.joined(separator: [0x0A]).map { $0 }
        if rng.chance(80) { bytes.append(0x0A) }
        return (bytes, applied)
    }

    /// Replaces the value after a random `":` with `value` (the rest of the line is kept, often making it invalid).
    func replaceValue(in line: [UInt8], with value: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        let colons = line.indices.filter { $0 > 0 && line[$0] == 0x3A && line[$0 - 1] == 0x22 }
        guard !colons.isEmpty else { return value }
        let c = rng.pick(colons) + 1
        var end = c
        var depth = 0, inString = false
        // Skip the old value: a string, a number or a whole nested value.
        while end < line.count {
            let b = line[end]
            if inString {
                if b == 0x5C { end += 2; continue }
                if b == 0x22 { inString = false; if depth == 0 { end += 1; break } }
            } else if b == 0x22 { inString = true }
            else if b == 0x7B || b == 0x5B { depth += 1 }
            else if b == 0x7D || b == 0x5D { if depth == 0 { break }; depth -= 1; if depth == 0 { end += 1; break } }
            else if (b == 0x2C) && depth == 0 { break }
            end += 1
        }
        return Array(line[..<c]) + value + Array(line[min(end, line.count)...])
    }

    /// Replaces the contents of a random JSON string value with `text` (already JSON-escaped).
    func replaceString(in line: [UInt8], with text: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        let all = line.indices.filter { $0 > 1 && line[$0] == 0x22 && line[$0 - 1] == 0x3A && line[$0 - 2] == 0x22 }
        // Mostly the values a person reads, sometimes any (ids, types, roles).
        let readable = all.filter { q in Self.textKeys.contains { k in q + 1 >= k.count && Array(line[(q + 1 - k.count)...q]) == k } }
        let starts = readable.isEmpty || rng.chance(25) ? all : readable
        guard !starts.isEmpty else { return line }
        let s = rng.pick(starts) + 1
        var e = s
        while e < line.count, line[e] != 0x22 { e += line[e] == 0x5C ? 2 : 1 }
        return Array(line[..<s]) + text + (text.isEmpty || rng.chance(50) ? [] : Array(line[s..<min(e, line.count)])) + Array(line[min(e, line.count)...])
    }

    /// JSON string escaping of arbitrary text (controls as \u00XX, the rest as UTF-8).
    public func jsonEscaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0..<0x20, 0x7F...0x9F:
                let hex = String(u.value, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out += Array(String(u).utf8)
            }
        }
        return out
    }
}
