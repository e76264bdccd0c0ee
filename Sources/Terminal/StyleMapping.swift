// Style → ncurses attributes and colour numbers, for a given terminal capability. Pure, so the
// mapping is tested without a terminal.
//
// Public API:
//   struct StyleMapping(depth: ColorDepth, colors: Int, defaultColors: Bool)
//     attributes(for: Style) -> attr_t
//     colorNumbers(for: Style) -> (fg: Int32, bg: Int32)   — -1 = terminal default

import CNcurses
import Render

public struct StyleMapping: Sendable {
    public let depth: ColorDepth
    /// COLORS as ncurses reports it.
    public let colors: Int
    /// use_default_colors() succeeded, so -1 means "the terminal's own colour".
    public let defaultColors: Bool

    public init(depth: ColorDepth, colors: Int, defaultColors: Bool) {
        self.depth = depth; self.colors = colors; self.defaultColors = defaultColors
    }

    public func attributes(for style: Style) -> attr_t {
        var a = cn_a_normal()
        if style.bold { a |= cn_a_bold() }
        if style.dim { a |= cn_a_dim() }
        if style.italic { a |= cn_a_italic() }
        if style.underline { a |= cn_a_underline() }
        if style.reverse { a |= cn_a_reverse() }
        // Eight-colour terminals: bright foregrounds become bold, the classic way to get them.
        if colors < 16, depth != .none, case .ansi(let n) = convert(style.fg), n >= 8 { a |= cn_a_bold() }
        return a
    }

    public func colorNumbers(for style: Style) -> (fg: Int32, bg: Int32) {
        (number(convert(style.fg), isForeground: true), number(convert(style.bg), isForeground: false))
    }

    /// Eight-colour terminals: an RGB or 256 colour goes to the nearest of the eight, not to a
    /// bright colour that would then fold onto black (a dark-blue selection must not vanish).
    private func convert(_ c: Color) -> Color {
        guard colors < 16, depth == .c16 else { return depth.convert(c) }
        switch c {
        case .rgb(let r, let g, let b): return .ansi(ColorDepth.rgbTo16(r, g, b, count: 8))
        case .indexed(let n) where n >= 16:
            let (r, g, b) = ColorDepth.rgb(ofIndexed: n)
            return .ansi(ColorDepth.rgbTo16(r, g, b, count: 8))
        default: return depth.convert(c)
        }
    }

    private func number(_ c: Color, isForeground: Bool) -> Int32 {
        switch c {
        case .default:
            return defaultColors ? -1 : (isForeground ? 7 : 0)
        case .ansi(let n):
            if depth == .trueColor && n >= 8 { return direct(ColorDepth.rgb(ofIndexed: n)) }
            return Int32(colors >= 16 ? n : n & 7)
        case .indexed(let n):
            if depth == .trueColor && n >= 8 { return direct(ColorDepth.rgb(ofIndexed: n)) }
            return Int32(n)
        case .rgb(let r, let g, let b):
            return direct((r, g, b))
        }
    }

    /// A direct-colour number. In direct-colour terminfo entries values below 8 are the ANSI
    /// colours, so near-black blues are nudged to 8 to stay RGB.
    private func direct(_ rgb: (UInt8, UInt8, UInt8)) -> Int32 {
        let v = Int32(rgb.0) << 16 | Int32(rgb.1) << 8 | Int32(rgb.2)
        return v < 8 ? 8 : v
    }
}
