// Search in a log of any size: `/` with `n`/`N`, and `e`/`E` for the next or previous error line.
// Both scan 1 MiB windows with pread, forwards or backwards from an offset, never the whole file at once.

extension LogFile {
    /// Offset of the first match of `needle` starting at or after `offset` (forward), or the last one
    /// starting before `offset` (backward). `caseInsensitive` folds ASCII letters. For `n`, pass the
    /// previous hit + 1; for `N`, the previous hit. `isCancelled` is checked between windows.
    public func search(_ needle: [UInt8], from offset: Int64, forward: Bool = true, caseInsensitive: Bool = false,
                       isCancelled: () -> Bool = { false }) -> Int64? {
        guard !needle.isEmpty else { return nil }
        let pattern = caseInsensitive ? needle.map(Bytes.lower) : needle
        // memchr finds candidates for the first byte (both cases of it when folding); then compare the rest.
        let first = pattern[0]
        let other = caseInsensitive && first >= 0x61 && first <= 0x7A ? first - 0x20 : first
        return scan(from: offset, forward: forward, pad: needle.count, isCancelled: isCancelled) { w, range, forward in
            if forward {
                var i = range.lowerBound
                while i < range.upperBound {
                    let a = Bytes.firstIndex(of: first, in: w, from: i) ?? Int.max
                    let b = other == first ? a : Bytes.firstIndex(of: other, in: w, from: i) ?? Int.max
                    let c = min(a, b)
                    if c >= range.upperBound { return nil }
                    if Self.matches(pattern, caseInsensitive: caseInsensitive, w, c) { return c }
                    i = c + 1
                }
            } else {
                var i = range.upperBound - 1
                while i >= range.lowerBound {
                    let b = w[i]
                    if (b == first || b == other) && Self.matches(pattern, caseInsensitive: caseInsensitive, w, i) { return i }
                    i -= 1
                }
            }
            return nil
        }
    }

    /// The next line after the line containing `offset` (forward), or the last line starting before
    /// `offset` (backward), that looks like an error: the word "error" in any case, "…Error" (TypeError),
    /// FAIL…, fatal, panic…, Traceback, ✗ or ✘. Pass the selected line's offset; -1 searches from the top.
    public func nextErrorLine(from offset: Int64, forward: Bool = true, isCancelled: () -> Bool = { false }) -> LogLine? {
        var start = offset
        if forward && offset >= 0 {
            guard let current = line(containing: offset) else { return nil }
            start = current.end
        }
        let hit = scan(from: max(0, start), forward: forward, pad: ErrorMarkers.maxLength + 1, isCancelled: isCancelled) { w, range, forward in
            if forward {
                for i in range where ErrorMarkers.matches(w, i) { return i }
            } else {
                for i in range.reversed() where ErrorMarkers.matches(w, i) { return i }
            }
            return nil
        }
        return hit.flatMap { line(containing: $0) }
    }

    /// Finds the first (forward) or last (backward) match start in [offset, size) or [0, offset), reading
    /// 1 MiB windows. `find(window, candidates, forward)` returns a window index in `candidates`; windows
    /// carry `pad` bytes of context either side so a match across a window boundary is seen whole.
    func scan(from offset: Int64, forward: Bool, pad: Int, isCancelled: () -> Bool,
              find: (UnsafeRawBufferPointer, Range<Int>, Bool) -> Int?) -> Int64? {
        let limit = size
        let core: Int64 = 1 << 20
        var lo: Int64, hi: Int64
        if forward { lo = max(0, offset); hi = min(limit, lo + core) } else { hi = min(limit, offset); lo = max(0, hi - core) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(core) + 2 * pad, alignment: 16)
        defer { buffer.deallocate() }
        while lo < hi {
            if isCancelled() { return nil }
            let start = max(0, lo - Int64(pad))
            let end = min(limit, hi + Int64(pad))
            let n = source.read(at: start, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(end - start)]))
            let first = Int(lo - start), last = min(n, Int(hi - start))
            if first < last, let i = find(UnsafeRawBufferPointer(rebasing: buffer[..<n]), first..<last, forward) {
                return start + Int64(i)
            }
            if forward { lo = hi; hi = min(limit, lo + core) } else { hi = lo; lo = max(0, hi - core) }
        }
        return nil
    }

    @inline(__always)
    static func matches(_ pattern: [UInt8], caseInsensitive: Bool, _ w: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        guard i + pattern.count <= w.count else { return false }
        for j in 0..<pattern.count {
            let b = caseInsensitive ? Bytes.lower(w[i + j]) : w[i + j]
            if b != pattern[j] { return false }
        }
        return true
    }
}

/// The markers of an error line, checked at each position (a first-byte table keeps that cheap).
enum ErrorMarkers {
    struct Marker {
        let bytes: [UInt8]
        let caseInsensitive: Bool
        let wordStart: Bool   // must not follow a letter, digit or _
        let wordEnd: Bool     // must not be followed by one
    }

    static let all: [Marker] = [
        Marker(bytes: Array("error".utf8), caseInsensitive: true, wordStart: true, wordEnd: true),
        Marker(bytes: Array("Error".utf8), caseInsensitive: false, wordStart: false, wordEnd: true),  // TypeError:
        Marker(bytes: Array("FAIL".utf8), caseInsensitive: false, wordStart: true, wordEnd: false),   // FAILED
        Marker(bytes: Array("fatal".utf8), caseInsensitive: true, wordStart: true, wordEnd: true),
        Marker(bytes: Array("panic".utf8), caseInsensitive: true, wordStart: true, wordEnd: false),   // panicked
        Marker(bytes: Array("Traceback".utf8), caseInsensitive: false, wordStart: true, wordEnd: true),
        Marker(bytes: Array("✗".utf8), caseInsensitive: false, wordStart: false, wordEnd: false),
        Marker(bytes: Array("✘".utf8), caseInsensitive: false, wordStart: false, wordEnd: false),
    ]
    static let maxLength = all.map(\.bytes.count).max()!

    /// Which bytes can begin a marker (both cases for the case-insensitive ones).
    static let firstBytes: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for m in all {
            t[Int(m.bytes[0])] = true
            if m.caseInsensitive { t[Int(Bytes.lower(m.bytes[0]))] = true; t[Int(m.bytes[0] & ~0x20)] = true }
        }
        return t
    }()

    @inline(__always)
    static func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (Bytes.lower(b) >= 0x61 && Bytes.lower(b) <= 0x7A) || b == 0x5F
    }

    /// Windows carry `pad` bytes before the first candidate except at offset 0, so index 0 is the start
    /// of the log: a word boundary.
    static func matches(_ w: UnsafeRawBufferPointer, _ i: Int) -> Bool {
        guard firstBytes[Int(w[i])] else { return false }
        for m in all where LogFile.matches(m.bytes, caseInsensitive: m.caseInsensitive, w, i) {
            if m.wordStart && i > 0 && isWord(w[i - 1]) { continue }
            let after = i + m.bytes.count
            if m.wordEnd && after < w.count && isWord(w[after]) { continue }
            return true
        }
        return false
    }
}
