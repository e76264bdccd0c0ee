import Testing
@testable import Render

/// A board-like screen: three bordered columns of two-row cards; a column that scrolled or lost a card is a band
/// that moved, which the terminal can scroll instead of redrawing.
@Suite("Band shifts")
struct BandShiftTests {
    static let w = 60, h = 30
    /// Column `c`'s inside (a 20-column band between its borders).
    static func band(_ c: Int) -> Rect { Rect(x: c * 20 + 1, y: 1, width: 18, height: h - 2) }

    static let titles = ["Fix the login page", "Add a search index", "Write API docs", "Speed up workers", "Cache previews",
                         "Rotate the keys", "Audit the log"]
    static let agents = ["codex", "claude", "gemini"]

    /// Cards `first…` drawn two rows each in column `c`, the card `selected` highlighted.
    static func screen(_ firsts: [Int], selected: [Int?] = [nil, nil, nil]) -> Buffer {
        var b = Buffer(width: w, height: h)
        for (c, first) in firsts.enumerated() {
            Border(title: "Col \(c)").render(into: &b, area: Rect(x: c * 20, y: 0, width: 20, height: h))
            let r = band(c)
            for (k, card) in (first...).prefix(r.height / 2).enumerated() {
                let style = selected[c] == card ? Style(fg: .white, bg: .blue) : Style(fg: .green)
                b.write("P\(card % 5) \(Self.titles[card % 7]) \(card)", x: r.x + 1, y: r.y + 2 * k, style: style, maxWidth: r.width - 2)
                b.write("#\(card * 7) @\(Self.agents[card % 3])", x: r.x + 1, y: r.y + 2 * k + 1, style: Style(fg: .ansi(8)), maxWidth: r.width - 2)
            }
        }
        return b
    }

    @Test("a column that scrolled by one card: a scroll of its band, then only the new card is drawn")
    func columnScrolled() throws {
        let old = Self.screen([0, 100, 200], selected: [13, nil, nil])
        let new = Self.screen([1, 100, 200], selected: [14, nil, nil])
        let plain = Buffer.diff(from: old, to: new)
        #expect(Set(plain.map(\.y)).count > 20, "without the scroll: nearly every row of the column")
        let shift = try #require(Buffer.bandShift(from: old, to: new, in: Self.band(0)))
        #expect(shift.by == 2)
        #expect(shift.x == 1 && shift.width == 18)
        let rest = Buffer.diff(from: old.shifted(shift), to: new)
        // The highlight left one card and reached another (four rows), and the new card at the bottom (two).
        #expect(Set(rest.map(\.y)).count <= 6, "rows still drawn: \(Set(rest.map(\.y)).sorted())")
        #expect(rest.allSatisfy { Self.band(0).contains(x: $0.x, y: $0.y) }, "nothing outside the column")
        #expect(old.shifted(shift).cells.count == old.cells.count)
    }

    @Test("a card left one column and joined the next: each band scrolls its own way from the card down")
    func cardMoved() throws {
        let old = Self.screen([0, 100, 200])
        // Card 3 of column 0 went to the top of column 1's third slot: column 0 closes up, column 1 opens.
        var new = Self.screen([0, 100, 200])
        let b0 = Self.band(0), b1 = Self.band(1)
        var moved = old
        for y in (b0.y + 6)..<b0.maxY {
            for x in b0.x..<b0.maxX { moved.set(x: x, y: y, cell: y + 2 < b0.maxY ? old[x, y + 2] : .blank) }
        }
        for y in ((b1.y + 6)..<b1.maxY).reversed() {
            for x in b1.x..<b1.maxX { moved.set(x: x, y: y, cell: y - 2 >= b1.y + 6 ? old[x, y - 2] : old[x - 20, y]) }
        }
        new = moved
        let s0 = try #require(Buffer.bandShift(from: old, to: new, in: b0))
        #expect(s0.by == 2 && s0.top == b0.y + 6, "the rows above the card stay: \(s0)")
        let s1 = try #require(Buffer.bandShift(from: old, to: new, in: b1))
        #expect(s1.by == -2 && s1.top == b1.y + 6, "\(s1)")
        let rest = Buffer.diff(from: old.shifted(s0).shifted(s1), to: new)
        #expect(Set(rest.map(\.y)).count <= 4, "the rows the scrolls left blank: \(Set(rest.map(\.y)).sorted())")
        #expect(Set(Buffer.diff(from: old, to: new).map(\.y)).count > 20)
    }

    @Test("nothing moved, or too little to be worth a scroll: no shift")
    func noShift() {
        let old = Self.screen([0, 100, 200])
        #expect(Buffer.bandShift(from: old, to: old, in: Self.band(0)) == nil)
        var one = old
        one.write("X", x: 3, y: 5)
        #expect(Buffer.bandShift(from: old, to: one, in: Self.band(0)) == nil)
        let blank = Buffer(width: Self.w, height: Self.h)
        #expect(Buffer.bandShift(from: blank, to: old, in: Self.band(0)) == nil, "new content everywhere: nothing to reuse")
    }

    @Test("shifted is what a terminal shows after the scroll, in both directions")
    func shiftedMatchesATerminal() {
        var b = Buffer(width: 4, height: 5)
        for y in 0..<5 { b.write("\(y)\(y)\(y)\(y)", x: 0, y: y) }
        let up = b.shifted(BandShift(x: 1, width: 2, top: 1, height: 3, by: 1))
        #expect(up.lines == ["0000", "1221", "2332", "3  3", "4444"])
        let down = b.shifted(BandShift(x: 0, width: 4, top: 0, height: 5, by: -2))
        #expect(down.lines == ["    ", "    ", "0000", "1111", "2222"])
    }

    @Test("a wide character across the band's edge: that row is never scrolled")
    func wideAcrossTheEdge() {
        var old = Self.screen([0, 100, 200]), new = Self.screen([1, 100, 200])
        for y in 1..<(Self.h - 1) { old.write("中", x: 18, y: y); new.write("中", x: 18, y: y) }  // head inside, half outside
        #expect(Buffer.bandShift(from: old, to: new, in: Rect(x: 1, y: 1, width: 18, height: Self.h - 2)) == nil)
    }
}
