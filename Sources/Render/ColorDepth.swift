// What the terminal can show, and how to bring any `Color` down to it.
//
// Public API:
//   enum ColorDepth — .trueColor, .c256, .c16, .none
//   ColorDepth.detect(environment:colors:supportsDirectColor:) -> ColorDepth
//   depth.convert(_ color: Color) -> Color, depth.convert(_ style: Style) -> Style
//   ColorDepth.rgbTo256(_:_:_:) -> UInt8, ColorDepth.rgbTo16(_:_:_:) -> UInt8, ColorDepth.rgb(ofIndexed:)

public enum ColorDepth: String, Sendable, CaseIterable {
    case trueColor, c256, c16, none

    /// Picks the depth from the environment and what ncurses reports.
    /// NO_COLOR (any value, per no-color.org) wins; COLORTERM=truecolor/24bit only counts when
    /// the terminfo entry can actually emit direct colours, else ncurses could not draw them.
    public static func detect(environment env: [String: String], colors: Int,
                              supportsDirectColor: Bool) -> ColorDepth {
        if let v = env["NO_COLOR"], !v.isEmpty { return .none }
        let ct = env["COLORTERM"]?.lowercased() ?? ""
        if (ct == "truecolor" || ct == "24bit") && supportsDirectColor { return .trueColor }
        if supportsDirectColor && colors >= 0x1000000 { return .trueColor }
        if colors >= 256 { return .c256 }
        if colors >= 8 { return .c16 }
        return .none
    }

    /// The colour as this depth can show it.
    public func convert(_ color: Color) -> Color {
        switch (self, color) {
        case (.none, _): return .default
        case (_, .default): return .default
        case (.trueColor, _): return color
        case (.c256, .rgb(let r, let g, let b)): return .indexed(ColorDepth.rgbTo256(r, g, b))
        case (.c256, _): return color
        case (.c16, .ansi): return color
        case (.c16, .indexed(let n)):
            if n < 16 { return .ansi(n) }
            let (r, g, b) = ColorDepth.rgb(ofIndexed: n)
            return .ansi(ColorDepth.rgbTo16(r, g, b))
        case (.c16, .rgb(let r, let g, let b)): return .ansi(ColorDepth.rgbTo16(r, g, b))
        }
    }

    /// The style with colours converted; attributes are kept, so with `.none` a reversed or bold
    /// selection stays visible.
    public func convert(_ style: Style) -> Style {
        var s = style
        s.fg = convert(style.fg)
        s.bg = convert(style.bg)
        return s
    }

    // MARK: - Palettes

    /// xterm's default values for the 16 palette colours (a reference for nearest-colour search).
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of an xterm 256-colour index.
    public static func rgb(ofIndexed n: UInt8) -> (UInt8, UInt8, UInt8) {
        if n < 16 { return ansiRGB[Int(n)] }
        if n >= 232 { let v = UInt8(8 + 10 * (Int(n) - 232)); return (v, v, v) }
        let i = Int(n) - 16
        return (UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[i / 6 % 6]), UInt8(cubeLevels[i % 6]))
    }

    /// Nearest xterm colour among the 6×6×6 cube and the grey ramp. Indices 0–15 are never
    /// returned: their look depends on the user's palette.
    public static func rgbTo256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let (ri, gi, bi) = (nearestCube(r), nearestCube(g), nearestCube(b))
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        // Grey ramp: 8, 18, …, 238.
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = max(0, min(23, (avg - 8 + 5) / 10))
        let greyValue = 8 + 10 * greyStep
        let dCube = distance((Int(r), Int(g), Int(b)), cube)
        let dGrey = distance((Int(r), Int(g), Int(b)), (greyValue, greyValue, greyValue))
        return UInt8(dGrey < dCube ? 232 + greyStep : cubeIndex)
    }

    /// Nearest of the 16 palette colours (by xterm's default values); `count: 8` leaves out
    /// the bright half for terminals that only have eight.
    public static func rgbTo16(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int = 16) -> UInt8 {
        var best = 0, bestD = Int.max
        for (i, c) in ansiRGB.prefix(count).enumerated() {
            let d = distance((Int(r), Int(g), Int(b)), (Int(c.0), Int(c.1), Int(c.2)))
            if d < bestD { best = i; bestD = d }
        }
        return UInt8(best)
    }

    private static func nearestCube(_ v: UInt8) -> Int {
        let v = Int(v)
        if v < 48 { return 0 }
        if v < 115 { return 1 }
        return min(5, (v - 35) / 40)
    }

    // Weighted ("redmean") distance: cheap and closer to perception than plain Euclidean.
    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let rmean = (a.0 + b.0) / 2
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8)
    }
}
