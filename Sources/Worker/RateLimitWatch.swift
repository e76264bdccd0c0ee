import Foundation
import Core

/// Watches a run's output for a provider's rate limit (Core's `RateLimitSignal`): whole lines only, and only
/// those that mention a limit are parsed, so the read loop pays a substring search per line. A line longer
/// than `maxLine` is not a signal and is skipped.
final class RateLimitWatch {
    static let maxLine = 1 << 20
    private var partial: [UInt8] = []
    private var skipping = false
    private(set) var signal = RateLimitSignal()

    func received(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        while let nl = rest.firstIndex(of: UInt8(ascii: "\n")) {
            if !skipping { partial += rest[rest.startIndex..<nl] }
            if !skipping, partial.count <= Self.maxLine { line(partial) }
            partial.removeAll(keepingCapacity: true); skipping = false
            rest = rest[(nl + 1)...]
        }
        guard !skipping else { return }
        partial += rest
        if partial.count > Self.maxLine { partial.removeAll(); skipping = true }
    }

    private func line(_ bytes: [UInt8]) {
        guard bytes.first(where: { $0 != UInt8(ascii: " ") }) == UInt8(ascii: "{") else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        guard RateLimitSignal.mayCarry(text), let v = JSONValue.parse(text) else { return }
        signal.read(v, now: Date())
    }
}
