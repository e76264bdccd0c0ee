import Foundation
import Testing
import CLISupport
import Core
import Storage

/// Steering from the command line, every step its own process: a worker process runs the stand-in Claude
/// (Tests/StandIns), and `inbox approve`, `exec send`, `exec interrupt` and `rule` answer it from others.
@Suite("CLI: steering running agents") struct SteeringCLITests {
    static let standIn = OwnPostgres.repository + "/Tests/StandIns/claude-stream-json"

    /// The claude preset on the stand-in, a task whose title is the prompt, and a worker process.
    static func setUp(_ db: CLIDatabase, prompt: String) throws -> (worker: BackgroundCLI, execution: Int, log: String) {
        #expect(try db.run("agent", "add", "--preset", "claude", "--binary", standIn).status == 0)
        #expect(try db.run("agent", "edit", "claude", "--env", "STANDIN_LOG").status == 0)
        let task = try #require(try db.run("task", "add", "--title", prompt, "--json").json as? [String: Any])
        let run = try #require(try db.run("run", "--task", "\(task["id"]!)", "--capability", "claude:implement", "--json").json as? [String: Any])
        let log = db.dir.appendingPathComponent("standin.log").path
        return (try BackgroundCLI(["worker", "--id", "w-steer", "--log-dir", db.dir.appendingPathComponent("logs").path],
                                  url: db.url, dir: db.dir, env: ["STANDIN_LOG": log]), run["id"] as! Int, log)
    }

    static func received(_ log: String) -> [[String: Any]] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line in
            guard let space = line.firstIndex(of: " ") else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line[line.index(after: space)...].utf8)) as? [String: Any]
        }
    }

    static func status(_ db: CLIDatabase, _ id: Int) throws -> String? {
        (try db.run("exec", "show", "\(id)", "--json").json as? [String: Any])?["status"] as? String
    }

    @Test("a decision made by another process reaches the agent while the worker runs", arguments: CLIBackend.allCases)
    func decisionFromAnotherProcess(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (worker, id, log) = try Self.setUp(db, prompt: "ask Bash: git status")
        defer { worker.stop() }
        var item: [String: Any]?
        #expect(try pollUntil(20) {
            item = (try db.run("inbox", "list", "--json").json as? [[String: Any]])?.first { $0["execution_id"] as? Int == id }
            return item != nil
        })
        guard let item, let ref = item["id"] as? String else { return }
        #expect(item["kind"] as? String == "confirm" && item["tool_name"] as? String == "Bash")
        let ok = try CLI.run(["inbox", "approve", ref], db: db.url, env: ["USER": "bob"])
        #expect(ok.status == 0 && ok.stdout.contains("approved \(ref)"))
        #expect(try pollUntil(20) { try Self.status(db, id) == "succeeded" })
        let answer = Self.received(log).first { $0["type"] as? String == "control_response" }?["response"] as? [String: Any]
        #expect((answer?["response"] as? [String: Any])?["behavior"] as? String == "allow")
        // Answering again, now that the run has ended, is refused in one line.
        expectCleanError(try db.run("inbox", "deny", ref), contains: "already decided by bob")
    }

    @Test("exec interrupt and exec send reach the running agent in order; a finished run refuses input", arguments: CLIBackend.allCases)
    func sendAndInterrupt(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (worker, id, log) = try Self.setUp(db, prompt: "wait")
        defer { worker.stop() }
        #expect(try pollUntil(20) { try Self.status(db, id) == "running" && !Self.received(log).isEmpty })
        let interrupt = try CLI.run(["exec", "interrupt", "\(id)"], db: db.url, env: ["USER": "carol"])
        #expect(interrupt.status == 0 && interrupt.stdout.contains("delivered interrupt"), "\(interrupt.stderr)")
        let send = try CLI.run(["exec", "send", "\(id)", "try again, smaller"], db: db.url, env: ["USER": "carol"])
        #expect(send.status == 0 && send.stdout.contains("delivered message"), "\(send.stderr)")
        #expect(try pollUntil(20) { try Self.status(db, id) == "succeeded" })
        let kinds = Self.received(log).map { ($0["type"] as? String) ?? "?" }
        #expect(kinds == ["user", "control_request", "user"])
        expectCleanError(try db.run("exec", "send", "\(id)", "more"), contains: "run #\(id) has ended (succeeded); it cannot take input")
        expectCleanError(try db.run("exec", "interrupt", "\(id)"), contains: "has ended")
        expectCleanError(try db.run("exec", "send", "\(id)", "  "), contains: "the message is empty")
        expectCleanError(try db.run("exec", "send", "99999", "hi"), contains: "no execution with id 99999")
        expectCleanError(try db.run("exec", "send", "x", "hi"), contains: "is not an execution id")
    }

    @Test("rule add, list and remove; bad rules refused in one line", arguments: CLIBackend.allCases)
    func rules(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--preset", "claude", "--binary", Self.standIn).status == 0)
        let a = try db.run("rule", "add", "--tool", "Read", "--decision", "allow")
        #expect(a.status == 0 && a.stdout.contains("added rule #1: allow tool Read"))
        #expect(try db.run("rule", "add", "--agent", "claude", "--tool", "Bash", "--match", "rm -rf", "--decision", "deny").status == 0)
        #expect(try db.run("rule", "add", "--decision", "ask").status == 0)
        let list = try #require(try db.run("rule", "list", "--json").json as? [[String: Any]])
        #expect(list.map { $0["decision"] as? String } == ["allow", "deny", "ask"])
        #expect(list[1]["agent"] as? String == "claude" && list[1]["match"] as? String == "rm -rf")
        #expect(try db.run("rule", "remove", "1").status == 0)
        #expect((try db.run("rule", "list", "--json").json as? [Any])?.count == 2)
        expectCleanError(try db.run("rule", "remove", "1"), contains: "no rule with id 1")
        expectCleanError(try db.run("rule", "add", "--decision", "maybe"), contains: "unknown --decision 'maybe'")
        expectCleanError(try db.run("rule", "add", "--match", "([", "--decision", "deny"), contains: "--match: not a valid regular expression")
        expectCleanError(try db.run("rule", "add", "--agent", "nobody", "--decision", "deny"), contains: "no agent with slug 'nobody'")
        expectCleanError(try db.run("rule", "remove", "abc"), contains: "is not a rule id")
    }
}

@Suite("CLI: inbox history") struct InboxHistoryCLITests {
    @Test("inbox history lists answered requests newest first with who decided", arguments: CLIBackend.allCases)
    func history(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let store = try Store.open(db.url)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        let session = try store.sessions.create(Session(title: "s", agentId: agent.id, status: .running))
        let first = try store.toolCalls.savePermissionRequest(sessionId: session.id, externalId: "perm:1", toolName: "Read", input: "{}", message: nil)
        #expect(try CLI.run(["inbox", "approve", "c\(first.id)"], db: db.url, env: ["USER": "alice"]).status == 0)
        let second = try store.toolCalls.savePermissionRequest(sessionId: session.id, externalId: "perm:2", toolName: "Bash", input: "{}", message: nil)
        #expect(try CLI.run(["inbox", "deny", "c\(second.id)", "--reason", "no"], db: db.url, env: ["USER": "bob"]).status == 0)
        let list = try #require(try db.run("inbox", "history", "--json").json as? [[String: Any]])
        #expect(list.map { $0["decided_by"] as? String } == ["bob", "alice"])
        #expect(list.first?["decision"] as? String == "deny" && list.first?["reason"] as? String == "no" && list.first?["tool_name"] as? String == "Bash")
        let human = try db.run("inbox", "history")
        #expect(human.status == 0 && human.stdout.contains("alice") && human.stdout.contains("deny"))
        // The transcript says it too.
        #expect(try store.messages.all(sessionId: session.id).map(\.content) == ["Read allowed by alice", "Bash denied by bob: no"])
    }
}

@Suite("CLI: steering a tmux-hosted agent") struct TmuxSteeringCLITests {
    static let standIn = OwnPostgres.repository + "/Tests/StandIns/interactive-agent"

    @Test("exec send types into the pane and Enter; the exit code the agent chose is recorded", arguments: CLIBackend.allCases)
    func sendToTmux(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let socket = db.dir.appendingPathComponent("tmux/sock").path
        defer { _ = try? spawn(["tmux", "-S", socket, "kill-server"], capture: true) }
        #expect(try db.run("agent", "add", "--preset", "gemini", "--binary", Self.standIn).status == 0)
        #expect(try db.run("task", "add", "--title", "chat").status == 0)
        let run = try #require(try db.run("run", "--task", "1", "--capability", "gemini:implement", "--json").json as? [String: Any])
        let id = run["id"] as! Int
        let worker = try BackgroundCLI(["worker", "--id", "w-tmux", "--log-dir", db.dir.appendingPathComponent("logs").path],
                                       url: db.url, dir: db.dir, env: ["AGENTMON_TMUX_SOCKET": socket])
        defer { worker.stop() }
        func logs() throws -> String { try db.run("exec", "logs", "\(id)").stdout }
        #expect(try pollUntil(20) { try logs().contains("ready: interactive stand-in") }, "\(worker.stderr)")
        let sent = try db.run("exec", "send", "\(id)", "hello $(id); rm -rf /")
        #expect(sent.status == 0 && sent.stdout.contains("delivered message"), "\(sent.stderr)")
        #expect(try pollUntil(20) { try logs().contains("got: hello $(id); rm -rf /") }, "the literal text arrived")
        #expect(try db.run("exec", "send", "\(id)", "quit 4").status == 0)
        #expect(try pollUntil(20) {
            let e = try db.run("exec", "show", "\(id)", "--json").json as? [String: Any]
            return e?["status"] as? String == "failed" && e?["exit_code"] as? Int == 4
        })
        expectCleanError(try db.run("exec", "send", "\(id)", "more"), contains: "has ended (failed)")
    }
}
