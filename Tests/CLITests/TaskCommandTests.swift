import Foundation
import Core
import Testing
import CLISupport

@Suite("CLI: tasks, agents, capabilities") struct TaskCommandTests {
    @Test("task add / list / show / move / depend with their JSON contracts", arguments: CLIBackend.allCases)
    func taskContract(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let agent = try db.run("agent", "add", "--slug", "codex", "--name", "Codex", "--binary", "/usr/bin/codex", "--arg", "exec",
                               "--kind", "ai-agent", "--max-concurrent", "2", "--json")
        #expect(agent.status == 0, "\(agent.stderr)")
        let a = try #require(agent.json as? [String: Any])
        #expect(a["slug"] as? String == "codex" && a["max_concurrent"] as? Int == 2 && a["base_args"] as? [String] == ["exec"])
        #expect(a["tool_type"] as? String == "ai-agent")

        func add(_ args: String...) throws -> [String: Any] {
            let r = try db.runArgs(["task", "add", "--json"] + args)
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(r.json as? [String: Any])
        }
        let t1 = try add("--title", "Write the parser", "--priority", "2", "--assignee", "codex", "--due", "2026-12-01")
        let t2 = try add("--title", "Ship it", "--status", "in_progress")
        let t3 = try add("--title", "Parser tests", "--parent", "\(t1["id"]!)", "--description", "edge cases")
        let id1 = try #require(t1["id"] as? Int), id2 = try #require(t2["id"] as? Int), id3 = try #require(t3["id"] as? Int)
        #expect(t1["assignee"] as? String == "codex")
        #expect((t1["due_at"] as? String)?.hasPrefix("2026-12-01T00:00:00") == true)
        #expect(t3["parent_id"] as? Int == id1)

        let list = try #require(try db.run("task", "list", "--json").json as? [[String: Any]])
        #expect(list.map { $0["id"] as? Int } == [id1, id3, id2], "ordered by status, then sort order")
        for key in ["id", "title", "status", "priority", "sort_order", "assignee", "parent_id", "created_at", "updated_at"] {
            #expect(list.allSatisfy { $0.keys.contains(key) }, "every task has \(key)")
        }
        #expect(list[2]["assignee"] is NSNull)
        let todo = try #require(try db.run("task", "list", "--status", "todo", "--json").json as? [[String: Any]])
        #expect(todo.count == 2)

        let move = try db.run("task", "move", "\(id3)", "--to", "in_progress", "--position", "0")
        #expect(move.status == 0, "\(move.stderr)")
        #expect(move.stdout.contains("position 0"))
        let inProgress = try #require(try db.run("task", "list", "--status", "in_progress", "--json").json as? [[String: Any]])
        #expect(inProgress.map { $0["id"] as? Int } == [id3, id2])
        #expect(try db.run("task", "move", "\(id3)", "--to", "in_progress").status == 0)  // default: last
        let again = try #require(try db.run("task", "list", "--status", "in_progress", "--json").json as? [[String: Any]])
        #expect(again.map { $0["id"] as? Int } == [id2, id3])

        #expect(try db.run("task", "depend", "\(id2)", "--on", "\(id1)").status == 0)
        let show = try #require(try db.run("task", "show", "\(id2)", "--json").json as? [String: Any])
        #expect(show["depends_on"] as? [Int] == [id1])
        #expect(show.keys.contains("description"))
        let events = try #require(show["events"] as? [[String: Any]])
        #expect(events.map { $0["event_type"] as? String } == ["created", "dependency_added"])
        for e in events { #expect(e["actor_type"] as? String == "user" && e["payload"] is [String: Any] && e["created_at"] is String) }
        let show3 = try #require(try db.run("task", "show", "\(id3)", "--json").json as? [String: Any])
        #expect((show3["events"] as? [[String: Any]])?.map { $0["event_type"] as? String } == ["created", "moved", "reordered"])
        #expect(show3["description"] as? String == "edge cases")
    }

    @Test("agent list and capability add", arguments: CLIBackend.allCases)
    func agentsAndCapabilities(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--slug", "git", "--name", "git", "--binary", "/usr/bin/git").status == 0)
        let cap = try db.run("capability", "add", "--agent", "git", "--key", "log", "--label", "History",
                             "--command", "log", "--oneline", "-n", "{{count}}", "--timeout", "30", "--danger", "1", "--json")
        #expect(cap.status == 0, "\(cap.stderr)")
        let c = try #require(cap.json as? [String: Any])
        #expect(c["command_tokens"] as? [String] == ["log", "--oneline", "-n", "{{count}}"])
        #expect(c["interaction_mode"] as? String == "template" && c["danger_level"] as? Int == 1 && c["timeout_sec"] as? Int == 30)
        let prompt = try db.run("capability", "add", "--agent", "git", "--key", "explain", "--label", "Explain",
                                "--prompt", "Explain {{path}}", "--requires-approval", "--json")
        #expect((prompt.json as? [String: Any])?["requires_approval"] as? Bool == true)
        expectCleanError(try db.run("capability", "add", "--agent", "git", "--key", "log", "--label", "Again", "--command", "log"),
                         contains: "already has a capability 'log'")
        expectCleanError(try db.run("capability", "add", "--agent", "git", "--key", "x", "--label", "X"),
                         contains: "exactly one of --command")
        expectCleanError(try db.run("capability", "add", "--agent", "nobody", "--key", "x", "--label", "X", "--command", "a"),
                         contains: "no agent with slug 'nobody'")
        expectCleanError(try db.run("agent", "add", "--slug", "git", "--name", "g", "--binary", "/bin/git"),
                         contains: "already exists")
        let agents = try #require(try db.run("agent", "list", "--json").json as? [[String: Any]])
        #expect(agents.count == 1)
        #expect((agents[0]["capabilities"] as? [[String: Any]])?.map { $0["key"] as? String } == ["explain", "log"])
    }

    @Test("bad input: one clear line on stderr and a non-zero exit", arguments: CLIBackend.allCases)
    func badInput(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let a = try #require(try db.run("task", "add", "--title", "a", "--json").json as? [String: Any])
        let b = try #require(try db.run("task", "add", "--title", "b", "--json").json as? [String: Any])
        let ida = "\(a["id"]!)", idb = "\(b["id"]!)"
        expectCleanError(try db.run("task", "list", "--status", "doing"), contains: "unknown status 'doing'")
        expectCleanError(try db.run("task", "move", ida, "--to", "later"), contains: "unknown status 'later'")
        expectCleanError(try db.run("task", "show", "424242"), contains: "no task with id 424242")
        expectCleanError(try db.run("task", "move", "424242", "--to", "done"), contains: "no task with id 424242")
        expectCleanError(try db.run("task", "show", "abc"), contains: "'abc' is not a task id")
        expectCleanError(try db.run("task", "add", "--title", "x", "--priority", "7"), contains: "priority must be 1 to 5")
        expectCleanError(try db.run("task", "add", "--title", "x", "--due", "next tuesday"), contains: "not an ISO 8601 date")
        expectCleanError(try db.run("task", "add", "--title", "x", "--assignee", "ghost"), contains: "no agent with slug 'ghost'")
        #expect(try db.run("task", "depend", ida, "--on", idb).status == 0)
        expectCleanError(try db.run("task", "depend", idb, "--on", ida), contains: "would create a cycle")
        expectCleanError(try db.run("task", "depend", ida, "--on", ida), contains: "cannot depend on itself")
        expectCleanError(try db.run("task", "add"), contains: "--title")
        expectCleanError(try db.run("agent", "add", "--slug", "x", "--name", "x", "--binary", "x", "--kind", "robot"), contains: "unknown --kind")
    }
}

@Suite("CLI: database errors") struct DatabaseErrorTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-err-\(UUID().uuidString)")

    @Test func unreachableServerNeverPrintsThePassword() throws {
        let r = try CLI.run(["task", "list"], db: "postgresql://alice:hunter2secret@127.0.0.1:1/board")
        expectCleanError(r, contains: "cannot connect to PostgreSQL")
        #expect(!r.stderr.contains("hunter2secret"))
        #expect(r.stderr.contains("alice:***@127.0.0.1:1"))
        let kv = try CLI.run(["task", "list"], db: "host=127.0.0.1 port=1 user=alice password=hunter2secret dbname=board")
        expectCleanError(kv, contains: "cannot connect to PostgreSQL")
        #expect(!kv.stderr.contains("hunter2secret"))
        let env = try CLI.run(["task", "list"], env: ["DATABASE_URL": "postgres://bob:pa55word@127.0.0.1:1/x"])
        expectCleanError(env, contains: "bob:***@")
        #expect(!env.stderr.contains("pa55word"))
    }

    @Test func fileThatIsNotADatabase() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("notes.txt").path
        try Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        expectCleanError(try CLI.run(["task", "list"], db: path), contains: "is not an agentmon database")
        let after = try String(contentsOfFile: path, encoding: .utf8)
        #expect(after.hasPrefix("these are my notes"), "the user's file is left untouched")
    }

    @Test func folderThatCannotBeWritten() throws {
        expectCleanError(try CLI.run(["task", "list"], db: "/proc/agentmon-no/board.db"), contains: "cannot create folder /proc/agentmon-no")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("plainfile").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        expectCleanError(try CLI.run(["task", "list"], db: file + "/board.db"), contains: "Not a directory")
        expectCleanError(try CLI.run(["task", "list"], db: dir.path), contains: "is a folder, not a database file")
    }

    @Test func defaultLocationFollowsXDGAndCreatesA0600File() throws {
        let data = dir.appendingPathComponent("xdg")
        let r = try CLI.run(["task", "add", "--title", "hello"], env: ["XDG_DATA_HOME": data.path])
        #expect(r.status == 0, "\(r.stderr)")
        let file = data.appendingPathComponent("agentmon/agentmon.db").path
        let attrs = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let list = try CLI.run(["--db", file, "task", "list", "--json"])  // --db before the subcommand
        #expect((list.json as? [[String: Any]])?.first?["title"] as? String == "hello")
    }

    @Test func demoFillsEveryState() throws {
        let db = dir.appendingPathComponent("demo.db").path
        let r = try CLI.run(["demo", "--fill-only"], db: db)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("agents:"))
        let tasks = try #require(try CLI.run(["task", "list", "--json"], db: db).json as? [[String: Any]])
        #expect(tasks.count >= 35)
        #expect(Set(tasks.compactMap { $0["status"] as? String }) == ["todo", "in_progress", "blocked", "done", "cancelled"])
        #expect(tasks.contains { $0["parent_id"] is Int })
        let agents = try #require(try CLI.run(["agent", "list", "--json"], db: db).json as? [[String: Any]])
        #expect(Set(agents.compactMap { $0["slug"] as? String }).isSuperset(of: ["claude", "codex", "gemini", "git", "make"]))
        for state in ["queued", "succeeded", "failed", "cancelled", "timed_out"] {
            #expect(r.stdout.contains("\(state) ") && !r.stdout.contains("\(state) 0"), "demo has a \(state) execution")
        }
        // Nothing claimed by a worker that does not exist: running and cancelling come from the demo's own
        // worker (DemoLiveTests), never frozen in the fill.
        #expect(r.stdout.contains("running 0") && r.stdout.contains("cancelling 0"), "\(r.stdout)")
        let again = try CLI.run(["demo", "--fill-only"], db: db)
        #expect(again.status == 0 && again.stdout.contains("already holds data"))
        let reset = try CLI.run(["demo", "--reset", "--fill-only"], db: db)
        #expect(reset.status == 0)
        let tasksAfter = try #require(try CLI.run(["task", "list", "--json"], db: db).json as? [[String: Any]])
        #expect(tasksAfter.count == tasks.count)
        #expect(reset.stdout.contains("sessions:     4 with "), "the shipped transcripts are imported again: \(reset.stdout)")
        #expect(reset.stdout.components(separatedBy: "\n").last { $0.contains("sessions:") }
                == r.stdout.components(separatedBy: "\n").last { $0.contains("sessions:") })
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("logs").path)
        #expect(logs.count >= 7, "every run that ran has its log")
    }
}

@Suite("CLI: concurrent processes") struct ConcurrentProcessTests {
    @Test("two processes reordering one column never leave duplicate or lost positions", arguments: CLIBackend.allCases)
    func twoProcessesReorder(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        var ids: [Int] = []
        for i in 0..<8 {
            let r = try db.run("task", "add", "--title", "card \(i)", "--json")
            ids.append((r.json as? [String: Any])?["id"] as? Int ?? -1)
        }
        // Two shell loops, each a separate process per move, racing on the same column.
        let script = { (seed: Int) -> String in
            (0..<15).map { k in
                let id = ids[(seed * 3 + k * 5) % ids.count]
                return "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db.url)) task move \(id) --to todo --position \((seed + k) % 4) >/dev/null || echo FAIL"
            }.joined(separator: "\n")
        }
        let outputs = Locked<[String]>([])
        let group = DispatchGroup()
        for seed in 0..<2 {
            group.enter()
            let text = script(seed)
            Thread {
                let out = (try? spawn(["/bin/sh", "-c", text], capture: true)) ?? "FAIL spawn"
                outputs.with { $0.append(out) }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(outputs.get.allSatisfy { !$0.contains("FAIL") }, "\(outputs.get)")
        let list = try #require(try db.run("task", "list", "--status", "todo", "--json").json as? [[String: Any]])
        #expect(list.count == 8)
        #expect(Set(list.compactMap { $0["id"] as? Int }) == Set(ids))
        let orders = list.compactMap { $0["sort_order"] as? Int }
        #expect(Set(orders).count == 8 && orders == orders.sorted())
        var reorders = 0
        for id in ids {
            let show = try db.run("task", "show", "\(id)", "--json").json as? [String: Any]
            reorders += (show?["events"] as? [[String: Any]])?.filter { $0["event_type"] as? String == "reordered" }.count ?? 0
        }
        #expect(reorders == 30, "every move left exactly one event")
    }
}
