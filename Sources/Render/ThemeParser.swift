// Reads a theme from TOML text.
//
// Public API:
//   Theme.parse(toml: String, name: String) throws(ThemeError) -> (theme: Theme, notes: [String])
//   struct ThemeError: Error — message (one line)
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

import TOMLKit

public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Theme {
    public static func parse(toml: String, name: String) throws(ThemeError) -> (theme: Theme, notes: [String]) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: toml)
        } catch let e as TOMLParseError {
            throw ThemeError("TOML syntax error at line \(e.source.begin.line): \(e.description)")
        } catch {
            throw ThemeError("TOML syntax error: \(error)")
        }
        var notes: [String] = []
        var palette: [String: Color] = [:]
        if let colors = table["colors"] {
            guard let ct = colors.table else { throw ThemeError("[colors] must be a table") }
            for key in ct.keys {
                palette[key.lowercased()] = try color(ct[key]!, palette: [:], what: "colors.\(key)")
            }
        }
        var theme = Theme(name: table["name"]?.string ?? name, styles: Theme.builtinDefault.styles)
        if let styles = table["styles"] {
            guard let st = styles.table else { throw ThemeError("[styles] must be a table") }
            for key in st.keys {
                guard let slot = ThemeSlot(rawValue: key) else { notes.append("unknown style '\(key)'"); continue }
                theme.styles[slot] = try style(st[key]!, palette: palette, what: "styles.\(key)", notes: &notes)
            }
        }
        for key in table.keys where !["name", "colors", "styles", "description", "author"].contains(key) {
            notes.append("unknown key '\(key)'")
        }
        return (theme, notes)
    }

    private static func style(_ v: TOMLValueConvertible, palette: [String: Color], what: String,
                              notes: inout [String]) throws(ThemeError) -> Style {
        if v.type == .string || v.type == .int { return Style(fg: try color(v, palette: palette, what: what)) }
        guard let t = v.table else { throw ThemeError("\(what) must be a colour or a table") }
        var s = Style()
        for key in t.keys {
            let value = t[key]!
            func flag() throws(ThemeError) -> Bool {
                guard let b = value.bool else { throw ThemeError("\(what).\(key) must be true or false") }
                return b
            }
            switch key {
            case "fg": s.fg = try color(value, palette: palette, what: "\(what).fg")
            case "bg": s.bg = try color(value, palette: palette, what: "\(what).bg")
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

    private static func color(_ v: TOMLValueConvertible, palette: [String: Color], what: String) throws(ThemeError) -> Color {
        if let n = v.int {
            guard (0...255).contains(n) else { throw ThemeError("\(what): colour number \(n) is not in 0…255") }
            return .indexed(UInt8(n))
        }
        guard let text = v.string else { throw ThemeError("\(what) must be a colour string or number") }
        if let c = palette[text.lowercased()] { return c }
        guard let c = Color(parsing: text) else {
            throw ThemeError("\(what): '\(text.prefix(40))' is not a colour (use #rrggbb, a name or 0-255)")
        }
        return c
    }
}
