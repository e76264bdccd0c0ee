import Testing
@testable import Render

@Suite("Layout and text shaping")
struct LayoutTests {
    let area = Rect(x: 0, y: 0, width: 100, height: 10)

    @Test("fixed, percent and fill add up to the whole width")
    func split() {
        let r = area.split(.horizontal, [.fixed(20), .percent(30), .fill(1)])
        #expect(r.map(\.width) == [20, 30, 50])
        #expect(r.map(\.x) == [0, 20, 50])
        let v = area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
        #expect(v.map(\.height) == [1, 8, 1])
        #expect(v[2].y == 9)
    }

    @Test("fill weights share the rest; rounding goes to the last fill")
    func weights() {
        let r = Rect(width: 10, height: 1).split(.horizontal, [.fill(1), .fill(2)])
        #expect(r.map(\.width) == [3, 7])
        let s = Rect(width: 10, height: 1).split(.horizontal, [.fill(1), .fill(1), .fill(1)], spacing: 1)
        #expect(s.map(\.width) == [2, 2, 4])
        #expect(s.map(\.x) == [0, 3, 6])
    }

    @Test("over-committed layouts shrink the last segments first")
    func overCommitted() {
        let r = Rect(width: 10, height: 1).split(.horizontal, [.fixed(8), .fixed(8), .min(3)])
        #expect(r.map(\.width) == [8, 2, 0])
    }

    @Test("rect helpers")
    func rects() {
        #expect(area.inset(by: 1) == Rect(x: 1, y: 1, width: 98, height: 8))
        #expect(area.centered(width: 20, height: 4) == Rect(x: 40, y: 3, width: 20, height: 4))
        #expect(Rect(x: 5, y: 5, width: 10, height: 10).intersection(Rect(width: 8, height: 8)) ==
                Rect(x: 5, y: 5, width: 3, height: 3))
        #expect(Rect(x: 5, y: 5, width: 1, height: 1).intersection(Rect(width: 2, height: 2)).isEmpty)
    }

    @Test("truncation is width-aware and ends with an ellipsis")
    func truncate() {
        #expect(TextLayout.truncate("hello world", width: 8) == "hello w…")
        #expect(TextLayout.truncate("short", width: 8) == "short")
        #expect(TextLayout.truncate("中文中文", width: 6) == "中文 …")
        #expect(TextLayout.truncate("中文中文", width: 5) == "中文…")
        #expect(TextLayout.truncate([StyledRun("ab"), StyledRun("cdef", style: Style(bold: true))], width: 4)
                == [StyledRun("ab"), StyledRun("c…", style: Style(bold: true))])
    }

    @Test("align pads to an exact width")
    func align() {
        #expect(TextLayout.align([StyledRun("ab")], width: 5, alignment: .right).plainText == "   ab")
        #expect(TextLayout.align([StyledRun("ab")], width: 5, alignment: .center).plainText == " ab  ")
        #expect(TextLayout.align([StyledRun("abcdefg")], width: 5).plainText == "abcd…")
    }

    @Test("slice scrolls sideways, splitting wide characters into spaces")
    func slice() {
        let line = [StyledRun("ab"), StyledRun("中文cd")]
        #expect(TextLayout.slice(line, from: 1, width: 4).plainText == "b中 ")
        #expect(TextLayout.slice(line, from: 3, width: 3).plainText == " 文")
        #expect(TextLayout.slice(line, from: 50, width: 3).isEmpty)
    }

    @Test("wrap by words, cutting words longer than a row")
    func wrap() {
        let rows = TextLayout.wrap([StyledRun("the quick brown fox")], width: 10)
        #expect(rows.map(\.plainText) == ["the quick ", "brown fox"])
        let long = TextLayout.wrap([StyledRun("abcdefghijkl")], width: 5)
        #expect(long.map(\.plainText) == ["abcde", "fghij", "kl"])
        let wide = TextLayout.wrap([StyledRun("中文中文中")], width: 5, words: false)
        #expect(wide.map(\.displayWidth).allSatisfy { $0 <= 5 })
        #expect(wide.map(\.plainText).joined() == "中文中文中")
    }

    @Test("scroll offsets keep the selection visible, moving as little as possible")
    func scroll() {
        #expect(Scroll.offset(selected: 0, current: 0, visible: 5, count: 100) == 0)
        #expect(Scroll.offset(selected: 7, current: 0, visible: 5, count: 100) == 3)
        #expect(Scroll.offset(selected: 4, current: 3, visible: 5, count: 100) == 3)
        #expect(Scroll.offset(selected: 1, current: 3, visible: 5, count: 100) == 1)
        #expect(Scroll.offset(selected: 99, current: 0, visible: 5, count: 100) == 95)
        #expect(Scroll.offset(selected: 2, current: 50, visible: 5, count: 3) == 0)
        #expect(Scroll.offset(selected: 3, current: 0, heights: [2, 2, 2, 2], visible: 5) == 2)
        #expect(Scroll.offset(selected: 0, current: 2, heights: [2, 2, 2, 2], visible: 5) == 0)
        #expect(Scroll.offset(selected: 3, current: 3, heights: [1, 1, 1, 1], visible: 5) == 0)
    }

    @Test("lazy heights: the same offsets as summing every height, asking only for items near the screen")
    func lazyScroll() {
        // The former algorithm, which summed heights over whole ranges.
        func reference(_ selected: Int?, _ current: Int, _ heights: [Int], _ visible: Int) -> Int {
            let count = heights.count
            guard visible > 0, count > 0 else { return 0 }
            var o = min(max(0, current), count - 1)
            if let s = selected.map({ min(max(0, $0), count - 1) }) {
                if s < o { o = s }
                var used = heights[o...s].reduce(0, +)
                while used > visible && o < s { used -= heights[o]; o += 1 }
            }
            var tail = heights[o...].reduce(0, +)
            while o > 0 && tail + heights[o - 1] <= visible { o -= 1; tail += heights[o] }
            return o
        }
        var seed: UInt64 = 12345
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        for _ in 0..<3000 {
            let heights = (0..<(1 + next(300))).map { _ in 1 + next(4) }
            let visible = next(40), current = next(320), selected: Int? = next(10) == 0 ? nil : next(320)
            var asked = Set<Int>()
            let lazy = Scroll.offset(selected: selected, current: current, count: heights.count, visible: visible) {
                asked.insert($0); return heights[$0]
            }
            #expect(lazy == reference(selected, current, heights, visible), "\(heights) sel \(String(describing: selected)) cur \(current) vis \(visible)")
            #expect(asked.count <= 2 * (visible + 1), "asked \(asked.count) heights for \(visible) rows")
        }
    }
}

@Suite("Search highlighting")
struct HighlightTests {
    let hit = Style(bg: .yellow)

    @Test("matches across run boundaries, case-insensitive")
    func acrossRuns() {
        let runs = [StyledRun("an Err"), StyledRun("or here, error", style: Style(fg: .red))]
        let (out, n) = TextLayout.highlight(runs, matching: "error", style: hit)
        #expect(n == 2)
        #expect(out.plainText == runs.plainText)
        #expect(out == [StyledRun("an "), StyledRun("Error", style: hit),
                        StyledRun(" here, ", style: Style(fg: .red)), StyledRun("error", style: hit)])
    }

    @Test("no needle or no match leaves the runs alone; wide text keeps its characters")
    func noMatch() {
        let runs = [StyledRun("中文 text")]
        #expect(TextLayout.highlight(runs, matching: "", style: hit).runs == runs)
        #expect(TextLayout.highlight(runs, matching: "zzz", style: hit).matches == 0)
        #expect(TextLayout.highlight(runs, matching: "文", style: hit).runs == [StyledRun("中"), StyledRun("文", style: hit), StyledRun(" text")])
    }
}
