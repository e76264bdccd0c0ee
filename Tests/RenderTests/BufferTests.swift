import Testing
@testable import Render

@Suite("Buffer writes")
struct BufferTests {
    @Test("text is clipped at maxWidth and at the right edge")
    func clipping() {
        var b = Buffer(width: 6, height: 2)
        #expect(b.write("abcdefgh", x: 2, y: 0) == 4)
        #expect(b.lines[0] == "  abcd")
        #expect(b.write("xyz", x: 0, y: 1, maxWidth: 2) == 2)
        #expect(b.lines[1] == "xy    ")
    }

    @Test("a wide character takes two cells; the second is a continuation")
    func wide() {
        var b = Buffer(width: 5, height: 1)
        b.write("a中b", x: 0, y: 0)
        #expect(b[1, 0].grapheme == "中")
        #expect(b[2, 0].isContinuation)
        #expect(b[3, 0].grapheme == "b")
        #expect(b.lines[0] == "a中b ")
    }

    @Test("a wide character that would hang over the edge becomes a space, never half a glyph")
    func wideAtEdge() {
        var b = Buffer(width: 4, height: 1, fill: Cell("."))
        let used = b.write("ab中", x: 1, y: 0, style: Style(bold: true))
        #expect(b.lines[0] == ".ab ")
        #expect(used == 3)
        #expect(b[3, 0] == Cell(" ", style: Style(bold: true)))
        var c = Buffer(width: 10, height: 1, fill: Cell("."))
        c.write("中文", x: 0, y: 0, maxWidth: 3)
        #expect(c.lines[0] == "中 .......")
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var b = Buffer(width: 4, height: 1)
        b.write("中中", x: 0, y: 0)
        b.set(x: 1, y: 0, cell: Cell("x"))   // right half of the first
        #expect(b.lines[0] == " x中")
        b.set(x: 2, y: 0, cell: Cell("y"))   // left half of the second
        #expect(b.lines[0] == " xy ")
        #expect(!b[3, 0].isContinuation)
    }

    @Test("scrolled off the left: a straddling wide character leaves a space")
    func negativeX() {
        var b = Buffer(width: 4, height: 1, fill: Cell("."))
        b.write("中ab", x: -1, y: 0)
        #expect(b.lines[0] == " ab.")
    }

    @Test("control characters cannot enter a cell, even bypassing the sanitizer")
    func cellGuard() {
        var b = Buffer(width: 3, height: 1)
        b.set(x: 0, y: 0, cell: Cell("\u{1B}"))
        b.write([StyledRun("\u{9B}\r")], x: 1, y: 0)
        #expect(firstUnsafeScalar(b.description) == nil)
        b.write("\u{1B}[2J", x: 0, y: 0)
        #expect(b.lines[0] == "^[[")
    }

    @Test("fill, setStyle and modifyStyle stay inside the grid")
    func regions() {
        var b = Buffer(width: 3, height: 2)
        b.fill(Rect(x: 1, y: 0, width: 10, height: 10), with: Cell("#"))
        #expect(b.lines == [" ##", " ##"])
        b.setStyle(Rect(x: 0, y: 1, width: 3, height: 1), Style(bold: true))
        #expect(b[2, 1].style.bold && !b[2, 0].style.bold)
        b.modifyStyle(Rect(x: 0, y: 0, width: 1, height: 2)) { $0.bg = .blue }
        #expect(b[0, 1].style == Style(bg: .blue, bold: true))
        #expect(b[9, 9] == .blank)
    }
}

@Suite("Buffer diff")
struct BufferDiffTests {
    func screen() -> Buffer {
        var b = Buffer(width: 20, height: 5)
        b.write("hello 中文 world", x: 1, y: 1, style: Style(fg: .green))
        return b
    }

    @Test("identical buffers: zero changes")
    func identical() {
        #expect(Buffer.diff(from: screen(), to: screen()).isEmpty)
    }

    @Test("one changed cell: exactly one change")
    func oneCell() {
        var n = screen()
        n.set(x: 3, y: 1, cell: Cell("L", style: Style(fg: .green)))
        #expect(Buffer.diff(from: screen(), to: n) == [CellChange(x: 3, y: 1, cell: Cell("L", style: Style(fg: .green)))])
        var s = screen()
        s.setStyle(Rect(x: 2, y: 1, width: 1, height: 1), Style(bold: true))
        #expect(Buffer.diff(from: screen(), to: s).count == 1)
    }

    @Test("a wide character replaced by another: one change at its head")
    func wideToWide() {
        var n = screen()
        n.write("字", x: 7, y: 1, style: Style(fg: .green))
        let d = Buffer.diff(from: screen(), to: n)
        #expect(d == [CellChange(x: 7, y: 1, cell: Cell("字", style: Style(fg: .green)))])
    }

    @Test("a wide character replaced by two narrow ones repaints both columns")
    func wideToNarrow() {
        var n = screen()
        n.write("ab", x: 7, y: 1, style: Style(fg: .green))
        let d = Buffer.diff(from: screen(), to: n)
        #expect(d.map(\.x) == [7, 8])
        #expect(d.map(\.cell.grapheme) == ["a", "b"])
    }

    @Test("narrow characters replaced by a wide one: only the head is drawn")
    func narrowToWide() {
        var n = screen()
        n.write("中", x: 1, y: 1, style: Style(fg: .green))  // over "he"
        let d = Buffer.diff(from: screen(), to: n)
        #expect(d == [CellChange(x: 1, y: 1, cell: Cell("中", style: Style(fg: .green)))])
    }

    @Test("a wide character shifted by one column repaints what it left")
    func wideShift() {
        var old = Buffer(width: 4, height: 1)
        old.write("中", x: 0, y: 0)
        var new = Buffer(width: 4, height: 1)
        new.write("中", x: 1, y: 0)
        let d = Buffer.diff(from: old, to: new)
        #expect(d.map(\.x) == [0, 1])
        #expect(d.map(\.cell.grapheme) == [" ", "中"])
    }

    @Test("different sizes: full repaint without continuation cells")
    func resize() {
        let n = screen()
        let d = Buffer.diff(from: Buffer(width: 1, height: 1), to: n)
        #expect(d.count == 20 * 5 - 2)
        #expect(n.allChanges.count == d.count)
    }
}
