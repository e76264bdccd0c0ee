/// A deterministic generator (SplitMix64): the same seed gives the same corpus on every machine and every
/// Swift version, so a failure is replayed from the seed it prints.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n without modulo bias worth caring about for a fuzzer.
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// The seed of case `index` of a run started from `base`: each case replays on its own.
    public static func caseSeed(base: UInt64, index: Int) -> UInt64 {
        var r = SeededRandom(seed: base ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
        return r.next()
    }

    /// `AGENTMON_FUZZ_SEED` (decimal or 0x-hex) when set, else `fallback`.
    public static func baseSeed(fallback: UInt64, environment: [String: String]) -> UInt64 {
        guard let s = environment["AGENTMON_FUZZ_SEED"], !s.isEmpty else { return fallback }
        if s.hasPrefix("0x") { return UInt64(s.dropFirst(2), radix: 16) ?? fallback }
        return UInt64(s) ?? fallback
    }
}
