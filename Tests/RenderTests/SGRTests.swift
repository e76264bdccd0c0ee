import Testing
@testable import Render

@Suite("SGR colours in logs become styles")
struct SGRTests {
    let esc = "\u{1B}"
    let log = Sanitizer.Options(parseSGR: true)

    @Test("basic colours and attributes split the text into styled runs")
    func basic() {
        let runs = Sanitizer.runs("a" + esc + "[1;31mB" + esc + "[0mc", options: log)
        #expect(runs == [StyledRun("a"), StyledRun("B", style: Style(fg: .red, bold: true)), StyledRun("c")])
    }

    @Test("256-colour and true-colour, both ; and : forms")
    func extended() {
        let runs = Sanitizer.runs(esc + "[38;5;208mx" + esc + "[48;2;1;2;3my" + esc + "[38:2::10:20:30mz"
                                  + esc + "[38:5:99mw", options: log)
        #expect(runs.map(\.style.fg) == [.indexed(208), .indexed(208), .rgb(10, 20, 30), .indexed(99)])
        #expect(runs[1].style.bg == .rgb(1, 2, 3))
        #expect(runs.plainText == "xyzw")
    }

    @Test("bright colours, dim/italic/underline/reverse and their resets")
    func attributes() {
        let s = SGR.apply(parameters: Array("2;3;4;7;92;104".utf8)[...], to: .plain, base: .plain)
        #expect(s == Style(fg: .brightGreen, bg: .brightBlue, dim: true, italic: true, underline: true, reverse: true))
        let off = SGR.apply(parameters: Array("22;23;24;27;39;49".utf8)[...], to: s, base: .plain)
        #expect(off == .plain)
        #expect(SGR.apply(parameters: Array("4:0".utf8)[...], to: Style(underline: true), base: .plain).underline == false)
    }

    @Test("reset and default colours return to the caller's base style, not the terminal's")
    func resetToBase() {
        let base = Style(fg: .white, bg: .blue)
        let runs = Sanitizer.runs("a" + esc + "[31mb" + esc + "[mc" + esc + "[32;49md", style: base, options: log)
        #expect(runs.map(\.style) == [base, base.with(fg: .red), base, base.with(fg: .green)])
    }

    @Test("SGR state carries across lines, as on a terminal")
    func carryAcrossLines() {
        let lines = Sanitizer.lines("x" + esc + "[33mstart\nstill yellow" + esc + "[0m\nplain")
        #expect(lines[1] == [StyledRun("still yellow", style: Style(fg: .yellow))])
        #expect(lines[2] == [StyledRun("plain")])
    }

    @Test("without parseSGR the codes vanish silently; malformed SGR is ignored")
    func dropped() {
        #expect(Sanitizer.runs("a" + esc + "[1;31mb").plainText == "ab")
        #expect(Sanitizer.runs("a" + esc + "[1;31mb") == [StyledRun("ab")])
        let odd = Sanitizer.runs("a" + esc + "[38;5mb" + esc + "[38;2;1mc" + esc + "[999999999999mz", options: log)
        #expect(odd.plainText == "abcz")
        #expect(odd.allSatisfy { $0.style == .plain })
    }
}
