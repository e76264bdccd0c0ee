import Testing
@testable import Render

@Suite("Colour depth")
struct ColorDepthTests {
    @Test("detection: NO_COLOR, COLORTERM with direct colour, 256, 16")
    func detect() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], colors: 256,
                                  supportsDirectColor: true) == .none)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], colors: 256, supportsDirectColor: false) == .c256)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], colors: 0x1000000,
                                  supportsDirectColor: true) == .trueColor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "24bit"], colors: 256, supportsDirectColor: false) == .c256)
        #expect(ColorDepth.detect(environment: [:], colors: 8, supportsDirectColor: false) == .c16)
        #expect(ColorDepth.detect(environment: [:], colors: 0, supportsDirectColor: false) == .none)
    }

    @Test("rgb to 256: cube and grey ramp, never the user palette 0-15")
    func to256() {
        #expect(ColorDepth.rgbTo256(255, 0, 0) == 196)
        #expect(ColorDepth.rgbTo256(0, 0, 0) == 16)
        #expect(ColorDepth.rgbTo256(255, 255, 255) == 231)
        #expect(ColorDepth.rgbTo256(128, 128, 128) == 244)   // grey ramp: 128
        #expect(ColorDepth.rgbTo256(0x87, 0xAF, 0xD7) == 110) // exact cube colour
        #expect(ColorDepth.rgbTo256(0x30, 0x30, 0x30) == 236)
        for r in stride(from: 0, through: 255, by: 17) {
            for g in stride(from: 0, through: 255, by: 51) {
                #expect(ColorDepth.rgbTo256(UInt8(r), UInt8(g), 0) >= 16)
            }
        }
    }

    @Test("every 256 index maps back to itself through its RGB value (cube and ramp)")
    func roundTrip() {
        for n in 16...255 {
            let (r, g, b) = ColorDepth.rgb(ofIndexed: UInt8(n))
            let back = ColorDepth.rgbTo256(r, g, b)
            #expect(ColorDepth.rgb(ofIndexed: back) == ColorDepth.rgb(ofIndexed: UInt8(n)) || back == UInt8(n))
        }
    }

    @Test("down to 16 colours")
    func to16() {
        #expect(ColorDepth.rgbTo16(250, 10, 10) == 9)
        #expect(ColorDepth.rgbTo16(0, 0, 0) == 0)
        #expect(ColorDepth.rgbTo16(255, 255, 255) == 15)
        #expect(ColorDepth.rgbTo16(0, 190, 0) == 2)
        #expect(ColorDepth.c16.convert(.indexed(196)) == .ansi(9))
        #expect(ColorDepth.c16.convert(.indexed(3)) == .ansi(3))
        #expect(ColorDepth.c16.convert(.rgb(0, 0, 200)) == .ansi(4))
    }

    @Test("style conversion keeps attributes; none drops only colours")
    func styles() {
        let s = Style(fg: .rgb(255, 0, 0), bg: .indexed(17), bold: true, reverse: true)
        #expect(ColorDepth.trueColor.convert(s) == s)
        #expect(ColorDepth.c256.convert(s) == Style(fg: .indexed(196), bg: .indexed(17), bold: true, reverse: true))
        #expect(ColorDepth.none.convert(s) == Style(bold: true, reverse: true))
        #expect(ColorDepth.c256.convert(Color.default) == .default)
    }

    @Test("parsing colour names and values")
    func parse() {
        #expect(Color(parsing: "#FF8000") == .rgb(255, 128, 0))
        #expect(Color(parsing: "#f80") == .rgb(255, 136, 0))
        #expect(Color(parsing: "Bright-Blue") == .ansi(12))
        #expect(Color(parsing: "grey") == .ansi(8))
        #expect(Color(parsing: "42") == .indexed(42))
        #expect(Color(parsing: "default") == .default)
        #expect(Color(parsing: "256") == nil)
        #expect(Color(parsing: "#ggg") == nil)
    }
}
