import CNcurses
import Render
import Testing
@testable import Terminal

@Suite("Key names for binding files")
struct KeyNameTests {
    @Test("names parse to keys", arguments: [
        ("ctrl-c", Key.ctrl("c")), ("C-c", .ctrl("c")), ("Ctrl+C", .ctrl("c")), ("^C", .ctrl("c")),
        ("enter", .enter), ("Return", .enter), ("esc", .escape), ("escape", .escape),
        ("G", .char("G")), ("g", .char("g")), ("?", .char("?")), ("/", .char("/")), ("space", .char(" ")),
        ("pgdn", .pageDown), ("PageDown", .pageDown), ("pgup", .pageUp), ("home", .home), ("end", .end),
        ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("tab", .tab), ("shift-tab", .backTab), ("backtab", .backTab), ("backspace", .backspace),
        ("del", .delete), ("f5", .f(5)), ("F12", .f(12)), ("alt-x", .alt("x")), ("M-x", .alt("x")),
        ("ctrl-i", .tab), ("ctrl-m", .enter), ("ctrl-space", .ctrl(" ")), ("ctrl-[", .escape),
    ])
    func parse(_ name: String, _ key: Key) {
        #expect(Key(name: name) == key)
    }

    @Test("bad names are rejected", arguments: ["", "ctrl-", "ctrl-xy", "f0", "f99", "hyper-x", "pagedownn", "ctrl-1"])
    func rejects(_ name: String) {
        #expect(Key(name: name) == nil)
    }

    @Test("every key's name parses back to the same key")
    func roundTrip() {
        let keys: [Key] = [.char("a"), .char("G"), .char(" "), .char("é"), .up, .down, .left, .right, .home, .end,
                           .pageUp, .pageDown, .enter, .escape, .backspace, .tab, .backTab, .delete, .insert,
                           .f(1), .f(24), .ctrl("a"), .ctrl(" "), .ctrl("\\"), .alt("x"), .alt(" "), .resize]
        for k in keys { #expect(Key(name: k.name) == k, "\(k.name)") }
        #expect(Key.ctrl("c").name == "ctrl-c")
        #expect(Key.pageDown.name == "pgdn")
    }

    @Test("labels for help screens")
    func labels() {
        #expect(Key.ctrl("c").label == "^C")
        #expect(Key.up.label == "↑")
        #expect(Key.pageDown.label == "PgDn")
        #expect(Key.char("G").label == "G")
    }
}

@Suite("Decoding get_wch results")
struct KeyDecoderTests {
    let ok = cn_ok(), fn = cn_key_code_yes()

    @Test("control characters")
    func controls() {
        #expect(KeyDecoder.decode(status: ok, value: 13) == .enter)
        #expect(KeyDecoder.decode(status: ok, value: 10) == .enter)
        #expect(KeyDecoder.decode(status: ok, value: 9) == .tab)
        #expect(KeyDecoder.decode(status: ok, value: 127) == .backspace)
        #expect(KeyDecoder.decode(status: ok, value: 8) == .backspace)
        #expect(KeyDecoder.decode(status: ok, value: 27) == .escape)
        #expect(KeyDecoder.decode(status: ok, value: 3) == .ctrl("c"))
        #expect(KeyDecoder.decode(status: ok, value: 12) == .ctrl("l"))
        #expect(KeyDecoder.decode(status: ok, value: 26) == .ctrl("z"))
        #expect(KeyDecoder.decode(status: ok, value: 0) == .ctrl(" "))
        #expect(KeyDecoder.decode(status: ok, value: 0x9B) == nil)
    }

    @Test("printable characters, including wide ones")
    func printable() {
        #expect(KeyDecoder.decode(status: ok, value: 0x6A) == .char("j"))
        #expect(KeyDecoder.decode(status: ok, value: 0x47) == .char("G"))
        #expect(KeyDecoder.decode(status: ok, value: 0x4E2D) == .char("中"))
    }

    @Test("function keys")
    func functionKeys() {
        func d(_ code: Int32) -> Key? { KeyDecoder.decode(status: fn, value: UInt32(bitPattern: code)) }
        #expect(d(KEY_UP) == .up)
        #expect(d(KEY_DOWN) == .down)
        #expect(d(KEY_NPAGE) == .pageDown)
        #expect(d(KEY_PPAGE) == .pageUp)
        #expect(d(KEY_HOME) == .home)
        #expect(d(KEY_END) == .end)
        #expect(d(KEY_BTAB) == .backTab)
        #expect(d(KEY_DC) == .delete)
        #expect(d(KEY_BACKSPACE) == .backspace)
        #expect(d(KEY_ENTER) == .enter)
        #expect(d(cn_key_resize()) == .resize)
        #expect(d(cn_key_f(1)) == .f(1))
        #expect(d(cn_key_f(12)) == .f(12))
        #expect(d(KEY_MOUSE) == nil)
        #expect(KeyDecoder.decode(status: cn_err(), value: 0) == nil)
    }
}
