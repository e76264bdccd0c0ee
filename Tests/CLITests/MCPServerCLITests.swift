import Foundation
import Core
import Testing
import CLISupport
import FuzzCorpus

/// `agentmon mcp` from a separate process speaking the protocol over pipes, as an agent's CLI does:
/// initialize, tools/list, every tool once, refusals; then the board, read back with `task show --json`,
/// holds the changes with actor type agent and the run's agent as actor.
@Suite("CLI: agentmon mcp, an MCP server over stdio") struct MCPServerCLITests {
    static let tools = ["list_tasks", "get_task", "update_task_status", "add_subtask", "add_comment", "add_dependency", "list_agents", "queue_run"]

    /// An agent with a capability, two tasks and a run of it (the execution whose agent the server acts as).
    static func board(_ db: CLIDatabase) throws -> (root: Int, other: Int, execution: String) {
        for args in [["agent", "add", "--slug", "coder", "--name", "Coder", "--binary", "/bin/echo"],
                     ["capability", "add", "--agent", "coder", "--key", "say", "--label", "Say", "--command", "{{word}}"]] {
            let r = try db.runArgs(args)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let root = try #require(try db.run("task", "add", "--title", "Root", "--json").json as? [String: Any])["id"] as? Int
        let other = try #require(try db.run("task", "add", "--title", "Other", "--json").json as? [String: Any])["id"] as? Int
        let run = try db.run("run", "--task", "\(root!)", "--capability", "coder:say", "--arg", "word=hi")
        #expect(run.status == 0, "\(run.stderr)")
        return (root!, other!, run.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func ok(_ r: JSONValue?, _ tool: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        #expect(r?["isError"] == false, "\(tool): \(r?.jsonString ?? "no answer")", sourceLocation: sourceLocation)
        // The text content is the structured content, as JSON, for clients that read only text.
        let text = r?["content"]?.arrayValue?.first?["text"]?.stringValue
        #expect(text.flatMap(JSONValue.parse) == r?["structuredContent"], "\(tool)", sourceLocation: sourceLocation)
        return r?["structuredContent"] ?? .null
    }

    static func refused(_ r: JSONValue?, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r?["isError"] == true, "\(r?.jsonString ?? "no answer")", sourceLocation: sourceLocation)
        let text = r?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        #expect(text.contains(fragment), "\(text)", sourceLocation: sourceLocation)
    }

    @Test("initialize, tools/list, every tool once, bad arguments refused; task show --json has actor agent",
          arguments: CLIBackend.allCases)
    func protocolAndTools(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (root, other, execution) = try Self.board(db)
        let client = try MCPClient(db: db.url, env: ["AGENTMON_EXECUTION_ID": execution])

        let initialize = client.request("initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                                       "clientInfo": ["name": "test", "version": "1"]])
        #expect(initialize?["jsonrpc"] == "2.0")
        #expect(initialize?["result"]?["protocolVersion"] == "2025-06-18", "the client's version is echoed when supported")
        #expect(initialize?["result"]?["capabilities"]?["tools"]?["listChanged"] == false)
        #expect(initialize?["result"]?["serverInfo"]?["name"] == "agentmon")
        client.notify("notifications/initialized")
        #expect(client.request("ping")?["result"] == .object([:]), "a notification gets no answer; the next request does")

        let list = try #require(client.request("tools/list")?["result"]?["tools"]?.arrayValue)
        #expect(list.compactMap { $0["name"]?.stringValue }.sorted() == Self.tools.sorted())
        for t in list {
            #expect(t["inputSchema"]?["type"] == "object", "\(t["name"]?.stringValue ?? "?") has an object schema")
            #expect(t["inputSchema"]?["properties"]?.objectValue != nil && t["description"]?.stringValue?.isEmpty == false)
        }
        #expect(list.first { $0["name"] == "get_task" }?["inputSchema"]?["required"] == ["task_id"])

        // Every tool once.
        let tasks = Self.ok(client.call("list_tasks", [:]), "list_tasks")["tasks"]?.arrayValue ?? []
        #expect(Set(tasks.compactMap { $0["id"]?.intValue }) == [Int64(root), Int64(other)])
        #expect(Self.ok(client.call("get_task", ["task_id": .number(Double(root))]), "get_task")["title"] == "Root")
        let moved = Self.ok(client.call("update_task_status", ["task_id": .number(Double(root)), "status": "in_progress"]), "update_task_status")
        #expect(moved["task"]?["status"] == "in_progress")
        let sub = Self.ok(client.call("add_subtask", ["parent_task_id": .number(Double(root)), "title": "Write tests", "priority": 2]), "add_subtask")
        let subId = try #require(sub["task"]?["id"]?.intValue)
        #expect(sub["task"]?["parent_id"]?.intValue == Int64(root))
        let comment = Self.ok(client.call("add_comment", ["task_id": .number(Double(root)), "text": "Parser done; tests next."]), "add_comment")
        #expect(comment["comment"]?["actor_id"] == "coder")
        let dep = Self.ok(client.call("add_dependency", ["task_id": .number(Double(other)), "depends_on_task_id": .number(Double(root))]), "add_dependency")
        #expect(dep["depends_on"] == [.number(Double(root))])
        let agents = Self.ok(client.call("list_agents", ["active_only": true]), "list_agents")["agents"]?.arrayValue ?? []
        #expect(agents.map { $0["slug"] } == ["coder"] && agents.first?["capabilities"]?.arrayValue?.first?["key"] == "say")
        let queued = Self.ok(client.call("queue_run", ["task_id": .number(Double(other)), "agent": "coder", "capability": "say",
                                                       "args": ["word": "again"]]), "queue_run")
        #expect(queued["execution"]?["status"] == "queued" && queued["execution"]?["args"] == ["word": "again"])

        // Bad arguments: tool errors, and the server goes on.
        Self.refused(client.call("get_task", ["task_id": "one"]), containing: "'task_id' must be an integer")
        Self.refused(client.call("add_comment", ["task_id": .number(Double(root))]), containing: "missing required argument 'text'")
        Self.refused(client.call("get_task", ["task_id": 999_999]), containing: "no task with id 999999")
        Self.refused(client.call("update_task_status", ["task_id": .number(Double(root)), "status": "shipped"]), containing: "must be one of")
        Self.refused(client.call("list_tasks", ["colour": "red"]), containing: "unknown argument 'colour'")
        Self.refused(client.call("add_dependency", ["task_id": .number(Double(root)), "depends_on_task_id": .number(Double(other))]),
                     containing: "cycle")
        Self.refused(client.call("queue_run", ["task_id": .number(Double(other)), "agent": "coder", "capability": "say"]),
                     containing: "needs args: word")
        // Protocol errors: an unknown method, an unknown tool, a line that is not JSON — then a request still works.
        #expect(client.request("resources/list")?["error"]?["code"] == -32601)
        #expect(client.request("tools/call", ["name": "drop_tables", "arguments": [:]])?["error"]?["code"] == -32602)
        client.sendLine("{\"jsonrpc\": \"2.0\", \"id\": 77, \"method\": ")
        #expect(client.answer(id: .null)?["error"]?["code"] == -32700)
        client.sendLine("[{\"jsonrpc\":\"2.0\",\"id\":78,\"method\":\"ping\"}]")
        #expect(client.answer(id: .null)?["error"]?["code"] == -32600)
        #expect(client.request("ping")?["result"] == .object([:]))
        #expect(client.finish() == 0, "stdin closed: the server ends cleanly; stderr: \(client.stderrText)")
        #expect(client.unread.isEmpty, "nothing but answers on stdout: \(client.unread)")

        // What the board holds, read by the CLI.
        func events(_ id: Int) throws -> [[String: Any]] {
            let show = try #require(try db.run("task", "show", "\(id)", "--json").json as? [String: Any])
            return try #require(show["events"] as? [[String: Any]])
        }
        func byAgent(_ e: [String: Any]) -> Bool { e["actor_type"] as? String == "agent" && e["actor_id"] as? String == "coder" }
        let rootEvents = try events(root)
        for type in ["moved", "comment"] {
            #expect(rootEvents.contains { $0["event_type"] as? String == type && byAgent($0) }, "\(type) by agent coder: \(rootEvents)")
        }
        let commentEvent = rootEvents.first { $0["event_type"] as? String == "comment" }
        #expect((commentEvent?["payload"] as? [String: Any])?["text"] as? String == "Parser done; tests next.")
        let otherEvents = try events(other)
        for type in ["dependency_added", "execution_queued"] {
            #expect(otherEvents.contains { $0["event_type"] as? String == type && byAgent($0) }, "\(type) by agent coder: \(otherEvents)")
        }
        #expect(try events(Int(subId)).contains { $0["event_type"] as? String == "created" && byAgent($0) })
        let show = try #require(try db.run("task", "show", "\(root)", "--json").json as? [String: Any])
        #expect(show["status"] as? String == "in_progress")
    }

    @Test("without a run or --agent, reading tools work and changing ones say what is missing", arguments: CLIBackend.allCases)
    func noActor(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (root, _, _) = try Self.board(db)
        let client = try MCPClient(db: db.url)
        _ = client.request("initialize", ["protocolVersion": "2024-11-05", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]])
        _ = Self.ok(client.call("get_task", ["task_id": .number(Double(root))]), "get_task")
        Self.refused(client.call("add_comment", ["task_id": .number(Double(root)), "text": "hi"]), containing: "AGENTMON_EXECUTION_ID")
        #expect(client.finish() == 0)
        let show = try #require(try db.run("task", "show", "\(root)", "--json").json as? [String: Any])
        #expect(!((show["events"] as? [[String: Any]]) ?? []).contains { $0["event_type"] as? String == "comment" })

        // --agent names the actor outside a run; a wrong slug or execution id is refused at start, in one line.
        let named = try MCPClient(db: db.url, extra: ["--agent", "coder"])
        _ = Self.ok(named.call("add_comment", ["task_id": .number(Double(root)), "text": "by hand"]), "add_comment")
        #expect(named.finish() == 0)
        expectCleanError(try CLI.run(["mcp", "--agent", "nobody"], db: db.url), contains: "no agent with slug 'nobody'")
        expectCleanError(try CLI.run(["mcp"], db: db.url, env: ["AGENTMON_EXECUTION_ID": "x1"]), contains: "AGENTMON_EXECUTION_ID 'x1'")
    }

    @Test("agent edit --mcp on|off switches mcp_enabled; another value is refused in one line", arguments: CLIBackend.allCases)
    func mcpSwitch(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--slug", "coder", "--name", "Coder", "--binary", "/bin/echo").status == 0)
        let on = try #require(try db.run("agent", "edit", "coder", "--mcp", "on", "--json").json as? [String: Any])
        #expect(on["mcp_enabled"] as? Bool == true)
        #expect(try db.run("agent", "edit", "coder", "--mcp", "off").stdout.contains("mcp_enabled"))
        let list = try #require(try db.run("agent", "list", "--json").json as? [[String: Any]])
        #expect(list.first?["mcp_enabled"] as? Bool == false)
        expectCleanError(try db.run("agent", "edit", "coder", "--mcp", "yes"), contains: "--mcp must be on or off")
    }
}

/// The same storm through the real binary: no signal, a clean exit when stdin ends.
@Suite("Fuzz: JSON-RPC lines through the agentmon mcp binary") struct MCPBinaryFuzzTests {
    @Test func hostileLinesNeverCrashTheBinary() throws {
        guard let db = try CLIDatabase(.sqlite) else { return }
        _ = try MCPServerCLITests.board(db)
        let client = try MCPClient(db: db.url, extra: ["--agent", "coder"])
        var rng = SeededRandom(seed: SeededRandom.baseSeed(fallback: 0x4D43_5002, environment: ProcessInfo.processInfo.environment))
        let mutator = JSONRPCMutator()
        for _ in 0..<300 { client.sendLine(String(decoding: mutator.generate(&rng).line, as: UTF8.self)) }
        // An id no fuzzed line uses (theirs are small numbers), so this answer is the ping's own.
        client.sendLine(#"{"jsonrpc":"2.0","id":"last","method":"ping"}"#)
        #expect(client.answer(id: "last", timeout: 60)?["result"] == .object([:]), "stderr: \(client.stderrText)")
        #expect(client.finish(timeout: 30) == 0, "stderr: \(client.stderrText)")
    }
}
