import Testing
@testable import Render

@Suite("Widgets")
struct WidgetTests {
    let theme = Theme.builtinDefault

    @Test("snapshots of composed screens", arguments: [(80, 24), (120, 40)])
    func snapshots(_ w: Int, _ h: Int) {
        Snapshot.assert(Screens.board(width: w, height: h), named: "board_\(w)x\(h)")
        Snapshot.assert(Screens.executions(width: w, height: h), named: "executions_\(w)x\(h)")
        Snapshot.assert(Screens.help(width: w, height: h), named: "help_\(w)x\(h)")
    }

    @Test("rendered screens contain no control characters")
    func screensSafe() {
        for b in [Screens.board(width: 80, height: 24), Screens.executions(width: 80, height: 24)] {
            #expect(firstUnsafeScalar(b.lines.joined()) == nil)
        }
    }

    @Test("border with titles")
    func border() {
        var b = Buffer(width: 20, height: 3)
        let inner = Border(title: "Title", rightTitle: "3/9").render(into: &b, area: b.area)
        #expect(inner == Rect(x: 1, y: 1, width: 18, height: 1))
        #expect(b.lines == ["╭─ Title ──── 3/9 ─╮", "│                  │", "╰──────────────────╯"])
        var small = Buffer(width: 8, height: 2)
        Border(title: "A long title").render(into: &small, area: small.area)
        #expect(small.lines[0] == "╭─ A… ─╮")
    }

    @Test("list keeps the selection visible and draws it in the selected style")
    func list() {
        var b = Buffer(width: 10, height: 3)
        let items = (0..<10).map { [StyledRun("item \($0)", style: Style(fg: .red))] }
        let list = ListView(items: items, selected: 6, offset: 0, selectedStyle: Style(bold: true, reverse: true))
        let offset = list.render(into: &b, area: b.area)
        #expect(offset == 4)
        #expect(b.lines == ["item 4    ", "item 5    ", "item 6    "])
        // The whole selected row, text and padding, is in the selected style (colours dropped).
        #expect((0..<10).allSatisfy { b[$0, 2].style == Style(bold: true, reverse: true) })
        #expect(b[0, 0].style.fg == .red)
    }

    @Test("empty list shows its placeholder")
    func emptyList() {
        var b = Buffer(width: 12, height: 2)
        var l = ListView(items: [])
        l.emptyText = "no agents"
        l.render(into: &b, area: b.area)
        #expect(b.lines[0] == "no agents   ")
    }

    @Test("table truncates cells with an ellipsis and aligns columns")
    func table() {
        var b = Buffer(width: 20, height: 3)
        let t = Table(columns: [TableColumn("N", width: .fixed(3), alignment: .right), TableColumn("Name")],
                      strings: [["1", "short"], ["22", "a much longer name"]], selected: 1, theme: theme)
        t.render(into: &b, area: b.area)
        #expect(b.lines == ["  N Name            ", "  1 short           ", " 22 a much longer n…"])
        #expect(b[0, 2].style == theme[.selected])
        #expect(b[19, 2].style == theme[.selected])
    }

    @Test("text view: wrap, horizontal offset, follow tail")
    func textView() {
        let lines = ["0123456789abc", "second", "third"].map { [StyledRun($0)] }
        var b = Buffer(width: 5, height: 3)
        TextView(lines: lines, wrap: true).render(into: &b, area: b.area)
        #expect(b.lines == ["01234", "56789", "abc  "])
        TextView(lines: lines, horizontalOffset: 3).render(into: &b, area: b.area)
        #expect(b.lines == ["34567", "ond  ", "rd   "])
        var tail = TextView(lines: lines, wrap: true, followTail: true)
        #expect(tail.render(into: &b, area: b.area) == 1..<3)
        #expect(b.lines == ["secon", "d    ", "third"])
        tail.wrap = false
        #expect(tail.render(into: &b, area: Rect(width: 5, height: 2)) == 1..<3)
        #expect(b.lines[0...1] == ["secon", "third"])
    }

    @Test("status bar: right side only when it fits")
    func statusBar() {
        var b = Buffer(width: 20, height: 1)
        StatusBar(left: [StyledRun("left")], right: [StyledRun("right")], style: .plain).render(into: &b, area: b.area)
        #expect(b.lines[0] == "left           right")
        var n = Buffer(width: 8, height: 1)
        StatusBar(left: [StyledRun("left side")], right: [StyledRun("right")], style: .plain).render(into: &n, area: n.area)
        #expect(n.lines[0] == "left si…")
    }

    @Test("overlay is centred and clears what is behind it")
    func overlay() {
        var b = Buffer(width: 30, height: 10, fill: Cell("x"))
        let inner = OverlayBox(title: "Confirm", lines: [[StyledRun("Delete task?")]]).render(into: &b, area: b.area)
        #expect(inner.width > 0)
        let r = OverlayBox(title: "Confirm", lines: [[StyledRun("Delete task?")]]).rect(in: b.area)
        #expect(r == Rect(x: 7, y: 3, width: 16, height: 3))
        #expect(b.lines[3] == "xxxxxxx╭─ Confirm ────╮xxxxxxx")
        #expect(b.lines[4] == "xxxxxxx│ Delete task? │xxxxxxx")
        #expect(b.lines[0] == String(repeating: "x", count: 30))
    }

    @Test("columns: a window of columns around the focused one when the screen is narrow")
    func columnsWindow() {
        let cols = (0..<6).map { BoardColumn(title: "C\($0)", cards: [BoardCard("card \($0)")]) }
        var board = Columns(columns: cols, focused: 5, theme: theme)
        #expect(board.visibleRange(width: 40) == 4..<6)
        board.focused = 0
        #expect(board.visibleRange(width: 40) == 0..<2)
        #expect(board.visibleRange(width: 200) == 0..<6)
    }

    @Test("columns: selected card highlighted only in the focused column's selected style")
    func columnsSelection() {
        let cols = [BoardColumn(title: "A", cards: [BoardCard("one"), BoardCard("two")], selected: 1),
                    BoardColumn(title: "B", cards: [BoardCard("three")], selected: 0)]
        var b = Buffer(width: 40, height: 6)
        Columns(columns: cols, focused: 0, theme: theme).render(into: &b, area: b.area)
        #expect(b[2, 2].grapheme == "t" && b[2, 2].style == theme[.selected])
        #expect(b[22, 1].grapheme == "t" && b[22, 1].style == theme[.selectedInactive])
    }
}
