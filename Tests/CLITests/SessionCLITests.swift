import Foundation
import Testing
import CLISupport

@Suite("CLI: sessions and cost") struct SessionCLITests {
    @Test("session list / show and cost by agent, task, session, day, week, month and block", arguments: CLIBackend.allCases)
    func sessionsAndCost(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("demo", "--fill-only").status == 0)
        let list = try #require(try db.run("session", "list", "--json").json as? [[String: Any]])
        #expect(list.count == 4)
        let main = try #require(list.first { $0["external_session_id"] as? String == "5d1f8a3e-2c47-4b9a-8e61-0f3c9d7b2a15" })
        let show = try #require(try db.run("session", "show", "\(main["id"]!)", "--json").json as? [String: Any])
        for key in ["id", "external_session_id", "status", "agent", "input_tokens", "output_tokens", "cost_usd", "messages", "tool_calls"] {
            #expect(show.keys.contains(key), "session show has \(key)")
        }
        let messages = try #require(show["messages"] as? [[String: Any]])
        #expect((60...150).contains(messages.count), "the shipped N+1 session is long enough to scroll")
        #expect(messages.allSatisfy { m in ["id", "parent_id", "role", "kind", "content", "created_at"].allSatisfy { m.keys.contains($0) } })
        #expect(messages.compactMap { $0["id"] as? Int } == messages.compactMap { $0["id"] as? Int }.sorted(), "in order")
        let calls = try #require(show["tool_calls"] as? [[String: Any]])
        #expect(Set(calls.compactMap { $0["tool_name"] as? String }).isSuperset(of: ["Grep", "Read", "Edit", "Bash", "Task"]))
        #expect(calls.filter { $0["status"] as? String == "error" }.map { $0["tool_name"] as? String } == ["Bash"])
        let byAgent = try #require(try db.run("cost", "--by", "agent", "--json").json as? [[String: Any]])
        let total = byAgent.compactMap { $0["cost_usd"] as? Double }.reduce(0, +)
        let perSession = list.compactMap { $0["cost_usd"] as? Double }.reduce(0, +)
        #expect(abs(total - perSession) < 1e-9 && total > 0, "every session counted once")
        for by in ["task", "session", "day", "week", "month", "block"] {
            let rows = try #require(try db.run("cost", "--by", by, "--json").json as? [[String: Any]])
            #expect(abs(rows.compactMap { $0["cost_usd"] as? Double }.reduce(0, +) - total) < 1e-9)
        }
        let future = try #require(try db.run("cost", "--since", "2999-01-01", "--json").json as? [[String: Any]])
        #expect(future.isEmpty)
        expectCleanError(try db.run("cost", "--by", "fortnight"), contains: "unknown --by 'fortnight'")
        expectCleanError(try db.run("cost", "--by", "agent", "--breakdown"), contains: "--breakdown needs --by day, week, month or block")
        expectCleanError(try db.run("cost", "--by", "block", "--now", "soon"), contains: "--now 'soon' is not an ISO 8601 date")
        expectCleanError(try db.run("session", "show", "999"), contains: "no session with id 999")
    }
}
