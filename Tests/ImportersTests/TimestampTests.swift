import Foundation
import Testing
import Core
import FuzzCorpus
@testable import Importers

/// Record timestamps are read by agentmon's own date parser: the same instants Foundation's ISO 8601 formatter
/// gave for what the agents write, without building an ICU formatter per record.
@Suite("Transcript timestamps") struct TimestampTests {
    /// What Claude Code, Codex and Gemini write, and RFC 3339's other shapes.
    static let written = [
        "2026-11-21T10:00:00.000Z", "2025-09-10T18:26:39.123Z", "2025-09-10T18:26:39Z", "2024-02-29T23:59:59.999Z",
        "2026-01-01T00:00:00.5Z", "2026-06-30T12:34:56.123456Z", "2026-06-30T12:34:56+02:00", "2026-06-30T12:34:56.250-07:30",
        "1999-12-31T23:59:59Z", "2026-03-08T02:30:00.000+00:00",
    ]

    @Test func theSameInstantsAsFoundationsFormatter() throws {
        for s in Self.written {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            plain.formatOptions = [.withInternetDateTime]
            let expected = try #require(f.date(from: s) ?? plain.date(from: s), "\(s)")
            let got = try #require(Timestamps.parse(.string(s)), "\(s)")
            // Foundation keeps milliseconds; the own parser every digit given.
            #expect(abs(got.timeIntervalSince(expected)) < 0.001, "\(s): \(got) against \(expected)")
        }
    }

    @Test func whatIsNotADateIsNone() {
        for s in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-21T25:00:00Z", "2026-11-21T10:00:00+19:00",
                  "2026-11-21T10:00:00Zjunk", "2026-11-21T10:00:00.Z", "\u{1B}[2J2026-11-21T10:00:00Z", "２０２６-11-21T10:00:00Z"] {
            #expect(Timestamps.parse(.string(s)) == nil, "\(s)")
        }
        #expect(Timestamps.parse(.number(1_795_000_000)) == nil)
        #expect(Timestamps.parse(nil) == nil)
        for s in HostileStrings.badDates { #expect(Timestamps.parse(.string(s)) == nil, "\(s)") }
        // Date-shaped noise: nothing traps, and what parses is a real instant.
        var rng = SeededRandom(seed: 5)
        let alphabet = Array("0123456789-T:.Z+ z\u{0}\u{1B}é٣")
        for s in HostileStrings.all + (0..<3000).map({ _ in String((0..<rng.below(32)).map { _ in alphabet[rng.below(alphabet.count)] }) }) {
            if let d = Timestamps.parse(.string(s)) { #expect(d.timeIntervalSince1970.isFinite, "\(s)") }
        }
    }
}

/// A sync pass goes on from the line after the last one it read: `JSONLines.newlines` counts them.
@Suite("Line counts") struct LineCountTests {
    @Test func newlinesAreCountedWhereverTheyFall() {
        #expect(JSONLines.newlines(in: Data()) == 0)
        #expect(JSONLines.newlines(in: Data("no newline".utf8)) == 0)
        #expect(JSONLines.newlines(in: Data("\n".utf8)) == 1)
        #expect(JSONLines.newlines(in: Data("a\n\n\nb\r\n{}\n".utf8)) == 5)
        var rng = SeededRandom(seed: 9)
        for _ in 0..<200 {
            let bytes = (0..<rng.below(5000)).map { _ in rng.below(4) == 0 ? UInt8(0x0A) : UInt8(truncatingIfNeeded: rng.next()) }
            #expect(JSONLines.newlines(in: Data(bytes)) == bytes.filter { $0 == 0x0A }.count)
        }
    }
}
