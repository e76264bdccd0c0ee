// LogFile: lines of a log of any size, read with pread, for the log tail screen.
//
// Public API (all byte offsets are Int64; line numbers are 1-based):
//   init(path:) throws / init(source:)     open; the sparse line index starts building in the background
//   size, totalLines, indexProgress        live size; line count once indexed; 0...1
//   lines(before: Int64? = nil, count:)    the last `count` lines starting before an offset (nil = end: the tail)
//   lines(from: Int64, count:)             `count` lines forward from a line start (page down)
//   line(containing:), lineStart(containing:)
//   lineNumber(at:)                        number of the line starting at an offset, when the index covers it
//   offset(ofLine:), offset(atFraction:)   jumps: exact when indexed, else approximated by bytes
//   waitForIndex(timeout:)                 tests and benchmarks
//   search(...), nextErrorLine(...)        see LogSearch.swift
// Paging: next page = lines(from: page.last!.end, count: n); previous = lines(before: page.first!.offset, count: n).
// One thread (the dashboard's data thread) calls a LogFile; its index thread runs beside it.
import Foundation

public final class LogFile: @unchecked Sendable {
    public let source: any LogSource
    let index: LineIndex

    public convenience init(path: String) throws {
        self.init(source: try FileLogSource(path: path))
    }

    public init(source: any LogSource) {
        self.source = source
        index = LineIndex(source: source)
        index.start(target: source.size)
    }

    deinit { index.stop() }

    /// Current size; also tells the index about growth or truncation.
    public var size: Int64 {
        let s = source.size
        index.observe(size: s)
        return s
    }

    /// Lines in the log once the index has counted them all (nil while it is still counting).
    public var totalLines: Int? {
        let s = size
        let snap = index.snapshot
        guard s - snap.indexed <= 4 * LineIndex.blockSize else { return nil }
        var newlines = snap.newlines, last = snap.lastByte
        if s > snap.indexed {
            let tail = source.read(at: snap.indexed, count: Int(s - snap.indexed))
            newlines += tail.withUnsafeBytes { Bytes.countNewlines($0) }
            if let b = tail.last { last = b }
        }
        return newlines + (s > 0 && last != newline ? 1 : 0)
    }

    /// Fraction of the log the index has counted.
    public var indexProgress: Double {
        let s = size
        return s == 0 ? 1 : min(1, Double(index.snapshot.indexed) / Double(s))
    }

    /// Blocks until the index has counted the whole log as it is now (or the timeout passes).
    @discardableResult
    public func waitForIndex(timeout: TimeInterval = 30) -> Bool {
        _ = size
        return index.waitUntilCaughtUp(timeout: timeout)
    }

    /// The last `count` lines that start before `offset` (nil: the end of the log), oldest first. With
    /// `offset` at a line start this is the page above that line; the final unfinished line is included.
    public func lines(before offset: Int64? = nil, count: Int) -> [LogLine] {
        let limit = size
        guard count > 0, limit > 0 else { return [] }
        let scanner = LineScanner(source: source, limit: limit)
        var p = min(offset ?? limit, limit) - 1
        var first: Int64 = -1
        var found = 0
        while found < count && p >= 0 {
            first = scanner.lineStart(containing: p)
            found += 1
            p = first - 1
        }
        guard found > 0 else { return [] }
        return read(scanner, from: first, count: found)
    }

    /// `count` lines from `offset` on (a line start, e.g. the `end` of the previous page's last line).
    public func lines(from offset: Int64, count: Int) -> [LogLine] {
        let limit = size
        guard count > 0, offset < limit else { return [] }
        return read(LineScanner(source: source, limit: limit), from: max(0, offset), count: count)
    }

    /// The line that contains byte `offset` (e.g. a search hit).
    public func line(containing offset: Int64) -> LogLine? {
        let limit = size
        guard offset >= 0, offset < limit else { return nil }
        let scanner = LineScanner(source: source, limit: limit)
        return read(scanner, from: scanner.lineStart(containing: offset), count: 1).first
    }

    /// Start of the line that contains byte `offset`.
    public func lineStart(containing offset: Int64) -> Int64 {
        let limit = size
        return LineScanner(source: source, limit: limit).lineStart(containing: max(0, min(offset, limit)))
    }

    /// 1-based number of the line that contains `offset`, when the index is near enough to count it.
    public func lineNumber(at offset: Int64) -> Int? {
        let snap = index.snapshot
        let k = min(Int(offset / LineIndex.blockSize), snap.checkpoints.count - 1)
        let from = Int64(k) * LineIndex.blockSize
        guard offset >= 0, offset - from <= 4 * LineIndex.blockSize else { return nil }
        return snap.checkpoints[k] + newlines(in: from, offset) + 1
    }

    /// Offset of line `number` (1-based): exact where the index has counted, nil if it is not there yet
    /// or past the end.
    public func offset(ofLine number: Int) -> Int64? {
        guard number > 1 else { return 0 }
        let limit = size
        let wanted = number - 1  // the line starts just after the wanted-th newline
        let snap = index.snapshot
        // Last checkpoint with fewer newlines before it than wanted: the newline is in its block or later.
        var lo = 0, hi = snap.checkpoints.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if snap.checkpoints[mid] < wanted { lo = mid } else { hi = mid - 1 }
        }
        var pos = Int64(lo) * LineIndex.blockSize
        var seen = snap.checkpoints[lo]
        let scanEnd = lo + 1 < snap.checkpoints.count ? pos + LineIndex.blockSize
                                                      : min(limit, max(snap.indexed, pos) + 4 * LineIndex.blockSize)
        let chunk = Int(LineIndex.blockSize)
        while pos < min(scanEnd, limit) {
            let bytes = source.read(at: pos, count: min(chunk, Int(min(scanEnd, limit) - pos)))
            if bytes.isEmpty { break }
            for (i, b) in bytes.enumerated() where b == newline {
                seen += 1
                if seen == wanted { let start = pos + Int64(i) + 1; return start < limit ? start : nil }
            }
            pos += Int64(bytes.count)
        }
        return nil
    }

    /// Start of the line at `fraction` (0...1) of the log: by line count once indexed, else by bytes.
    public func offset(atFraction fraction: Double) -> Int64 {
        let f = max(0, min(1, fraction))
        if let total = totalLines, total > 0 {
            let number = min(total, Int(Double(total) * f) + 1)
            if let o = offset(ofLine: number) { return o }
        }
        let s = size
        return s == 0 ? 0 : lineStart(containing: min(s - 1, Int64(Double(s) * f)))
    }

    // MARK: - helpers

    private func read(_ scanner: LineScanner, from start: Int64, count: Int) -> [LogLine] {
        var out: [LogLine] = []
        out.reserveCapacity(count)
        var number = lineNumber(at: start)
        var pos = start
        while out.count < count, var line = scanner.line(at: pos) {
            line.lineNumber = number
            out.append(line)
            number = number.map { $0 + 1 }
            pos = line.end
        }
        return out
    }

    func newlines(in from: Int64, _ to: Int64) -> Int {
        guard to > from else { return 0 }
        let bytes = source.read(at: from, count: Int(to - from))
        return bytes.withUnsafeBytes { Bytes.countNewlines($0) }
    }
}
