import Foundation
import Testing
@testable import LogTail

@Suite("Sparse line index") struct LineIndexTests {
    /// A multi-MB log whose line i (1-based) says "line i": every number read back must match its text.
    @Test func lineNumbersAreRightOnAMultiMegabyteLog() throws {
        let dir = try TempDir()
        let bytes = numberedLines(120_000)  // about 6.8 MB, 100+ index blocks
        let path = try dir.write("big.log", bytes)
        let file = try LogFile(path: path)
        #expect(file.waitForIndex())
        #expect(file.totalLines == 120_000)
        #expect(file.indexProgress == 1)
        for start in [Int64(0), 65_535, 65_536, 1_000_003, 3_333_333, Int64(bytes.count) - 200] {
            let from = file.lineStart(containing: start)
            for line in file.lines(from: from, count: 40) {
                let n = try #require(line.lineNumber)
                #expect(line.text.hasPrefix("line \(n) "))
            }
        }
        for n in [1, 2, 1000, 54_321, 119_999, 120_000] {
            let o = try #require(file.offset(ofLine: n))
            #expect(file.lines(from: o, count: 1).first?.text.hasPrefix("line \(n) ") == true)
            #expect(file.lineNumber(at: o) == n)
        }
        #expect(file.offset(ofLine: 120_001) == nil)
        let half = file.offset(atFraction: 0.5)
        #expect(file.lineNumber(at: half) == 60_001)
        #expect(file.offset(atFraction: 0) == 0)
        #expect(file.lineNumber(at: file.offset(atFraction: 1)) == 120_000)
    }

    @Test func indexFollowsGrowthAndStartsOverOnTruncation() throws {
        let dir = try TempDir()
        let path = try dir.write("grow.log", numberedLines(50_000))
        let file = try LogFile(path: path)
        #expect(file.waitForIndex())
        #expect(file.totalLines == 50_000)
        let w = Appender(path)
        w.append(numberedLines(30_000, from: 50_001))
        #expect(file.waitForIndex())
        #expect(file.totalLines == 80_000)
        #expect(file.lines(count: 1).first?.lineNumber == 80_000)
        w.append("partial")
        #expect(file.totalLines == 80_001)
        // Truncate and write a little: the index forgets the old counts.
        _ = ftruncate(w.fd, 0)
        w.append(numberedLines(10))
        #expect(file.waitForIndex())
        #expect(file.totalLines == 10)
        #expect(file.lines(count: 1).first?.lineNumber == 10)
    }

    @Test func tailOfAnUnindexedRegionHasNoNumbersButStillReads() {
        // A source larger than the 4-block margin, read before the index could get there.
        let source = SlowSource(bytes: numberedLines(40_000))
        let file = LogFile(source: source)
        let tail = file.lines(count: 3)
        #expect(tail.map(\.lineNumber) == [nil, nil, nil])
        #expect(tail.last!.text.hasPrefix("line 40000 "))
        #expect(file.totalLines == nil)
        source.release()
        #expect(file.waitForIndex())
        #expect(file.lines(count: 1).first?.lineNumber == 40_000)
    }
}

/// A source whose reads by the index thread block until released, to observe the unindexed state.
final class SlowSource: LogSource, @unchecked Sendable {
    let bytes: [UInt8]
    private let gate = DispatchSemaphore(value: 0)
    private let released = NSLock()
    private var open = false
    init(bytes: [UInt8]) { self.bytes = bytes }
    var size: Int64 { Int64(bytes.count) }
    func release() { released.withLock { open = true }; gate.signal() }
    func read(at offset: Int64, count: Int) -> [UInt8] {
        if Thread.current.name == "agentmon-logindex" && !released.withLock({ open }) { gate.wait(); gate.signal() }
        guard offset < Int64(bytes.count) else { return [] }
        return Array(bytes[Int(offset)..<min(bytes.count, Int(offset) + count)])
    }
}
