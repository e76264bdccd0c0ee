import Foundation
import Testing
import CLISupport

/// Issue 13 item 7: every repository operation of the seeds has a command with `--json`, and removing what
/// others point at needs `--force`, with a message that says what would go.
@Suite("CLI: every operation reachable") struct ReachabilityCLITests {
    func ok(_ r: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        return try #require(r.json as? [String: Any], "stdout: \(r.stdout)", sourceLocation: sourceLocation)
    }

    @Test("task edit / undepend / delete, refused without --force while others point at it", arguments: CLIBackend.allCases)
    func tasks(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        _ = try ok(db.run("agent", "add", "--slug", "git", "--name", "git", "--binary", "/usr/bin/git", "--json"))
        _ = try ok(db.run("capability", "add", "--agent", "git", "--key", "log", "--label", "History", "--command", "log", "--json"))
        let parent = try ok(db.run("task", "add", "--title", "parent", "--json"))["id"] as! Int
        let child = try ok(db.run("task", "add", "--title", "child", "--parent", "\(parent)", "--json"))["id"] as! Int
        let later = try ok(db.run("task", "add", "--title", "later", "--json"))["id"] as! Int
        #expect(try db.run("task", "depend", "\(later)", "--on", "\(parent)").status == 0)
        #expect(try db.run("run", "--task", "\(parent)", "--capability", "git:log").status == 0)

        let edited = try ok(db.run("task", "edit", "\(later)", "--title", "Later, renamed", "--priority", "1", "--assignee", "git",
                                   "--due", "2026-12-24", "--description", "why", "--json"))
        #expect(edited["title"] as? String == "Later, renamed" && edited["priority"] as? Int == 1 && edited["assignee"] as? String == "git")
        #expect((edited["due_at"] as? String)?.hasPrefix("2026-12-24") == true)
        let cleared = try ok(db.run("task", "edit", "\(later)", "--assignee", "", "--due", "", "--json"))
        #expect(cleared["assignee"] is NSNull && cleared["due_at"] is NSNull && cleared["title"] as? String == "Later, renamed")
        let shown = try ok(db.run("task", "show", "\(later)", "--json"))
        #expect(shown["description"] as? String == "why")
        #expect((shown["events"] as? [[String: Any]])?.filter { $0["event_type"] as? String == "updated" }.count == 2)
        expectCleanError(try db.run("task", "edit", "\(later)"), contains: "nothing to change")
        expectCleanError(try db.run("task", "edit", "999", "--title", "x"), contains: "no task with id 999")
        expectCleanError(try db.run("task", "edit", "\(later)", "--assignee", "nobody"), contains: "nobody")

        expectCleanError(try db.run("task", "delete", "\(parent)"),
                         contains: "task \(parent) has 1 subtask, 1 dependent task and 1 execution; --force")
        #expect(try db.run("task", "show", "\(parent)", "--json").status == 0, "nothing deleted")

        let undepend = try ok(db.run("task", "undepend", "\(later)", "--on", "\(parent)", "--json"))
        #expect(undepend["depends_on"] as? [Int] == [] && undepend["removed"] as? Int == parent)
        expectCleanError(try db.run("task", "undepend", "\(later)", "--on", "\(parent)"), contains: "does not depend on")
        expectCleanError(try db.run("task", "delete", "\(parent)"), contains: "task \(parent) has 1 subtask and 1 execution; --force")

        let deleted = try ok(db.run("task", "delete", "\(parent)", "--force", "--json"))
        #expect(deleted["deleted"] as? Bool == true && deleted["executions"] as? Int == 1 && deleted["subtasks_unparented"] as? Int == 1)
        expectCleanError(try db.run("task", "show", "\(parent)"), contains: "no task with id \(parent)")
        #expect(try ok(db.run("task", "show", "\(child)", "--json"))["parent_id"] is NSNull, "the subtask stays, without a parent")
        let execs = try #require(try db.run("exec", "list", "--json").json as? [Any])
        #expect(execs.isEmpty, "the execution went with its task")
        let plain = try db.run("task", "delete", "\(later)")
        #expect(plain.status == 0 && plain.stdout.contains("deleted task \(later)"), "nothing points at it: no --force needed")
    }

    @Test("agent enable / disable / edit / remove and capability edit / enable / disable / remove", arguments: CLIBackend.allCases)
    func agentsAndCapabilities(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        _ = try ok(db.run("agent", "add", "--slug", "git", "--name", "git", "--binary", "/usr/bin/git", "--json"))
        _ = try ok(db.run("capability", "add", "--agent", "git", "--key", "log", "--label", "History", "--command", "log", "--json"))
        _ = try ok(db.run("capability", "add", "--agent", "git", "--key", "ask", "--label", "Ask", "--prompt", "Explain {{path}}", "--json"))
        let task = try ok(db.run("task", "add", "--title", "t", "--assignee", "git", "--json"))["id"] as! Int
        #expect(try db.run("run", "--task", "\(task)", "--capability", "git:log").status == 0)

        #expect(try ok(db.run("agent", "disable", "git", "--json"))["is_active"] as? Bool == false)
        #expect(try ok(db.run("agent", "show", "git", "--json"))["is_active"] as? Bool == false)
        #expect(try ok(db.run("agent", "enable", "git", "--json"))["is_active"] as? Bool == true)
        let edited = try ok(db.run("agent", "edit", "git", "--name", "Git", "--max-concurrent", "4", "--json"))
        #expect(edited["name"] as? String == "Git" && edited["max_concurrent"] as? Int == 4 && (edited["capabilities"] as? [Any])?.count == 2)
        expectCleanError(try db.run("agent", "enable", "nobody"), contains: "nobody")

        let cap = try ok(db.run("capability", "edit", "git:ask", "--label", "Explain", "--danger", "2", "--requires-approval", "on",
                                "--prompt", "Explain {{path}} briefly", "--timeout", "60", "--json"))
        #expect(cap["label"] as? String == "Explain" && cap["danger_level"] as? Int == 2 && cap["requires_approval"] as? Bool == true)
        #expect(cap["prompt_template"] as? String == "Explain {{path}} briefly" && cap["timeout_sec"] as? Int == 60)
        expectCleanError(try db.run("capability", "edit", "git:log", "--prompt", "x"), contains: "--prompt is for a prompt capability")
        expectCleanError(try db.run("capability", "edit", "git:nope", "--label", "x"), contains: "has no capability 'nope'")
        expectCleanError(try db.run("capability", "edit", "git:log"), contains: "nothing to change")
        #expect(try ok(db.run("capability", "disable", "git:log", "--json"))["is_enabled"] as? Bool == false)
        #expect(try ok(db.run("capability", "enable", "git:log", "--json"))["is_enabled"] as? Bool == true)

        expectCleanError(try db.run("capability", "remove", "git:log"), contains: "capability 'git:log' has 1 execution; --force removes them too")
        expectCleanError(try db.run("agent", "remove", "git"), contains: "agent 'git' has 1 execution; --force removes them too")
        #expect(try ok(db.run("agent", "show", "git", "--json"))["capabilities"].map { ($0 as? [Any])?.count } == 2, "nothing removed")

        let askGone = try ok(db.run("capability", "remove", "git:ask", "--json"))
        #expect(askGone["deleted"] as? Bool == true && askGone["executions"] as? Int == 0)
        let logGone = try ok(db.run("capability", "remove", "git:log", "--force", "--json"))
        #expect(logGone["executions"] as? Int == 1)
        #expect((try db.run("exec", "list", "--json").json as? [Any])?.isEmpty == true)

        #expect(try db.run("run", "--task", "\(task)", "--capability", "git:log").status != 0)
        _ = try ok(db.run("capability", "add", "--agent", "git", "--key", "log", "--label", "History", "--command", "log", "--json"))
        #expect(try db.run("run", "--task", "\(task)", "--capability", "git:log").status == 0)
        let agentGone = try ok(db.run("agent", "remove", "git", "--force", "--json"))
        #expect(agentGone["deleted"] as? Bool == true && agentGone["executions"] as? Int == 1 && agentGone["capabilities"] as? Int == 1)
        #expect(agentGone["tasks_unassigned"] as? Int == 1)
        #expect((try db.run("agent", "list", "--json").json as? [Any])?.isEmpty == true)
        #expect(try ok(db.run("task", "show", "\(task)", "--json"))["assignee"] is NSNull, "the task stays, unassigned")
    }

    @Test("session rename / close / delete, message delete", arguments: CLIBackend.allCases)
    func sessionsAndMessages(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("demo", "--fill-only").status == 0)
        let list = try #require(try db.run("session", "list", "--json").json as? [[String: Any]])
        let s = try #require(list.max { ($0["message_count"] as? Int ?? 0) < ($1["message_count"] as? Int ?? 0) })
        let sid = s["id"] as! Int, count = s["message_count"] as! Int

        let renamed = try ok(db.run("session", "rename", "\(sid)", "A better title", "--json"))
        #expect(renamed["title"] as? String == "A better title" && renamed["id"] as? Int == sid)
        let closed = try ok(db.run("session", "close", "\(sid)", "--json"))
        #expect(closed["status"] as? String == "completed")

        let show = try ok(db.run("session", "show", "\(sid)", "--json"))
        let firstMessage = try #require((show["messages"] as? [[String: Any]])?.first?["id"] as? Int)
        let gone = try ok(db.run("message", "delete", "\(firstMessage)", "--json"))
        #expect(gone["deleted"] as? Bool == true && gone["session_id"] as? Int == sid)
        #expect(try ok(db.run("session", "rename", "\(sid)", "x", "--json"))["message_count"] as? Int == count - 1)
        expectCleanError(try db.run("message", "delete", "\(firstMessage)"), contains: "no message with id \(firstMessage)")

        let refused = try db.run("session", "delete", "\(sid)")
        expectCleanError(refused, contains: "session \(sid) has \(count - 1) messages")
        #expect(refused.stderr.contains("--force deletes them too"))
        #expect(try db.run("session", "show", "\(sid)").status == 0, "nothing deleted")
        let deleted = try ok(db.run("session", "delete", "\(sid)", "--force", "--json"))
        #expect(deleted["deleted"] as? Bool == true && deleted["messages"] as? Int == count - 1)
        expectCleanError(try db.run("session", "show", "\(sid)"), contains: "no session with id \(sid)")
        expectCleanError(try db.run("session", "close", "99999"), contains: "no session with id 99999")
    }

    @Test("settings get / set / list", arguments: CLIBackend.allCases)
    func settings(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try ok(db.run("settings", "set", "worker.poll_ms", "250", "--json"))["value"] as? Int == 250)
        #expect(try ok(db.run("settings", "set", "user.name", "dana", "--json"))["value"] as? String == "dana", "not JSON: a string")
        _ = try ok(db.run("settings", "set", "ui", "{\"compact\":true}", "--json"))
        #expect(try ok(db.run("settings", "get", "worker.poll_ms", "--json"))["value"] as? Int == 250)
        #expect(try db.run("settings", "get", "user.name").stdout == "\"dana\"\n")
        let all = try ok(db.run("settings", "list", "--json"))
        #expect(all["worker.poll_ms"] as? Int == 250 && (all["ui"] as? [String: Any])?["compact"] as? Bool == true)
        #expect(try db.run("settings", "list").stdout.contains("user.name"))
        expectCleanError(try db.run("settings", "get", "missing"), contains: "no setting 'missing'")
    }
}
