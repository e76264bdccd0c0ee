import Testing
@testable import Render

@Suite("Display width")
struct DisplayWidthTests {
    @Test("ASCII, Latin, CJK, fullwidth, Hangul")
    func basics() {
        #expect("hello".displayWidth == 5)
        #expect("héllo".displayWidth == 5)
        #expect("中文".displayWidth == 4)
        #expect("ＡＢ".displayWidth == 4)
        #expect("한국어".displayWidth == 6)
        #expect("日本語テキスト".displayWidth == 14)
        #expect("\u{3000}".displayWidth == 2)  // ideographic space
    }

    @Test("emoji with emoji presentation are 2; text-default ones follow wcwidth")
    func emoji() {
        #expect("😀".displayWidth == 2)
        #expect("👍🏽".displayWidth == 2)            // with skin-tone modifier: one cluster
        #expect("👩‍💻".displayWidth == 2)           // ZWJ sequence: one cluster
        #expect("✅".displayWidth == 2)
        #expect("❤".displayWidth == 1)
        #expect(Character("🚀").displayWidth == 2)
    }

    @Test("combining marks, zero-width and variation selectors add nothing")
    func zeroWidth() {
        #expect("e\u{301}".displayWidth == 1)
        #expect(Character("e\u{301}").displayWidth == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x200B)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0xFE0F)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0xE0100)!) == 0)
        #expect("a\u{200B}b".displayWidth == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x1B)!) == 0)
    }

    @Test("table edges")
    func edges() {
        #expect(DisplayWidth.of(Unicode.Scalar(0x10FF)!) == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x1100)!) == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x115F)!) == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x1160)!) == 0)  // Hangul medial vowel filler
        #expect(DisplayWidth.of(Unicode.Scalar(0x20000)!) == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x10FFFD)!) == 1)
    }
}
