import Foundation
import Testing
import FuzzCorpus
@testable import Render

/// Hostile text drawn into buffers at random, and the two promises the terminal relies on: no cell ever holds
/// a control or bidi character, and the diff (with a band scrolled first, as `Screen` does) turns the last
/// frame into the next one exactly. Cells are plain data with a grapheme table beside them, so graphemes of
/// every length go through it.
@Suite("Buffer fuzz") struct BufferFuzzTests {
    typealias Rng = SeededRandom

    static let pieces = ["a", "Z", " ", "~", "é", "e\u{301}", "中", "界", "👨\u{200D}👩\u{200D}👧\u{200D}👦", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
                         "❤️", "🇫🇷", "\u{1B}[2J", "\u{1B}]0;pwned\u{7}", "\u{0}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2028}", "\t", "\r\n",
                         "a\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}", "\u{FEFF}", "\u{200B}", "\u{FFFD}", "𝕏", "\u{10FFFF}"]

    static func text(_ r: inout Rng) -> String {
        var s = ""
        for _ in 0..<r.below(30) {
            if r.below(4) == 0, let u = Unicode.Scalar(UInt32(0x20 + r.below(0x2FFFF))) { s.unicodeScalars.append(u) } else { s += pieces[r.below(pieces.count)] }
        }
        return s
    }

    static func style(_ r: inout Rng) -> Style {
        Style(fg: [.default, .red, .indexed(200), .rgb(1, 2, 3)][r.below(4)], bg: [.default, .blue][r.below(2)], bold: r.below(2) == 0)
    }

    static func scribble(_ b: inout Buffer, _ r: inout Rng, times: Int) {
        for _ in 0..<times {
            let x = r.below(b.width + 4) - 2, y = r.below(b.height + 2) - 1
            switch r.below(4) {
            case 0: _ = b.write(text(&r), x: x, y: y, style: style(&r), maxWidth: r.below(2) == 0 ? nil : r.below(20))
            case 1: b.set(x: x, y: y, cell: Cell(pieces[r.below(pieces.count)], style: style(&r)))
            case 2: b.fill(Rect(x: x, y: y, width: r.below(12), height: r.below(4)), with: Cell(pieces[r.below(pieces.count)], style: style(&r)))
            default: _ = b.write([StyledRun(text(&r), style: style(&r))], x: x, y: y, maxWidth: r.below(30))
            }
        }
    }

    /// The terminal after drawing `changes` over `screen`: a wide head covers the next column too.
    static func apply(_ changes: [CellChange], to screen: Buffer) -> [Cell] {
        var cells = screen.cells
        for c in changes {
            cells[c.y * screen.width + c.x] = c.cell
            if c.cell.width == 2, c.x + 1 < screen.width { cells[c.y * screen.width + c.x + 1] = .continuation(c.cell.style) }
        }
        return cells
    }

    static func differing(_ a: [Cell], _ b: [Cell]) -> Int { zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count) }

    @Test("hostile text never puts a control in a cell, and every diff rebuilds the next frame")
    func diffRebuildsTheFrame() {
        var r = Rng(seed: 20261202)
        var scrolled = 0
        for round in 0..<300 {
            let w = 1 + r.below(60), h = 1 + r.below(12)
            var old = Buffer(width: w, height: h)
            Self.scribble(&old, &r, times: 1 + r.below(30))
            var new = old
            Self.scribble(&new, &r, times: r.below(10))
            for cell in new.cells {
                #expect(Buffer.isSafe(cell.grapheme) && Cell(cell.grapheme, style: cell.style) == cell, "round \(round)")
                #expect(cell.isContinuation || cell.width >= 1)
            }
            for (i, cell) in new.cells.enumerated() where cell.width == 2 {
                #expect(i % w + 1 < w && new.cells[i + 1].isContinuation, "a wide head keeps its other half (round \(round))")
            }
            #expect(Self.differing(Self.apply(Buffer.diff(from: old, to: new), to: old), new.cells) == 0, "round \(round)")
            // A column that moved as a whole, between borders as the board's are: scrolled on the screen, then
            // diffed inside it, the rest diffed as usual (what `Screen.present` does).
            guard h >= 3, w >= 3 else { continue }
            let left = r.below(w - 2), right = left + 2 + r.below(w - left - 2)
            for x in [left, right] { old.fill(Rect(x: x, y: 0, width: 1, height: h), with: Cell("│")) }
            let inner = Rect(x: left + 1, y: 0, width: right - left - 1, height: h)
            var moved = old
            moved.shift(BandShift(x: inner.x, width: inner.width, top: 0, height: h, by: r.below(2) == 0 ? 1 + r.below(h - 1) : -1 - r.below(h - 1)))
            var edits = Buffer(width: inner.width, height: h)
            Self.scribble(&edits, &r, times: r.below(3))
            for y in 0..<h where r.below(3) == 0 {  // a few rows drawn anew, whole, as a card is
                for x in 0..<inner.width { moved.set(x: inner.x + x, y: y, cell: edits[x, y]) }
            }
            guard let shift = Buffer.bandShift(from: old, to: moved, in: inner, minGain: 1) else { continue }
            scrolled += 1
            let screen = old.shifted(shift)
            var changes = Buffer.diff(from: screen, to: moved, in: shift.rect)
            changes += Buffer.diff(from: old, to: moved).filter { !shift.rect.contains(x: $0.x, y: $0.y) }
            #expect(Self.differing(Self.apply(changes, to: screen), moved.cells) == 0, "round \(round), \(shift)")
        }
        #expect(scrolled >= 50, "bands were scrolled in \(scrolled) rounds")
    }
}
