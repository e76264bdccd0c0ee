import Foundation
import Testing
import TestSupport
import Config
@testable import Render

@Suite("Themes")
struct ThemeTests {
    static let repoThemes = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    @Test("palette references, hex, ANSI names, numbers, inline and table styles")
    func parse() throws {
        let toml = ConfigSeeds.everyForm
        let (t, notes) = try Theme.parse(toml: toml, name: "file")
        #expect(notes.isEmpty)
        #expect(t.name == "mine")
        #expect(t[.error] == Style(fg: .brightRed))
        #expect(t[.warning] == Style(fg: .indexed(208)))
        #expect(t[.selected] == Style(fg: .rgb(255, 255, 255), bg: .rgb(0x33, 0x66, 0x99), bold: true, underline: true))
        #expect(t[.title] == Style(fg: .rgb(0x33, 0x66, 0x99), reverse: true))
        // Slots left out come from the built-in default.
        #expect(t[.overdue] == Theme.builtinDefault[.overdue])
    }

    @Test("unknown names are notes, not failures")
    func unknownNames() throws {
        let (t, notes) = try Theme.parse(toml: "[styles]\nsparkle = \"red\"\nerror = { fg = \"red\", blink = true }", name: "x")
        #expect(Set(notes) == ["unknown style 'sparkle'", "unknown key 'styles.error.blink'"])
        #expect(t[.error].fg == .red)
    }

    @Test("bad values are errors", arguments: [
        "[styles]\nerror = \"#12345\"", "[styles]\nerror = 300", "[styles]\nerror = { bold = \"yes\" }",
        "[styles\nerror = 1", "colors = 3", "[styles]\nerror = \"chartreuse-ish\"",
    ])
    func badValues(_ toml: String) {
        #expect(throws: ThemeError.self) { try Theme.parse(toml: toml, name: "bad") }
    }

    @Test("a bad theme file loads the default plus a one-line warning, never a crash")
    func badFile() throws {
        let dir = try tempDir()
        try "[styles\nthis is not toml = = =".write(toFile: dir + "/broken.toml", atomically: true, encoding: .utf8)
        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: dir + "/binary.toml"))
        let loader = ThemeLoader(bundledDirectory: nil, userDirectory: dir)
        for name in ["broken", "binary", "missing"] {
            let r = loader.load(name)
            #expect(r.theme == Theme.builtinDefault)
            let w = try #require(r.warning)
            #expect(!w.contains("\n"))
            #expect(firstUnsafeScalar(w) == nil)
        }
        #expect(loader.load("broken").warning?.contains("syntax error") == true)
        #expect(loader.load("default").warning == nil)
    }

    @Test("a theme's warning names the file and the line of the problem")
    func warningsNameTheLine() throws {
        let dir = try tempDir()
        try "[colors]\naccent = \"#123456\"\n[styles]\nerror = { fg = \"nope\" }\n".write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        try "[styles]\n[\n".write(toFile: dir + "/syntax.toml", atomically: true, encoding: .utf8)
        try Data(Array("[styles]\nerror = \"".utf8) + [0xFF] + Array("\"\n".utf8)).write(to: URL(fileURLWithPath: dir + "/utf8.toml"))
        let loader = ThemeLoader(bundledDirectory: nil, userDirectory: dir)
        #expect(loader.load("bad").warning == "theme bad.toml:4: styles.error.fg: 'nope' is not a colour (use #rrggbb, a name or 0-255); using the default theme")
        #expect(loader.load("syntax").warning == "theme syntax.toml:2: syntax error: expected a key, found the end of the line; using the default theme")
        #expect(loader.load("utf8").warning == "theme utf8.toml:2: syntax error: invalid UTF-8 (byte 0xFF); using the default theme")
        #expect(loader.load("utf8").theme == Theme.builtinDefault)
    }

    @Test("a FIFO, a device or a directory as a theme is refused at once, never waited on")
    func specialFiles() throws {
        let dir = try tempDir()
        #expect(mkfifo(dir + "/fifo.toml", 0o600) == 0)
        let loader = ThemeLoader(bundledDirectory: nil, userDirectory: dir)
        #expect(loader.load("fifo").warning == "theme fifo.toml is a FIFO, not a regular file; using the default theme")
        #expect(loader.load("/dev/zero").warning == "theme zero is a device, not a regular file; using the default theme")
        #expect(loader.load(dir + "/").warning?.contains("is a directory, not a regular file") == true)
        #expect(loader.load("/dev/zero").theme == Theme.builtinDefault)
    }

    @Test("user folder overrides bundled themes; paths load directly")
    func userOverride() throws {
        let bundled = try tempDir(), user = try tempDir()
        try "[styles]\nerror = \"red\"".write(toFile: bundled + "/mine.toml", atomically: true, encoding: .utf8)
        try "[styles]\nerror = \"blue\"".write(toFile: user + "/mine.toml", atomically: true, encoding: .utf8)
        let loader = ThemeLoader(bundledDirectory: bundled, userDirectory: user)
        #expect(loader.load("mine").theme[.error].fg == .blue)
        #expect(loader.load(bundled + "/mine.toml").theme[.error].fg == .red)
        #expect(loader.availableThemes() == ["default", "mine"])
    }

    @Test("XDG_CONFIG_HOME decides the user folder")
    func userFolder() {
        #expect(ThemeLoader.defaultUserDirectory(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/h"])
                == "/x/cfg/agentmon/themes")
        #expect(ThemeLoader.defaultUserDirectory(environment: ["HOME": "/h"]) == "/h/.config/agentmon/themes")
    }

    @Test("every bundled theme loads cleanly and keeps the selection distinct",
          arguments: ["default", "light", "high-contrast", "solarized-dark"])
    func bundled(_ name: String) {
        let r = ThemeLoader(bundledDirectory: Self.repoThemes, userDirectory: nil).load(name)
        #expect(r.warning == nil)
        #expect(r.theme.name == name)
        let sel = r.theme[.selected], text = r.theme[.text]
        // Selected differs from text by background or reverse video, and is bold.
        #expect(sel.bg != text.bg || sel.reverse != text.reverse)
        #expect(sel.bold)
        #expect(sel.fg != sel.bg || sel.reverse)
        for depth in ColorDepth.allCases {
            let a = r.theme.adapted(to: depth)
            #expect(a[.selected] != a[.text])
        }
    }

    @Test("themes/default.toml is the built-in default")
    func defaultFileMatchesBuiltin() {
        let r = ThemeLoader(bundledDirectory: Self.repoThemes, userDirectory: nil).load("default")
        #expect(r.theme == Theme.builtinDefault)
    }

    @Test("status lookups by stored names")
    func lookups() {
        let t = Theme.builtinDefault
        #expect(t.taskStatus("in_progress") == t[.taskInProgress])
        #expect(t.executionStatus("timed_out") == t[.execTimedOut])
        #expect(t.taskStatus("unknown") == t[.text])
        #expect(t.priority(9) == t[.priority5])
        #expect(t.priority(0) == t[.priority1])
    }

    @Test("NO_COLOR adaptation drops colours and keeps the selection visible")
    func monochrome() {
        let t = Theme.builtinDefault.adapted(to: .none)
        for slot in ThemeSlot.allCases {
            #expect(t[slot].fg == .default && t[slot].bg == .default)
        }
        #expect(t[.selected].reverse && t[.selected].bold)
        #expect(t[.statusBar].reverse)
    }
}
