import Foundation
import Testing
import Core
import FuzzCorpus
@testable import Worker

/// The read loop's side of rate limits: a signal split across any chunk boundaries is still seen, a line
/// over the cap is skipped (and the next one read), and hostile bytes neither crash nor invent a limit.
@Suite("Worker: rate-limit watch") struct RateLimitWatchTests {
    static let rejected = #"{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1778565600,"rateLimitType":"five_hour"}}"#

    @Test func aSignalSplitAnywhereIsSeen() {
        let bytes = Array(("{\"type\":\"assistant\",\"text\":\"no limit here\"}\n" + Self.rejected + "\n").utf8)
        var rng = SeededRandom(seed: 3)
        for _ in 0..<300 {
            let w = RateLimitWatch()
            var i = 0
            while i < bytes.count {
                let n = 1 + Int(rng.next() % 40)
                w.received(bytes[i..<min(bytes.count, i + n)])
                i += n
            }
            #expect(w.signal.limit?.resetsAt == Date(timeIntervalSince1970: 1_778_565_600))
        }
    }

    @Test func aHugeLineIsSkippedAndTheNextOneRead() {
        let w = RateLimitWatch()
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: RateLimitWatch.maxLine + 10)
        w.received(Array("{\"limit\":\"".utf8)[...])
        for chunk in stride(from: 0, to: huge.count, by: 65_536) { w.received(huge[chunk..<min(huge.count, chunk + 65_536)]) }
        w.received(Array("\"}\n\(Self.rejected)\n".utf8)[...])
        #expect(w.signal.limit != nil, "the line after the skipped one is read")
    }

    @Test func hostileBytesInventNothing() {
        var rng = SeededRandom(seed: 9)
        for _ in 0..<500 {
            let w = RateLimitWatch()
            let n = Int(rng.next() % 4096)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            bytes += Array("\n{\"type\":\"result\",\"is_error\":false,\"result\":\"rate limit \u{1B}[2J\"}\n".utf8)
            w.received(bytes[...])
            #expect(w.signal.limit == nil)
        }
    }
}
