// One line of a log as the log view shows it, and the buffered scanner that finds lines in a source.

/// A line of the log. `bytes` is what to display: at most `LogLine.displayCap` bytes of the content,
/// without the `\n` or `\r\n` terminator, exactly as in the file (invalid UTF-8 and escapes included:
/// the renderer sanitises). `offset`/`end` are byte positions, so paging never needs line numbers.
public struct LogLine: Equatable, Sendable {
    /// Longest content carried for display; a longer line keeps its true `length` and is `truncated`.
    public static let displayCap = 64 * 1024

    /// Byte offset of the line's first byte.
    public let offset: Int64
    /// Byte offset of the next line (just after the `\n`); for a final line with no `\n` yet, the size.
    public let end: Int64
    /// Content without the terminator, capped at `displayCap` bytes.
    public let bytes: [UInt8]
    /// Full content length in bytes (without the terminator); larger than `bytes.count` when truncated.
    public let length: Int64
    /// False for the final line that no `\n` has ended yet: it will change as the writer appends.
    public let complete: Bool
    /// 1-based line number, once the background index has reached this part of the file.
    public var lineNumber: Int?

    public var truncated: Bool { length > Int64(bytes.count) }
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Reads lines forwards and finds line starts backwards through one reusable window of the source,
/// so a screenful costs one or two `pread`s and a huge line never needs more than the window in memory.
final class LineScanner {
    static let windowSize = 64 * 1024

    let source: any LogSource
    /// Size snapshot: lines are read up to here, so one page is consistent while the writer appends.
    let limit: Int64
    private let window: UnsafeMutableRawBufferPointer
    private var windowStart: Int64 = 0
    private var windowCount = 0

    init(source: any LogSource, limit: Int64) {
        self.source = source
        self.limit = limit
        window = .allocate(byteCount: LineScanner.windowSize, alignment: 16)
    }

    deinit { window.deallocate() }

    /// The line starting at `pos` (which should be a line start), or nil at the end.
    func line(at pos: Int64) -> LogLine? {
        guard pos >= 0, pos < limit else { return nil }
        var content: [UInt8] = []
        var total: Int64 = 0
        var p = pos
        var last: UInt8 = 0
        var complete = false
        var end = limit
        while p < limit {
            if !(p >= windowStart && p < windowStart + Int64(windowCount)) { fill(from: p) }
            if windowCount == 0 || p >= windowStart + Int64(windowCount) { end = p; break }  // source shrank
            let i = Int(p - windowStart)
            let stop = min(windowCount, Int(limit - windowStart))
            let view = UnsafeRawBufferPointer(window)
            let nl = Bytes.firstIndex(of: newline, in: UnsafeRawBufferPointer(rebasing: view[..<stop]), from: i)
            let take = (nl ?? stop) - i
            if take > 0 {
                if content.count < LogLine.displayCap {
                    let keep = min(take, LogLine.displayCap - content.count)
                    content.append(contentsOf: UnsafeRawBufferPointer(rebasing: view[i..<(i + keep)]))
                }
                last = view[i + take - 1]
                total += Int64(take)
                p += Int64(take)
            }
            if nl != nil { complete = true; end = p + 1; break }
            end = p
        }
        // "\r\n": the \r belongs to the terminator. Also drop a lone trailing \r of the unfinished last
        // line, which is most likely the first half of a "\r\n" still being written.
        if last == carriageReturn && total > 0 {
            total -= 1
            if Int64(content.count) > total { content.removeLast() }
        }
        if total == 0 && !complete && end == pos { return nil }
        return LogLine(offset: pos, end: end, bytes: content, length: total, complete: complete, lineNumber: nil)
    }

    /// Start of the line that contains byte `p` (the byte after the last `\n` before `p`, or 0).
    func lineStart(containing p: Int64) -> Int64 {
        var q = min(p, limit)  // look for a newline in [0, q)
        while q > 0 {
            if !(q > windowStart && q <= windowStart + Int64(windowCount)) { fill(endingAt: q) }
            if windowCount == 0 { return 0 }
            let hi = Int(q - windowStart)
            if let i = Bytes.lastIndex(of: newline, in: UnsafeRawBufferPointer(window), before: hi) {
                return windowStart + Int64(i) + 1
            }
            q = windowStart
        }
        return 0
    }

    private func fill(from p: Int64) {
        let count = Int(min(Int64(window.count), limit - p))
        windowStart = p
        windowCount = count > 0 ? source.read(at: p, into: UnsafeMutableRawBufferPointer(rebasing: window[..<count])) : 0
    }

    private func fill(endingAt q: Int64) {
        let start = max(0, q - Int64(window.count))
        windowStart = start
        let count = Int(q - start)
        windowCount = source.read(at: start, into: UnsafeMutableRawBufferPointer(rebasing: window[..<count]))
    }
}
