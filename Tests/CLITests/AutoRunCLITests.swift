import Foundation
import Testing
import CLISupport

/// `task edit ID --auto-run AGENT:KEY`: the capability queued by the system when the last dependency is
/// done, seen through `task show --json`; a wrong reference is one clean line.
@Suite("CLI: auto-run") struct AutoRunCLITests {
    @Test("task edit --auto-run, then the dependency's move queues it as system", arguments: CLIBackend.allCases)
    func autoRun(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--slug", "sh", "--name", "Shell", "--binary", "/bin/sh").status == 0)
        #expect(try db.run("capability", "add", "--agent", "sh", "--key", "hello", "--label", "Hello", "--command=-c", "--command", "echo hello").status == 0)
        let dep = try #require(try db.run("task", "add", "--title", "first", "--json").json as? [String: Any])["id"] as! Int
        let next = try #require(try db.run("task", "add", "--title", "second", "--json").json as? [String: Any])["id"] as! Int
        #expect(try db.run("task", "depend", "\(next)", "--on", "\(dep)").status == 0)
        let edited = try #require(try db.run("task", "edit", "\(next)", "--auto-run", "sh:hello", "--json").json as? [String: Any])
        #expect(edited["auto_run_capability_id"] as? Int != nil && edited["auto_run_execution_id"] is NSNull)
        expectCleanError(try db.run("task", "edit", "\(next)", "--auto-run", "sh:nope"), contains: "agent 'sh' has no capability 'nope'")
        expectCleanError(try db.run("task", "edit", "\(next)", "--auto-run", "nocolon"), contains: "AGENT:KEY")

        #expect(try db.run("task", "move", "\(dep)", "--to", "done").status == 0)
        let shown = try #require(try db.run("task", "show", "\(next)", "--json").json as? [String: Any])
        let queuedId = try #require(shown["auto_run_execution_id"] as? Int)
        let events = try #require(shown["events"] as? [[String: Any]])
        let queued = try #require(events.first { $0["event_type"] as? String == "auto_run_queued" })
        #expect(queued["actor_type"] as? String == "system")
        #expect((queued["payload"] as? [String: Any])?["execution_id"] as? Int == queuedId)
        #expect(events.first { $0["event_type"] as? String == "execution_queued" }?["actor_type"] as? String == "system")

        let cleared = try #require(try db.run("task", "edit", "\(next)", "--auto-run", "none", "--json").json as? [String: Any])
        #expect(cleared["auto_run_capability_id"] is NSNull)
    }
}
