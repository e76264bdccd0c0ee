import Foundation
import Core

/// Watches a run's output for a provider's rate limit (Core's `RateLimitSignal`): whole lines only, and only
/// JSON lines that mention a limit ("limit" / "Limit", found in the bytes) are decoded and parsed, so the
/// read loop pays one byte scan per line. A line longer than `maxLine` is not a signal and is skipped.
final class RateLimitWatch {
    static let maxLine = 1 << 20
    private var partial: [UInt8] = []
    private var skipping = false
    private(set) var signal = RateLimitSignal()

    func received(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        while let nl = rest.firstIndex(of: UInt8(ascii: "\n")) {
            if !skipping {
                if partial.isEmpty { line(rest[rest.startIndex..<nl]) }  // the common case: no copy
                else { partial += rest[rest.startIndex..<nl]; if partial.count <= Self.maxLine { line(partial[...]) } }
            }
            partial.removeAll(keepingCapacity: true); skipping = false
            rest = rest[(nl + 1)...]
        }
        guard !skipping else { return }
        partial += rest
        if partial.count > Self.maxLine { partial.removeAll(); skipping = true }
    }

    private func line(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count <= Self.maxLine, bytes.first(where: { $0 != UInt8(ascii: " ") }) == UInt8(ascii: "{"),
              Self.mentionsLimit(bytes) else { return }
        guard let v = JSONValue.parse(String(decoding: bytes, as: UTF8.self)) else { return }
        signal.read(v, now: Date())
    }

    /// "imit" anywhere in the line: "limit", "Limit", "rate_limit", "rateLimits".
    static func mentionsLimit(_ b: ArraySlice<UInt8>) -> Bool {
        let i = UInt8(ascii: "i"), m = UInt8(ascii: "m"), t = UInt8(ascii: "t")
        var k = b.startIndex
        while k + 3 < b.endIndex {
            if b[k] == i && b[k + 1] == m && b[k + 2] == i && b[k + 3] == t { return true }
            k += 1
        }
        return false
    }
}
