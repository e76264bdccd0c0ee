import Render
import Testing
@testable import Terminal

@Suite("Scrolling a region")
struct ScrollSequenceTests {
    @Test("a column band: margins on, region, scroll, margins and region reset, cursor saved around it")
    func columnBand() {
        let s = Screen.scrollSequence(BandShift(x: 41, width: 38, top: 3, height: 54, by: 2), fullWidth: false)
        #expect(s == "\u{1B}7\u{1B}[?69h\u{1B}[42;79s\u{1B}[4;57r\u{1B}[2S\u{1B}[s\u{1B}[?69l\u{1B}[r\u{1B}8")
        #expect(s.utf8.count < 50, "a scroll costs less than redrawing one row of a column")
    }

    @Test("the full width needs no margins; content moving down scrolls down")
    func fullWidth() {
        let s = Screen.scrollSequence(BandShift(x: 0, width: 80, top: 1, height: 22, by: -3), fullWidth: true)
        #expect(s == "\u{1B}7\u{1B}[2;23r\u{1B}[3T\u{1B}[r\u{1B}8")
    }
}
