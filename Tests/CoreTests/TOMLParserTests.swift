import Foundation
import Testing
@testable import Core

@Suite("TOML parser") struct TOMLParserTests {
    func error(_ text: String) -> TOMLError? {
        do { _ = try TOML.parse(text); return nil } catch { return error }
    }

    @Test("headers that cannot start a key are errors with their line (toml++ aborted on these)",
          arguments: ["[", "[#]", "[.a]", "[[[a]]]", "[\n]", "[]", "[[]]", "[a.]", "[a..b]", "[ a b ]"])
    func badHeaders(_ text: String) throws {
        let e = try #require(error("x = 1\n" + text))
        #expect(e.line == 2)
        #expect(!e.message.contains("\n"))
    }

    @Test func aNulInAQuotedKeyOrStringIsJustACharacter() throws {
        let t = try TOML.parse("\"a\\u0000b\" = \"c\\u0000\"\n[colors]\n\"\\u0000\" = 1")
        #expect(t["a\u{0}b"]?.string == "c\u{0}")
        #expect(t["colors"]?.table?["\u{0}"]?.integer == 1)
        #expect(t.keys == ["a\u{0}b", "colors"])
    }

    @Test("100,000 nestings are an error, not a stack overflow",
          arguments: ["a = " + String(repeating: "[", count: 100_000), "a = " + String(repeating: "{b=", count: 100_000),
                      "[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]",
                      Array(repeating: "a", count: 100_000).joined(separator: ".") + " = 1"])
    func deepNesting(_ text: String) throws {
        let e = try #require(error(text))
        #expect(e.message.contains("nesting deeper than"))
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        let depth = TOMLNode.maxDepth - 1
        let t = try TOML.parse("a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var v = try #require(t["a"])
        for _ in 1..<depth { v = try #require(v.array?.first) }
        #expect(v.array == [])
    }

    @Test("errors name the line and say what was expected", arguments: [
        ("a = 1\nb = 2\ntheme = = broken\n", 3, "expected a value, found '='"),
        ("a = 1\n\nb 2\n", 3, "expected '=' after a key, found '2'"),
        ("[a]\nx = 1\n[a]\n", 3, "table [a] is already defined"),
        ("a = 1\na = 2", 2, "duplicate key a"),
        ("a = \"open\nb = 1", 1, "unterminated string"),
        ("s = \"\\q\"", 1, "invalid escape '\\q'"),
        ("s = \"\\uD800\"", 1, "is not a Unicode scalar value"),
        ("n = 99999999999999999999", 1, "invalid number"),
        ("d = 2021-02-30", 1, "invalid date-time"),
        ("a = {x = 1}\n[a.y]", 2, "inline table"),
        ("[[a]]\n[a]", 2, "already defined"),
        ("a = [1]\n[[a]]", 2, "not an array of tables"),
        ("a = hello", 1, "strings need quotes"),
        ("a = 1 2", 1, "expected the end of the line, found '2'"),
    ])
    func messages(_ text: String, _ line: Int, _ fragment: String) throws {
        let e = try #require(error(text))
        #expect(e.line == line)
        #expect(e.message.contains(fragment), "\(e.message)")
    }

    @Test func invalidUTF8IsAnErrorOnItsLine() throws {
        var bytes = Array("a = 1\nb = \"".utf8)
        bytes += [0xC3, 0x28, 0x22]
        #expect(throws: TOMLError("invalid UTF-8 (byte 0xC3)", line: 2)) { try TOML.parse(bytes: bytes) }
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            #expect(UTF8Check.firstInvalidByte(in: [0x61] + bad) == 1)
        }
        #expect(UTF8Check.firstInvalidByte(in: Array("héllo ✓ 🎉".utf8)) == nil)
    }

    @Test func everyKindOfValue() throws {
        let t = try TOML.parse("""
            # comment
            str = "tab\\there \\U0001F600"
            lit = 'C:\\path'
            ml = \"\"\"
            one \\
               two\"\"\"
            mll = '''
            raw \\n'''
            ints = [0xff, 0o17, 0b101, +1_000, -0]
            floats = [1.5, -2e-3, 6.02E23, inf, -inf]
            nan = nan
            bools = [true, false]
            odt = 1979-05-27T07:32:00.123-07:00
            ldt = 1979-05-27 07:32:00
            ld = 1979-05-27
            lt = 07:32:00.5
            mixed = [1, "two", [3], {four = 4}]
            inline = { a.b = 1, c = "d" }
            site."google.com" = true
            [[fruit]]
            name = "apple"
            [fruit.physical]
            color = "red"
            [[fruit]]
            name = "banana"
            """)
        #expect(t["str"]?.string == "tab\there 😀")
        #expect(t["lit"]?.string == "C:\\path")
        #expect(t["ml"]?.string == "one two")
        #expect(t["mll"]?.string == "raw \\n")
        #expect(t["ints"]?.array?.compactMap(\.integer) == [255, 15, 5, 1000, 0])
        #expect(t["floats"]?.array?.compactMap(\.double) == [1.5, -0.002, 6.02e23, .infinity, -.infinity])
        #expect(t["nan"]?.double?.isNaN == true)
        #expect(t["bools"] == .array([.boolean(true), .boolean(false)]))
        #expect(t["odt"]?.dateTime?.description == "1979-05-27T07:32:00.123-07:00")
        #expect(t["ldt"]?.dateTime?.description == "1979-05-27T07:32:00")
        #expect(t["ld"]?.dateTime?.time == nil && t["ld"]?.dateTime?.date?.day == 27)
        #expect(t["lt"]?.dateTime?.time?.nanosecond == 500_000_000)
        #expect(t["mixed"]?.array?.map(\.typeName) == ["an integer", "a string", "an array", "a table"])
        #expect(t["inline"]?.table?["a"]?.table?["b"]?.integer == 1)
        #expect(t["site"]?.table?["google.com"]?.bool == true)
        let fruit = try #require(t["fruit"]?.array)
        #expect(fruit.compactMap { $0.table?["name"]?.string } == ["apple", "banana"])
        #expect(fruit.first?.table?["physical"]?.table?["color"]?.string == "red")
        #expect(t.line(of: "str") == 2 && t.line(of: "fruit") == 20)
    }

    @Test func invalidNumbers() {
        for text in ["0x_ff", "01", "1__0", "_1", "1_", "+0x1", "1.", ".5", "1e", "1.e5", "0xFFFFFFFFFFFFFFFF", "nan1"] {
            #expect(error("n = " + text) != nil, "\(text)")
        }
    }
}
