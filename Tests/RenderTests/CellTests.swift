import Foundation
import Testing
@testable import Render

@Suite("Cell: plain data") struct CellTests {
    @Test("a cell holds no reference, so buffers copy and compare as bytes")
    func plainData() {
        #expect(_isPOD(Cell.self) && _isPOD(Style.self))
        #expect(MemoryLayout<Cell>.stride <= 32)
    }

    @Test("every grapheme comes back as it went in, short, long, empty or odd")
    func roundTrip() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"  // 25 bytes: kept in the long table
        let graphemes = ["", " ", "a", "~", "é", "e\u{301}", "中", "❤️", "🇫🇷", "\u{FFFD}", "\u{0}", "\u{1B}",
                         String(repeating: "x", count: 15), String(repeating: "x", count: 16), family,
                         "a" + String(repeating: "\u{301}", count: 40), String(repeating: "\u{10FFFF}", count: 4)]
        for g in graphemes {
            let c = Cell(g, style: Style(fg: .rgb(1, 2, 3), bold: true))
            #expect(c.grapheme == g, "\(g.unicodeScalars.map { $0.value })")
            #expect(c.isContinuation == g.isEmpty)
            #expect(c == Cell(String(g), style: c.style) && c.hashValue == Cell(String(g), style: c.style).hashValue)
            var d = c
            d.grapheme = "z"
            #expect(d.grapheme == "z" && d != c)
        }
        #expect(Cell(family) != Cell(family + "x") && Cell("ab") != Cell("ba") && Cell("a") != Cell("a", style: Style(bold: true)))
        #expect(Cell("a").asciiByte == 0x61 && Cell("é").asciiByte == nil && Cell("").asciiByte == nil && Cell("ab").asciiByte == nil)
        #expect(Cell("a").width == 1 && Cell("中").width == 2 && Cell("").width == 0 && Cell(family).width == 2)
    }

    @Test("the long-grapheme table is bounded: past its limit a cell shows U+FFFD")
    func longTableIsBounded() {
        let table = LongGraphemes(limit: 3)
        let words = (0..<5).map { "grapheme-number-\($0)-long" }
        let numbers = words.map { table.index(of: $0) }
        #expect(numbers == [0, 1, 2, nil, nil])
        #expect(table.index(of: words[1]) == 1, "a known one is found, full or not")
        #expect(table.grapheme(2) == words[2] && table.grapheme(99) == "\u{FFFD}")
    }
}
