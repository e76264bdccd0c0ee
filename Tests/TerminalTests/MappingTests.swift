import CNcurses
import Render
import Testing
@testable import Terminal

@Suite("Colour pairs")
struct ColorPairCacheTests {
    @Test("default on default is pair 0 and never allocated")
    func defaultPair() {
        var c = ColorPairCache(capacity: 16)
        #expect(c.pair(fg: -1, bg: -1) == .init(pair: 0, isNew: false, didReset: false))
        #expect(c.count == 0)
    }

    @Test("a combination gets one pair number and keeps it")
    func reuse() {
        var c = ColorPairCache(capacity: 16)
        let a = c.pair(fg: 1, bg: -1)
        #expect(a == .init(pair: 1, isNew: true, didReset: false))
        #expect(c.pair(fg: 2, bg: -1).pair == 2)
        #expect(c.pair(fg: 1, bg: -1) == .init(pair: 1, isNew: false, didReset: false))
        #expect(c.pair(fg: -1, bg: 1).pair == 3)  // order matters: (fg, bg) ≠ (bg, fg)
        #expect(c.count == 3)
    }

    @Test("when pairs run out the cache starts over and says so")
    func reset() {
        var c = ColorPairCache(capacity: 4)  // pairs 1…3 usable
        for fg in Int32(1)...3 { #expect(!c.pair(fg: fg, bg: 0).didReset) }
        let r = c.pair(fg: 9, bg: 0)
        #expect(r == .init(pair: 1, isNew: true, didReset: true))
        #expect(c.count == 1)
        #expect(c.pair(fg: 1, bg: 0) == .init(pair: 2, isNew: true, didReset: false))
    }

    @Test("large numbers (direct colour) are distinct keys")
    func directColours() {
        var c = ColorPairCache(capacity: 65536)
        let a = c.pair(fg: 0xFF0000, bg: 0x000008)
        let b = c.pair(fg: 0x000008, bg: 0xFF0000)
        #expect(a.pair != b.pair)
    }
}

@Suite("Style to ncurses attributes and colours")
struct StyleMappingTests {
    @Test("attributes map bit by bit")
    func attributes() {
        let m = StyleMapping(depth: .c256, colors: 256, defaultColors: true)
        #expect(m.attributes(for: .plain) == cn_a_normal())
        #expect(m.attributes(for: Style(bold: true)) == cn_a_bold())
        let all = m.attributes(for: Style(bold: true, dim: true, italic: true, underline: true, reverse: true))
        #expect(all == cn_a_bold() | cn_a_dim() | cn_a_italic() | cn_a_underline() | cn_a_reverse())
    }

    @Test("NO_COLOR keeps attributes (selection stays visible) and drops colours")
    func noColor() {
        let m = StyleMapping(depth: .none, colors: 256, defaultColors: true)
        let sel = Style(fg: .rgb(255, 255, 255), bg: .rgb(0, 0, 255), bold: true, reverse: true)
        #expect(m.attributes(for: sel) == cn_a_bold() | cn_a_reverse())
        #expect(m.colorNumbers(for: sel) == (-1, -1))
    }

    @Test("colour numbers per depth")
    func numbers() {
        let style = Style(fg: .rgb(255, 0, 0), bg: .indexed(21))
        #expect(StyleMapping(depth: .c256, colors: 256, defaultColors: true).colorNumbers(for: style) == (196, 21))
        #expect(StyleMapping(depth: .c16, colors: 256, defaultColors: true).colorNumbers(for: style) == (9, 4))
        #expect(StyleMapping(depth: .trueColor, colors: 0x1000000, defaultColors: true).colorNumbers(for: style)
                == (0xFF0000, 0x0000FF))
        // Direct colour: values below 8 are ANSI in terminfo, so black is nudged to 8.
        #expect(StyleMapping(depth: .trueColor, colors: 0x1000000, defaultColors: true)
                .colorNumbers(for: Style(fg: .rgb(0, 0, 0))).fg == 8)
        #expect(StyleMapping(depth: .trueColor, colors: 0x1000000, defaultColors: true)
                .colorNumbers(for: Style(fg: .ansi(1))).fg == 1)
    }

    @Test("terminal default colours, or white on black when the terminal has none")
    func defaults() {
        #expect(StyleMapping(depth: .c256, colors: 256, defaultColors: true).colorNumbers(for: .plain) == (-1, -1))
        #expect(StyleMapping(depth: .c256, colors: 256, defaultColors: false).colorNumbers(for: .plain) == (7, 0))
    }

    @Test("eight-colour terminals: bright foreground becomes bold")
    func eightColours() {
        let m = StyleMapping(depth: .c16, colors: 8, defaultColors: true)
        #expect(m.colorNumbers(for: Style(fg: .brightRed)).fg == 1)
        #expect(m.attributes(for: Style(fg: .brightRed)) == cn_a_bold())
    }
}

@Suite("Eight-colour terminals")
struct EightColourTests {
    @Test("the default theme's selection keeps a coloured background on eight colours")
    func selectionVisible() {
        let m = StyleMapping(depth: .c16, colors: 8, defaultColors: true)
        let sel = Theme.builtinDefault[.selected]
        let (fg, bg) = m.colorNumbers(for: sel)
        #expect(bg == 4)          // dark blue stays blue instead of folding onto black
        #expect(fg != bg)
        #expect((0...7).contains(fg) && (0...7).contains(bg))
    }
}
