// Select Graphic Rendition (`ESC[…m`) parameters applied to a `Style`, so logs keep their colours.
//
// Public API:
//   SGR.apply(parameters: ArraySlice<UInt8>, to: Style, base: Style) -> Style
//     `parameters` are the bytes between `ESC[` and `m` (digits, `;` and `:`).

public enum SGR {
    /// Applies an SGR parameter string. Reset (0 or empty) and 39/49 go back to `base`, the style
    /// the caller started from, not to the terminal default: a log line inside a themed pane stays
    /// readable after `ESC[0m`.
    public static func apply(parameters: ArraySlice<UInt8>, to style: Style, base: Style) -> Style {
        var s = style
        // Split into parameters (`;`), each with optional `:` sub-parameters. nil = omitted.
        var groups: [[Int?]] = []
        var current: [Int?] = []
        var value: Int? = nil
        for b in parameters {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = min(99_999, (value ?? 0) * 10 + Int(b - 48))  // clamp: hostile digit floods
            case UInt8(ascii: ":"):
                current.append(value); value = nil
            case UInt8(ascii: ";"):
                current.append(value); groups.append(current); current = []; value = nil
            default:
                return style  // private markers etc.: not an SGR we understand, ignore it whole
            }
        }
        current.append(value)
        groups.append(current)

        var i = 0
        while i < groups.count {
            let g = groups[i]
            let code = g[0] ?? 0
            switch code {
            case 0: s = base
            case 1: s.bold = true
            case 2: s.dim = true
            case 3: s.italic = true
            case 4: s.underline = g.count > 1 ? (g[1] ?? 1) != 0 : true
            case 7: s.reverse = true
            case 21: s.underline = true
            case 22: s.bold = false; s.dim = false
            case 23: s.italic = false
            case 24: s.underline = false
            case 27: s.reverse = false
            case 30...37: s.fg = .ansi(UInt8(code - 30))
            case 39: s.fg = base.fg
            case 40...47: s.bg = .ansi(UInt8(code - 40))
            case 49: s.bg = base.bg
            case 90...97: s.fg = .ansi(UInt8(code - 90 + 8))
            case 100...107: s.bg = .ansi(UInt8(code - 100 + 8))
            case 38, 48:
                let color: Color?
                if g.count > 1 {
                    color = extendedColor(Array(g.dropFirst()), colonForm: true)
                } else {
                    // `38;5;n` / `38;2;r;g;b`: the colour spans the following groups.
                    let rest = groups[(i + 1)...].prefix(5).map { $0[0] }
                    color = extendedColor(rest, colonForm: false)
                    let mode = rest.first ?? nil
                    i += mode == 5 ? 2 : mode == 2 ? 4 : 0
                }
                if let color { if code == 38 { s.fg = color } else { s.bg = color } }
            default: break  // blink, conceal, strike, fonts: deliberately ignored
            }
            i += 1
        }
        return s
    }

    /// `5;n` or `2;r;g;b`; the colon form may carry a colour-space id: `2:cs:r:g:b`.
    private static func extendedColor(_ p: [Int?], colonForm: Bool) -> Color? {
        guard let mode = p.first ?? nil else { return nil }
        if mode == 5, p.count >= 2, let n = p[1], (0...255).contains(n) { return .indexed(UInt8(n)) }
        if mode == 2 {
            var rgb = Array(p.dropFirst())
            if colonForm && rgb.count >= 4 { rgb = Array(rgb.dropFirst()) }
            guard rgb.count >= 3 else { return nil }
            let c = rgb.prefix(3).map { min(255, max(0, $0 ?? 0)) }
            return .rgb(UInt8(c[0]), UInt8(c[1]), UInt8(c[2]))
        }
        return nil
    }
}
