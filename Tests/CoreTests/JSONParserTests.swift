import Foundation
import Testing
@testable import Core

@Suite("JSON parser") struct JSONParserTests {
    static let valid = [
        #"{}"#, #"[]"#, #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#, #"  {"x" : -0.5e+3 , "y":[ ] }  "#,
        #""plain""#, #"0"#, #"-12"#, #"3.25"#, #"1E9"#, #"[1,[2,[3,[4]]]]"#,
        #"{"s":"quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f"}"#,
        #"{"u":"\u00e9\u4e2d\ud83d\ude00 é 中 😀"}"#, #"{"empty":"","k":"v"}"#,
        #"{"type":"assistant","message":{"content":[{"type":"tool_use","input":{"command":"ls -la"}}],"usage":{"input_tokens":12}}}"#,
    ]
    static let invalid = [
        "", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "tru", "nul", "\"unterminated",
        "{\"a\":1} trailing", "[1 2]", "\"bad \\x escape\"", "\"raw \u{01} control\"", "{\"a\":1,}", "\"\\u12\"",
    ]

    @Test func agreesWithFoundationOnValidDocuments() throws {
        for text in Self.valid {
            let mine = try #require(JSONParser.parse(Array(text.utf8)), "\(text)")
            let reference = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(mine == reference, "\(text)")
        }
        #expect(JSONParser.parse(Array(#"{"u":"\ud83d\ude00"}"#.utf8))?["u"]?.stringValue == "😀")
        #expect(JSONParser.parse(Array(#"{"lone":"\ud800x"}"#.utf8))?["lone"]?.stringValue == "\u{FFFD}x")
    }

    @Test func refusesWhatIsNotJSON() {
        for text in Self.invalid { #expect(JSONParser.parse(Array(text.utf8)).map { _ in true } == nil, "\(text.debugDescription)") }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONParser.parse(Array(deep.utf8)).map { _ in true } == nil)
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONParser.parse(Array(ok.utf8)) != nil)
    }

    @Test func invalidUTF8InAStringBecomesReplacementCharacters() {
        let bytes: [UInt8] = Array(#"{"s":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(JSONParser.parse(bytes)?["s"]?.stringValue == "\u{FFFD}\u{FFFD}")
    }
}
