import Foundation
import Testing
@testable import Render

@Suite("Sanitizer: hostile input never reaches the terminal")
struct SanitizerTests {
    let esc = "\u{1B}"

    @Test("plain ASCII passes through untouched, in one run")
    func plainASCII() {
        let runs = Sanitizer.runs("hello, world", style: Style(bold: true))
        #expect(runs == [StyledRun("hello, world", style: Style(bold: true))])
    }

    @Test("OSC 0/2 window titles, OSC 52 clipboard writes are consumed and shown as placeholders",
          arguments: ["0;pwned\u{07}", "2;title\u{1B}\\", "52;c;ZWNobyBoaQ==\u{07}"])
    func oscConsumed(_ body: String) {
        let runs = Sanitizer.runs("a" + esc + "]" + body + "b")
        expectSafe(runs)
        let ps = String(body.prefix { $0.isNumber })
        #expect(runs.plainText == "a^[]\(ps)…b")
        #expect(runs.first { $0.text.hasPrefix("^[") }?.style.dim == true)
    }

    @Test("OSC 8 hyperlinks keep their text and drop the markers")
    func osc8() {
        let text = "see " + esc + "]8;;https://evil.example\u{07}docs" + esc + "]8;;\u{07} now"
        let runs = Sanitizer.runs(text)
        expectSafe(runs)
        #expect(runs.plainText == "see docs now")
    }

    @Test("an unterminated OSC swallows the rest of the line, not the terminal")
    func unterminatedOSC() {
        let runs = Sanitizer.runs("ok " + esc + "]0;never ends " + String(repeating: "x", count: 1000))
        expectSafe(runs)
        #expect(runs.plainText == "ok ^[]0…")
    }

    @Test("DCS, APC, PM and SOS strings are consumed whole",
          arguments: [("P", "^[P…"), ("_", "^[_…"), ("^", "^[^…"), ("X", "^[X…")])
    func strings(_ intro: String, _ shown: String) {
        let runs = Sanitizer.runs("<" + esc + intro + "1$r" + esc + "[31m payload" + esc + "\\>")
        expectSafe(runs)
        // An ESC inside the string that is not ST aborts it (as terminals do): the rest is rescanned.
        #expect(runs.plainText.hasPrefix("<" + shown))
        #expect(runs.plainText.hasSuffix(">"))
    }

    @Test("CSI screen switches, clears and queries become visible placeholders",
          arguments: [("[?1049h", "^[[?1049h"), ("[2J", "^[[2J"), ("[6n", "^[[6n"), ("[c", "^[[c"),
                      ("[>0c", "^[[>0c"), ("[18t", "^[[18t"), ("[H", "^[[H"), ("[K", "^[[K")])
    func csi(_ seq: String, _ shown: String) {
        let runs = Sanitizer.runs("x" + esc + seq + "y")
        expectSafe(runs)
        #expect(runs.plainText == "x" + shown + "y")
    }

    @Test("placeholders can be turned off")
    func noPlaceholders() {
        let runs = Sanitizer.runs("x" + esc + "[2J" + esc + "]0;t\u{07}y", options: .init(showEscapes: false))
        #expect(runs.plainText == "xy")
    }

    @Test("8-bit C1 controls: raw bytes are invalid UTF-8, encoded ones are shown or consumed")
    func c1() {
        // Raw 0x9B (8-bit CSI) and 0x9D (8-bit OSC) as bytes.
        let raw = Sanitizer.runs(bytes: [0x61, 0x9B, 0x32, 0x4A, 0x9D, 0x62])
        expectSafe(raw)
        #expect(raw.plainText == "a\u{FFFD}2J\u{FFFD}b")
        // The same as UTF-8 encoded C1 code points: U+009B starts a CSI, U+009D an OSC.
        let enc = Sanitizer.runs("a\u{9B}2Jb\u{9D}0;t\u{9C}c\u{85}d")
        expectSafe(enc)
        #expect(enc.plainText == "a^[[2Jb^[]0…c^[Ed")
    }

    @Test("carriage return and backspace are shown, never acted on")
    func crAndBackspace() {
        let runs = Sanitizer.runs("safe\rEVIL\u{08}\u{08}x")
        expectSafe(runs)
        #expect(runs.plainText == "safe^MEVIL^H^Hx")
        #expect(runs.filter { $0.text.contains("^") }.allSatisfy { $0.style.dim })
        // A CRLF line ending is just a line ending.
        #expect(Sanitizer.runs("line\r").plainText == "line")
    }

    @Test("other C0 controls and DEL use caret notation; tab becomes spaces")
    func c0() {
        let runs = Sanitizer.runs("a\u{00}b\u{07}c\u{7F}d\te\n")
        expectSafe(runs)
        #expect(runs.plainText == "a^@b^Gc^?d e^J")
        let tabbed = Sanitizer.runs("ab\tc\td", options: .init(tabStop: 4))
        #expect(tabbed.plainText == "ab  c   d")
    }

    @Test("bidi overrides and isolates are shown as code points; other format characters dropped")
    func bidi() {
        let runs = Sanitizer.runs("file\u{202E}gpj.exe\u{2066}x\u{2069}\u{200B}\u{FEFF}")
        expectSafe(runs)
        #expect(runs.plainText == "file<U+202E>gpj.exe<U+2066>x<U+2069>")
        // ZWJ stays: emoji sequences need it.
        #expect(Sanitizer.runs("👩\u{200D}💻").plainText == "👩\u{200D}💻")
    }

    @Test("invalid UTF-8 becomes U+FFFD, one per maximal bad subpart")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x41, 0xFF, 0x42, 0xE2, 0x82, 0x43, 0xED, 0xA0, 0x80, 0x44, 0xF0, 0x9F, 0x98]
        let runs = Sanitizer.runs(bytes: bytes)
        expectSafe(runs)
        // FF: 1; E2 82 (truncated 3-byte): 1; ED A0 80 (surrogate): ED alone then A0, 80: 3; F0 9F 98 at end: 1.
        #expect(runs.plainText == "A\u{FFFD}B\u{FFFD}C\u{FFFD}\u{FFFD}\u{FFFD}D\u{FFFD}")
        #expect(Sanitizer.runs(bytes: Array("é中😀".utf8)).plainText == "é中😀")
    }

    @Test("Data input is accepted")
    func dataInput() {
        var s = Sanitizer()
        let runs = s.sanitize(data: Data([0x68, 0x1B, 0x5B, 0x32, 0x4A, 0x69]))
        #expect(runs.plainText == "h^[[2Ji")
    }

    @Test("lone and trailing ESC, two-byte escapes, charset designations")
    func loneEscape() {
        #expect(Sanitizer.runs("a" + esc).plainText == "a^[")
        #expect(Sanitizer.runs("a" + esc + "cb").plainText == "a^[cb")
        #expect(Sanitizer.runs("a" + esc + "(Bb").plainText == "ab")
        #expect(Sanitizer.runs("a" + esc + esc + "[1mb").plainText == "a^[b")
        #expect(Sanitizer.runs("a" + esc + "é").plainText == "a^[é")
    }

    @Test("combining marks are capped (zalgo cannot build a huge cell)")
    func zalgo() {
        let text = "e" + String(repeating: "\u{301}", count: 50) + "x"
        let out = Sanitizer.runs(text).plainText
        #expect(out.unicodeScalars.count == 1 + 4 + 1)
    }

    @Test("a 1 MB hostile line is handled in linear time and stays safe")
    func oneMegabyteLine() {
        var bytes: [UInt8] = []
        let chunk = Array((esc + "[31mred" + esc + "]0;t\u{07}\r\u{08}\u{9B}é中" + esc + "[2J").utf8) + [0xFF, 0x80]
        while bytes.count < 1 << 20 { bytes += chunk }
        let start = ContinuousClock.now
        let runs = Sanitizer.runs(bytes: bytes, options: .log)
        let elapsed = ContinuousClock.now - start
        expectSafe(runs)
        #expect(runs.plainText.contains("red"))
        #expect(elapsed < .seconds(5), "1 MB took \(elapsed)")  // debug build; release is ~100x faster

        // An unterminated CSI with a megabyte of parameters.
        let params = Array((esc + "[" + String(repeating: "1;", count: 500_000)).utf8)
        expectSafe(Sanitizer.runs(bytes: params + Array("x".utf8), options: .log))
    }

    @Test("maxColumns stops early: a viewport needs only its width")
    func maxColumns() {
        let long = String(repeating: "abc中", count: 100_000)
        let runs = Sanitizer.runs(long, options: .init(maxColumns: 10))
        #expect(runs.displayWidth <= 10)
        #expect(runs.plainText == "abc中abc中")
    }

    @Test("plain() gives a safe one-line string")
    func plain() {
        #expect(Sanitizer.plain("title\u{1B}]0;x\u{07}\nnext") == "title^[]0…^Jnext")
    }
}
