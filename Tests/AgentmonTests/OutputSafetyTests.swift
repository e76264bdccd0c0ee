import Foundation
import Testing
import Core
import FuzzCorpus
@testable import agentmon

/// The CLI's output helpers: --json escaping, exec logs' sanitised stream, Console lines.
@Suite("CLI output safety") struct OutputSafetyTests {
    @Test func jsonEscapesC1AndBidiAndStaysTheSameValue() throws {
        let hostile = "a\u{1B}]2;pwned\u{07}b\u{9B}31m\u{9D}x\u{202E}rtl\u{2066}i\u{2069}\u{200E}\u{200F}\u{061C}\u{7F}é"
        let text = JSONOutput.render(.object(["title": .string(hostile)]))
        #expect(TerminalHazards.first(in: text) == nil, "\(text.debugDescription)")
        for escape in ["\\u001b", "\\u0007", "\\u009b", "\\u009d", "\\u202e", "\\u2066", "\\u2069", "\\u200e", "\\u200f", "\\u061c", "\\u007f"] {
            #expect(text.lowercased().contains(escape), "\(escape) in \(text)")
        }
        #expect(text.contains("é"), "other text is left as it is")
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(back["title"] == hostile, "a JSON reader gets the exact value back")
    }

    @Test func consoleLinesKeepNewlinesAndShowControls() {
        let shown = Console.render("title \u{1B}]2;pwned\u{07}\nsecond \u{9B}31m line\u{202E}")
        #expect(TerminalHazards.first(in: shown) == nil)
        #expect(shown.split(separator: "\n").count == 2)
        #expect(shown.contains("^["))
        #expect(Console.render(shown) == shown, "sanitising twice changes nothing")
        #expect(Console.errorLine("no agent with slug 'a\u{1B}[2Jb'\nsecond line") == "agentmon: no agent with slug 'a^[[2Jb' second line")
    }

    static let log = Array("ok\n\u{1B}]2;pwned\u{07}title\n\u{1B}[31mred\u{1B}[0m\n\u{9B}c1 \u{202E}bidi\ttab\nno newline \u{1B}[2J".utf8)
        + [0xFF, 0x0A]

    func collect(_ sink: LogSink, chunks: [ArraySlice<UInt8>]) -> [UInt8] {
        var out: [UInt8] = []
        let o = LogOutput(sink) { out += $0 }
        for c in chunks { o.append(c) }
        o.flush()
        return out
    }

    @Test func sanitisedLogsAreLineOrientedWhereverTheReadsSplit() {
        let whole = collect(.sanitised, chunks: [Self.log[...]])
        #expect(TerminalHazards.first(in: whole) == nil, "\(String(decoding: whole, as: UTF8.self).debugDescription)")
        let text = String(decoding: whole, as: UTF8.self)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 6)
        #expect(text.contains("ok\n") && text.contains("red\n") && text.contains("\u{FFFD}"))
        #expect(!text.contains("31m"), "colours are dropped, not shown")
        // An escape sequence split between two reads is still recognised whole.
        for cut in 1..<Self.log.count {
            #expect(collect(.sanitised, chunks: [Self.log[..<cut], Self.log[cut...]]) == whole, "split at \(cut)")
        }
    }

    @Test func rawLogsAreTheBytes() {
        #expect(collect(.raw, chunks: [Self.log[..<7], Self.log[7...]]) == Self.log)
    }
}
