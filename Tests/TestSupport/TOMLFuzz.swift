import Foundation
import FuzzCorpus

/// Seeded mutations of valid TOML files, for the config-file fuzz tests: the same seed gives the same
/// cases, so a failure can be reproduced from its seed and index. `scripts/fuzz` does the same in Python
/// against the release binary.
public struct TOMLFuzz {
    /// The inputs that crashed or hung agentmon while it used toml++ (issue 9); every run starts with them.
    public static let knownCrashes: [[UInt8]] = [
        "[", "[#]", "[.a]", "[[[a]]]", "[\n]", "[styles]\n[", "[keys]\n[.a]",
        "[colors]\n\"\\u0000\" = \"red\"", "[keys]\n\"\\u0000\" = \"x\"", "\"\\u0000\" = 1", "[\"\\u0000\"]\na = 1",
        "a = " + String(repeating: "[", count: 100_000), "a = " + String(repeating: "{a=", count: 100_000),
    ].map { Array($0.utf8) } + [[0xFF, 0xFE, 0x00], Array("theme = \"".utf8) + [0xC3, 0x28, 0x22]]

    /// What mutations insert: the characters that break TOML's structure.
    static let tokens: [String] = ["[", "]", "[[", "]]", "\"", "'", "\"\"\"", "'''", "\\u0000", "\\U0010FFFF", "\\uD800",
                                   "\\", "=", "\n", "\r", "{", "}", ".", ",", "#", "\0", "\t", "0x", "1979-05-27T", "inf"]

    private var rng: SeededRandom
    private let seeds: [[UInt8]]

    public init(seed: UInt64, seeds: [String]) {
        rng = SeededRandom(seed: seed)
        self.seeds = seeds.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    mutating func below(_ n: Int) -> Int { rng.below(n) }

    /// The known crashes first, then mutated seeds.
    public mutating func cases(_ count: Int) -> [[UInt8]] {
        (0..<count).map { $0 < Self.knownCrashes.count ? Self.knownCrashes[$0] : next() }
    }

    /// One to four mutations of a random seed file.
    public mutating func next() -> [UInt8] {
        var b = seeds.isEmpty ? [] : seeds[below(seeds.count)]
        for _ in 0...below(4) { mutate(&b) }
        return b
    }

    mutating func mutate(_ b: inout [UInt8]) {
        let at = below(b.count + 1)
        switch below(12) {
        case 0 where !b.isEmpty:  // flip a bit
            b[below(b.count)] ^= UInt8(1 << below(8))
        case 1, 2:  // a structural token
            b.insert(contentsOf: Array(Self.tokens[below(Self.tokens.count)].utf8), at: at)
        case 3 where !b.isEmpty:  // delete a run
            let end = min(b.count, at + 1 + below(16))
            if at < end { b.removeSubrange(at..<end) }
        case 4:  // splice: this file's start, another's end
            let other = seeds.isEmpty ? [] : seeds[below(seeds.count)]
            b = Array(b[..<at]) + Array(other[below(other.count + 1)...])
        case 5:  // truncate
            b.removeSubrange(at...)
        case 6:  // deep nesting
            let open = ["[", "{a=", "a.", "[a.", "[["][below(5)]
            b.insert(contentsOf: Array(String(repeating: open, count: 1 + below(below(2) == 0 ? 200 : 100_000)).utf8), at: at)
        case 7:  // a huge string, now and then over the reader's 1 MiB limit
            let n = below(20) == 0 ? (1 << 20) + 1 : below(200_000)
            b.insert(contentsOf: Array("s = \"".utf8) + [UInt8](repeating: 0x78, count: n) + Array("\"\n".utf8), at: at)
        case 8:  // bytes that are not UTF-8
            b.insert(contentsOf: (0...below(3)).map { _ in UInt8(0x80 + below(128)) }, at: at)
        case 9 where !b.isEmpty:  // repeat a line (duplicate keys and tables)
            let lines = b.split(separator: 0x0A, omittingEmptySubsequences: false)
            b += [0x0A] + lines[below(lines.count)]
        case 10:  // a random control or ASCII byte
            b.insert(UInt8(below(128)), at: at)
        default:  // a quoted key with escapes
            b.insert(contentsOf: Array("\n\"k\\u0000\\\\\" = \"v\\u0000\"\n".utf8), at: at)
        }
    }
}
