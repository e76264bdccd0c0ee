// Colours and text styles shared by every widget and by the terminal backend.
//
// Public API:
//   enum Color      — .default, .ansi(0…15), .indexed(0…255), .rgb(r, g, b)
//   struct Style    — fg, bg, bold, dim, italic, underline, reverse; `Style.plain`
//   Style.with(fg:bg:…) — copy with some fields replaced

import Foundation

/// A colour as written by themes and log SGR codes. The terminal backend
/// downgrades it to what the terminal can show (see `ColorDepth`).
public enum Color: Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case `default`
    /// One of the 16 palette colours (0–7 normal, 8–15 bright); the user's palette decides the look.
    case ansi(UInt8)
    /// One of the 256 xterm colours.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0), red = Color.ansi(1), green = Color.ansi(2)
    public static let yellow = Color.ansi(3), blue = Color.ansi(4), magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6), white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8), brightRed = Color.ansi(9), brightGreen = Color.ansi(10)
    public static let brightYellow = Color.ansi(11), brightBlue = Color.ansi(12)
    public static let brightMagenta = Color.ansi(13), brightCyan = Color.ansi(14), brightWhite = Color.ansi(15)

    /// ANSI colour names accepted by themes and key files, index = palette number.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright_black", "bright_red", "bright_green", "bright_yellow",
        "bright_blue", "bright_magenta", "bright_cyan", "bright_white",
    ]

    /// Parses `#rrggbb`, `#rgb`, an ANSI name (`red`, `bright_blue`, `grey`), `default`/`none`,
    /// or a number 0–255 given as text. Returns nil for anything else.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "default" || t == "none" || t == "reset" { self = .default; return }
        if t.hasPrefix("#") {
            let hex = Array(t.dropFirst())
            guard hex.count == 6 || hex.count == 3, let v = UInt32(String(hex), radix: 16) else { return nil }
            if hex.count == 6 {
                self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
            } else {
                let r = UInt8(v >> 8 & 0xF), g = UInt8(v >> 4 & 0xF), b = UInt8(v & 0xF)
                self = .rgb(r * 17, g * 17, b * 17)
            }
            return
        }
        if let n = Int(t) { guard (0...255).contains(n) else { return nil }; self = .indexed(UInt8(n)); return }
        let name = t.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        let aliases = ["gray": "bright_black", "grey": "bright_black", "light_gray": "white",
                       "light_grey": "white", "dark_gray": "bright_black", "dark_grey": "bright_black"]
        let resolved = aliases[name] ?? name
        guard let i = Color.ansiNames.firstIndex(of: resolved) else { return nil }
        self = .ansi(UInt8(i))
    }
}

/// How a cell looks. Plain value type; `Hashable` so the backend can cache colour pairs per style.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var dim: Bool
    public var italic: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, dim: Bool = false,
                italic: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim
        self.italic = italic; self.underline = underline; self.reverse = reverse
    }

    /// Default colours, no attributes.
    public static let plain = Style()

    /// A copy with the given fields replaced; nil keeps the current value.
    public func with(fg: Color? = nil, bg: Color? = nil, bold: Bool? = nil, dim: Bool? = nil,
                     italic: Bool? = nil, underline: Bool? = nil, reverse: Bool? = nil) -> Style {
        var s = self
        if let fg { s.fg = fg }
        if let bg { s.bg = bg }
        if let bold { s.bold = bold }
        if let dim { s.dim = dim }
        if let italic { s.italic = italic }
        if let underline { s.underline = underline }
        if let reverse { s.reverse = reverse }
        return s
    }

    /// True when no attribute is set (colours ignored).
    public var hasNoAttributes: Bool { !(bold || dim || italic || underline || reverse) }
}
