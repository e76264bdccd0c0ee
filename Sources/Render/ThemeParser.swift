// Reads a theme from TOML text.
//
// Public API:
//   Theme.parse(toml: String, name: String) throws(ThemeError) -> (theme: Theme, notes: [String])
//   Theme.parse(bytes: [UInt8], name: String)  (same; invalid UTF-8 is an error with its line)
//   struct ThemeError: Error — message (one line), line (1-based, when known)
//
// Format:
//   name = "nord"                      # optional, else the file name
//   [colors]                           # a palette: "#rrggbb", "#rgb", ANSI names, 0–255
//   accent = "#88c0d0"
//   [styles.selected]                  # or inline: selected = { fg = "…", bg = "accent", bold = true }
//   fg = "#2e3440"; bg = "accent"; bold = true
//   [styles]
//   error = "red"                      # a bare colour sets fg only
// Colour values may name a palette entry. Slots left out come from the built-in default.
// Unknown slot names and keys are reported in `notes` (forward compatible); a syntax error,
// a bad colour or a wrong type is a `ThemeError`.

import Core

public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public var message: String
    /// The line of the file the problem is on, when known.
    public var line: Int?
    public init(_ message: String, line: Int? = nil) { self.message = message; self.line = line }
    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

extension Theme {
    public static func parse(toml: String, name: String) throws(ThemeError) -> (theme: Theme, notes: [String]) {
        try parse(bytes: Array(toml.utf8), name: name)
    }

    public static func parse(bytes: [UInt8], name: String) throws(ThemeError) -> (theme: Theme, notes: [String]) {
        let table: TOMLTable
        do {
            table = try TOML.parse(bytes: bytes)
        } catch {
            throw ThemeError("syntax error: \(error.message)", line: error.line)
        }
        return try parse(table: table, name: name)
    }

    static func parse(table: TOMLTable, name: String) throws(ThemeError) -> (theme: Theme, notes: [String]) {
        var notes: [String] = []
        var palette: [String: Color] = [:]
        if let colors = table["colors"] {
            guard let ct = colors.table else { throw ThemeError("[colors] must be a table", line: table.line(of: "colors")) }
            for (key, value) in ct {
                palette[key.lowercased()] = try color(value, palette: [:], what: "colors.\(key)", line: ct.line(of: key))
            }
        }
        var theme = Theme(name: table["name"]?.string ?? name, styles: Theme.builtinDefault.styles)
        if let styles = table["styles"] {
            guard let st = styles.table else { throw ThemeError("[styles] must be a table", line: table.line(of: "styles")) }
            for (key, value) in st {
                guard let slot = ThemeSlot(rawValue: key) else { notes.append("unknown style '\(key)'"); continue }
                theme.styles[slot] = try style(value, palette: palette, what: "styles.\(key)", line: st.line(of: key),
                                               notes: &notes)
            }
        }
        for key in table.keys where !["name", "colors", "styles", "description", "author"].contains(key) {
            notes.append("unknown key '\(key)'")
        }
        return (theme, notes)
    }

    private static func style(_ v: TOMLValue, palette: [String: Color], what: String, line: Int?,
                              notes: inout [String]) throws(ThemeError) -> Style {
        if v.string != nil || v.integer != nil { return Style(fg: try color(v, palette: palette, what: what, line: line)) }
        guard let t = v.table else { throw ThemeError("\(what) must be a colour or a table", line: line) }
        var s = Style()
        for (key, value) in t {
            let at = t.line(of: key) ?? line
            func flag() throws(ThemeError) -> Bool {
                guard let b = value.bool else { throw ThemeError("\(what).\(key) must be true or false", line: at) }
                return b
            }
            switch key {
            case "fg": s.fg = try color(value, palette: palette, what: "\(what).fg", line: at)
            case "bg": s.bg = try color(value, palette: palette, what: "\(what).bg", line: at)
            case "bold": s.bold = try flag()
            case "dim": s.dim = try flag()
            case "italic": s.italic = try flag()
            case "underline": s.underline = try flag()
            case "reverse": s.reverse = try flag()
            default: notes.append("unknown key '\(what).\(key)'")
            }
        }
        return s
    }

    private static func color(_ v: TOMLValue, palette: [String: Color], what: String,
                              line: Int?) throws(ThemeError) -> Color {
        if let n = v.integer {
            guard (0...255).contains(n) else { throw ThemeError("\(what): colour number \(n) is not in 0…255", line: line) }
            return .indexed(UInt8(n))
        }
        guard let text = v.string else { throw ThemeError("\(what) must be a colour string or number", line: line) }
        if let c = palette[text.lowercased()] { return c }
        guard let c = Color(parsing: text) else {
            throw ThemeError("\(what): '\(text.prefix(40))' is not a colour (use #rrggbb, a name or 0-255)", line: line)
        }
        return c
    }
}
