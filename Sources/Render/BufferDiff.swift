// The cells that changed between two frames: all the backend has to draw.
//
// Public API:
//   struct CellChange — x, y, cell
//   Buffer.diff(from old: Buffer, to new: Buffer) -> [CellChange]
//   Buffer.diff(from:to:in rect:) -> [CellChange]         — the same within a rect
//   struct BandShift — x, width, top, height, by: rows of a band that moved together (a terminal scroll)
//   Buffer.bandShift(from:to:in:minGain:) -> BandShift?   — the scroll that saves the most rows, if any
//   buffer.shifted(_ shift:) -> Buffer, shift(_:)         — the buffer as the terminal shows it after it

import Foundation

public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
    public init(x: Int, y: Int, cell: Cell) { self.x = x; self.y = y; self.cell = cell }
}

extension Buffer {
    /// Only cells that differ, row by row, left to right. Continuation cells are never emitted:
    /// a wide grapheme is drawn by its head, and a head that changes always differs itself.
    /// When a wide grapheme gives way to narrow ones, its old continuation column now holds a
    /// different cell and is emitted after the head, so the terminal's stale half is repainted.
    /// Different sizes mean a full repaint of `new`.
    public static func diff(from old: Buffer, to new: Buffer) -> [CellChange] {
        var changes: [CellChange] = []
        let sameSize = old.width == new.width && old.height == new.height
        let w = new.width, bytes = MemoryLayout<Cell>.stride * w
        new.cells.withUnsafeBufferPointer { nc in
            old.cells.withUnsafeBufferPointer { oc in
                guard let nb = nc.baseAddress, w > 0 else { return }
                for y in 0..<new.height {
                    let start = y * w
                    // Most rows are as they were: the same bytes are the same cells (rows whose bytes differ
                    // are compared cell by cell, so a row equal in value but not in bytes is still skipped).
                    if sameSize, let ob = oc.baseAddress, memcmp(nb + start, ob + start, bytes) == 0 { continue }
                    for i in start..<(start + w) {
                        // Equal cells first, read in place (a copy of each cell cost more than the comparison).
                        if sameSize, let ob = oc.baseAddress, Cell.same(nb + i, ob + i) { continue }
                        if nb[i].isContinuation { continue }
                        changes.append(CellChange(x: i - start, y: y, cell: nb[i]))
                    }
                }
            }
        }
        return changes
    }

    /// The same within `rect` only (both buffers of one size), row by row.
    public static func diff(from old: Buffer, to new: Buffer, in rect: Rect) -> [CellChange] {
        guard old.width == new.width, old.height == new.height else { return [] }
        let r = rect.intersection(new.area)
        var changes: [CellChange] = []
        guard !r.isEmpty else { return changes }
        new.cells.withUnsafeBufferPointer { nc in
            old.cells.withUnsafeBufferPointer { oc in
                guard let nb = nc.baseAddress, let ob = oc.baseAddress else { return }
                for y in r.y..<r.maxY {
                    for i in (y * new.width + r.x)..<(y * new.width + r.maxX) {
                        if Cell.same(nb + i, ob + i) || nb[i].isContinuation { continue }
                        changes.append(CellChange(x: i - y * new.width, y: y, cell: nb[i]))
                    }
                }
            }
        }
        return changes
    }

    /// Every drawable cell of the buffer (first frame, or a redraw after Ctrl-L).
    public var allChanges: [CellChange] {
        Buffer.diff(from: Buffer(width: 0, height: 0), to: self)
    }
}

// MARK: - Bands that moved as a whole

/// Rows `top ..< top + height` of the columns `x ..< x + width` moved up by `by` rows (down when negative):
/// what a terminal does when it scrolls that region. The `by` rows it leaves behind are blank.
public struct BandShift: Hashable, Sendable {
    public var x: Int, width: Int, top: Int, height: Int
    public var by: Int
    public init(x: Int, width: Int, top: Int, height: Int, by: Int) {
        self.x = x; self.width = width; self.top = top; self.height = height; self.by = by
    }
    public var rect: Rect { Rect(x: x, y: top, width: width, height: height) }
}

extension Buffer {
    /// The scroll of part of `band` that saves the most rows from being redrawn, when it saves at least
    /// `minGain`: a board column whose cards all moved by one card, a list that scrolled. Rows are compared
    /// whole (within the band); a region is only proposed where its rows' wide characters do not straddle
    /// the band's edges. Pure: drawing it is the terminal's business (`Screen`).
    public static func bandShift(from old: Buffer, to new: Buffer, in band: Rect, minGain: Int = 3) -> BandShift? {
        guard old.width == new.width, old.height == new.height else { return nil }
        let b = band.intersection(new.area)
        guard b.height >= 3, b.width >= 1 else { return nil }
        // A cheap fingerprint per row (Hasher over every cell cost more than the rest of the frame). Two rows
        // that differ but share one only make the scroll less useful: what is drawn after it is diffed cell by cell.
        func rowHash(_ buf: Buffer, _ y: Int) -> UInt64 {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            buf.cells.withUnsafeBufferPointer { c in
                for i in (y * buf.width + b.x)..<(y * buf.width + b.maxX) { h = (h ^ c[i].fingerprint) &* 0x100_0000_01B3 }
            }
            return h
        }
        func straddles(_ buf: Buffer, _ y: Int) -> Bool {
            buf[b.x, y].isContinuation || (b.maxX < buf.width && buf[b.maxX, y].isContinuation)
        }
        let rows = Array(b.y..<b.maxY)
        // Most bands did not change at all: comparing cells (equal strings compare at once) is cheaper than
        // fingerprints, and a scroll can only save rows that changed.
        var changed = 0
        old.cells.withUnsafeBufferPointer { o in
            new.cells.withUnsafeBufferPointer { c in
                guard let ob = o.baseAddress, let cb = c.baseAddress else { return }
                for y in rows where changed < minGain {
                    let start = y * new.width + b.x
                    // The same bytes are the same cells; other bytes are compared cell by cell.
                    if memcmp(ob + start, cb + start, MemoryLayout<Cell>.stride * b.width) == 0 { continue }
                    for i in start..<(start + b.width) where !Cell.same(ob + i, cb + i) { changed += 1; break }
                }
            }
        }
        guard changed >= minGain else { return nil }
        let oldH = rows.map { rowHash(old, $0) }, newH = rows.map { rowHash(new, $0) }
        let unsafeRow = rows.map { straddles(old, $0) || straddles(new, $0) }
        let n = rows.count
        var best: BandShift?
        var bestGain = minGain - 1
        for k in -(n - 1)...(n - 1) where k != 0 {
            // Runs of rows i whose new content is the old content of row i + k.
            var i = 0
            while i < n {
                let j = i + k
                guard j >= 0, j < n, newH[i] == oldH[j], !unsafeRow[i], !unsafeRow[j] else { i += 1; continue }
                var end = i, gain = 0
                while end < n, end + k >= 0, end + k < n, newH[end] == oldH[end + k], !unsafeRow[end], !unsafeRow[end + k] {
                    if newH[end] != oldH[end] { gain += 1 }
                    end += 1
                }
                // The region: the run and the rows the scroll brings the run from (they are left blank).
                let top = min(i, i + k), bottom = max(end, end + k)
                // The rows left blank that were right before must be drawn again.
                let lost = (k > 0 ? (end..<bottom) : (top..<i)).filter { newH[$0] == oldH[$0] }.count
                if gain - lost > bestGain {
                    bestGain = gain - lost
                    best = BandShift(x: b.x, width: b.width, top: b.y + top, height: bottom - top, by: k)
                }
                i = end
            }
        }
        return best
    }

    /// The buffer as the terminal shows it after `shift`: the region's rows moved, the rows left behind blank.
    public func shifted(_ shift: BandShift, blank: Cell = .blank) -> Buffer {
        var out = self
        out.shift(shift, blank: blank)
        return out
    }

    /// The same, in place.
    public mutating func shift(_ shift: BandShift, blank: Cell = .blank) {
        let r = shift.rect.intersection(area)
        guard !r.isEmpty, shift.by != 0 else { return }
        let w = width
        cells.withUnsafeMutableBufferPointer { c in
            for k in 0..<r.height {
                let y = shift.by > 0 ? r.y + k : r.maxY - 1 - k
                let from = y + shift.by
                for x in r.x..<r.maxX { c[y * w + x] = from >= r.y && from < r.maxY ? c[from * w + x] : blank }
            }
        }
    }
}

extension Cell {
    /// `a == b`, read in place.
    @inline(__always) static func same(_ a: UnsafePointer<Cell>, _ b: UnsafePointer<Cell>) -> Bool {
        a.pointee.glyph == b.pointee.glyph && a.pointee.style == b.pointee.style
    }

    /// A quick 64-bit summary of the grapheme and style, for comparing rows.
    @inline(__always) var fingerprint: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        h = (h ^ glyph.lo) &* 0x100_0000_01B3
        h = (h ^ glyph.hi) &* 0x100_0000_01B3
        return (h ^ style.fingerprint) &* 0x100_0000_01B3
    }
}

extension Style {
    @inline(__always) var fingerprint: UInt64 {
        var flags: UInt64 = 0
        if bold { flags |= 1 }
        if dim { flags |= 2 }
        if italic { flags |= 4 }
        if underline { flags |= 8 }
        if reverse { flags |= 16 }
        return fg.code ^ (bg.code << 28) ^ (flags << 58)
    }
}

extension Color {
    @inline(__always) var code: UInt64 {
        switch self {
        case .default: return 0
        case .ansi(let n): return 0x100 | UInt64(n)
        case .indexed(let n): return 0x200 | UInt64(n)
        case .rgb(let r, let g, let b): return 0x400_0000 | UInt64(r) << 16 | UInt64(g) << 8 | UInt64(b)
        }
    }
}
