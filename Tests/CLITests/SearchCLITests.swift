import Foundation
import Testing
import CLISupport

@Suite("CLI: search") struct SearchCLITests {
    @Test("search finds words in messages and tool calls, newest first, as a table or JSON; bad queries are one line", arguments: CLIBackend.allCases)
    func search(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("demo", "--fill-only").status == 0)
        let hits = try #require(try db.run("search", "retry", "--json", "--limit", "50").json as? [[String: Any]])
        #expect(hits.count == 6)
        // A tool call's text is one hit (the call's), not a second one for the message that shows it.
        let places = hits.map { "\($0["session_id"] ?? "")/\($0["seq"] ?? "")" }
        #expect(Set(places).count == places.count, "\(places)")
        let three = try #require(try db.run("search", "retry", "--json", "--limit", "3").json as? [[String: Any]])
        #expect(three.count == 3)
        for h in hits {
            #expect(Set(h.keys) == ["session_id", "session_title", "agent", "message_id", "seq", "kind", "created_at", "snippet"])
            #expect((h["snippet"] as? String)?.lowercased().contains("retry") == true)
        }
        let times = hits.compactMap { $0["created_at"] as? String }
        #expect(times == times.sorted(by: >), "newest first")
        let table = try db.run("search", "retry", "schedule")
        #expect(table.status == 0 && table.stdout.hasPrefix("SESSION") && table.stdout.contains("retry"))
        #expect(!table.stdout.unicodeScalars.contains { $0 == "\u{1B}" })
        let none = try #require(try db.run("search", "\"NEAR(", "*", "--json").json as? [[String: Any]])
        #expect(none.isEmpty)
        expectCleanError(try db.run("search", "\"", "*"), contains: "nothing to search for")
        expectCleanError(try db.run("search"), contains: "nothing to search for")
        expectCleanError(try db.run("search", String(repeating: "x", count: 10_240)), contains: "too long")
        expectCleanError(try db.run("search", "a", "--limit", "0"), contains: "--limit")
    }
}
