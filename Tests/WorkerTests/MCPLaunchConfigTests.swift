import Foundation
import Testing
import Core
import Storage
@testable import Worker

/// What a run of an agent with MCP on is started with: its CLI's configuration naming `agentmon mcp`, and
/// the execution id and database in its environment.
@Suite("Worker: MCP configuration for an agent's run") struct MCPLaunchConfigTests {
    static let standIn = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("StandIns/claude-stream-json").path

    func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-mcpcfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func plan(_ binary: String, _ dir: String, args: [String] = ["-p"]) -> LaunchPlan {
        LaunchPlan(executable: binary, argv: [binary] + args + ["the prompt"], workingDirectory: dir, environment: ["PATH": "/bin"])
    }

    @Test("which CLI: session_config.mcpClient, else the binary's name, else the protocol; unknown is refused")
    func client() throws {
        #expect(MCPLaunchConfig.client(of: Agent(slug: "a", name: "a", binaryPath: "/opt/bin/codex")) == .codex)
        #expect(MCPLaunchConfig.client(of: Agent(slug: "a", name: "a", binaryPath: "gemini")) == .gemini)
        #expect(MCPLaunchConfig.client(of: Agent(slug: "a", name: "a", binaryPath: "/x/claude-stream-json",
                                                 sessionConfig: ["bidirectionalProtocol": "stream-json"])) == .claude)
        #expect(MCPLaunchConfig.client(of: Agent(slug: "a", name: "a", binaryPath: "/usr/bin/codex",
                                                 sessionConfig: ["mcpClient": "gemini"])) == .gemini)
        let odd = Agent(slug: "odd", name: "odd", binaryPath: "/usr/bin/aider")
        var p = plan("/usr/bin/aider", try scratch())
        #expect(throws: WorkerError.self) {
            _ = try MCPLaunchConfig.apply(to: &p, agent: odd, executionId: 1, connection: "x.db", agentmon: "/a", runDirectory: "/tmp")
        }
    }

    @Test("Claude: --mcp-config=FILE before the other args, a 0600 JSON file with the server, its env and the run's id")
    func claude() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var p = plan("/usr/bin/claude", dir)
        let files = try MCPLaunchConfig.apply(to: &p, agent: Agent(slug: "c", name: "c", binaryPath: "/usr/bin/claude"), executionId: 42,
                                              connection: "postgres://u@h/db", agentmon: "/opt/agentmon", runDirectory: dir)
        let file = dir + "/execution-42-mcp.json"
        #expect(files == [file])
        #expect(p.argv == ["/usr/bin/claude", "--mcp-config=" + file, "-p", "the prompt"])
        #expect(p.environment["AGENTMON_EXECUTION_ID"] == "42" && p.environment["AGENTMON_DB"] == "postgres://u@h/db")
        let config = try #require(JSONParser.parse(FileManager.default.contents(atPath: file) ?? Data()))
        #expect(config == ["mcpServers": ["agentmon": ["command": "/opt/agentmon", "args": ["mcp"],
                                                       "env": ["AGENTMON_EXECUTION_ID": "42", "AGENTMON_DB": "postgres://u@h/db"]]]])
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the file holds the database connection")
    }

    @Test("Codex: -c overrides of mcp_servers.agentmon before the subcommand, TOML values; nothing written")
    func codex() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var p = plan("/usr/bin/codex", dir, args: ["exec", "--json"])
        let files = try MCPLaunchConfig.apply(to: &p, agent: Agent(slug: "x", name: "x", binaryPath: "/usr/bin/codex"), executionId: 7,
                                              connection: "/data/a b.db", agentmon: "/opt/agent\"mon", runDirectory: dir)
        #expect(files.isEmpty)
        #expect(p.argv == ["/usr/bin/codex",
                           "-c", "mcp_servers.agentmon.command=\"/opt/agent\\\"mon\"", "-c", "mcp_servers.agentmon.args=[\"mcp\"]",
                           "-c", "mcp_servers.agentmon.env={AGENTMON_EXECUTION_ID=\"7\"}", "-c", "mcp_servers.agentmon.env_vars=[\"AGENTMON_DB\"]",
                           "exec", "--json", "the prompt"])
        // The database reaches the server through env_vars, never on a command line others can read.
        #expect(!p.argv.contains { $0.contains("/data/a b.db") } && p.environment["AGENTMON_DB"] == "/data/a b.db")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("Gemini: the entry is merged into .gemini/settings.json of the working directory, other keys kept; not JSON is refused")
    func gemini() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let agent = Agent(slug: "g", name: "g", binaryPath: "/usr/bin/gemini")
        let settings = dir + "/.gemini/settings.json"
        try FileManager.default.createDirectory(atPath: dir + "/.gemini", withIntermediateDirectories: true)
        try Data(#"{"theme": "Dracula", "mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}}"#.utf8)
            .write(to: URL(fileURLWithPath: settings))
        var p = plan("/usr/bin/gemini", dir)
        #expect(try MCPLaunchConfig.apply(to: &p, agent: agent, executionId: 3, connection: "a.db", agentmon: "/opt/agentmon", runDirectory: dir).isEmpty)
        #expect(p.argv == ["/usr/bin/gemini", "-p", "the prompt"] && p.environment["AGENTMON_EXECUTION_ID"] == "3")
        let merged = try #require(JSONParser.parse(FileManager.default.contents(atPath: settings) ?? Data()))
        #expect(merged["theme"] == "Dracula" && merged["mcpServers"]?["git"]?["command"] == "uvx")
        #expect(merged["mcpServers"]?["agentmon"] == ["command": "/opt/agentmon", "args": ["mcp"],
                                                      "env": ["AGENTMON_EXECUTION_ID": "$AGENTMON_EXECUTION_ID", "AGENTMON_DB": "$AGENTMON_DB"]])
        // A second run finds it there and leaves the file as it is.
        let before = try #require(FileManager.default.contents(atPath: settings))
        var again = plan("/usr/bin/gemini", dir)
        _ = try MCPLaunchConfig.apply(to: &again, agent: agent, executionId: 4, connection: "a.db", agentmon: "/opt/agentmon", runDirectory: dir)
        #expect(FileManager.default.contents(atPath: settings) == before)
        // A file with comments (not JSON) is not rewritten.
        try Data("// mine\n{}".utf8).write(to: URL(fileURLWithPath: settings))
        var third = plan("/usr/bin/gemini", dir)
        #expect(throws: WorkerError.self) {
            _ = try MCPLaunchConfig.apply(to: &third, agent: agent, executionId: 5, connection: "a.db", agentmon: "/a", runDirectory: dir)
        }
        #expect(String(decoding: FileManager.default.contents(atPath: settings) ?? Data(), as: UTF8.self) == "// mine\n{}")
    }

    @Test("a worker starts an MCP-enabled stand-in Claude with --mcp-config of a valid file and the run's execution id",
          arguments: Backend.allCases)
    func workerLaunch(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            defer { s.close() }
            let p = AgentPresets.claude
            let a = try s.agents.create(Agent(slug: "claude", name: "Claude (stand-in)", toolType: .aiAgent, binaryPath: Self.standIn,
                                              baseArgs: p.baseArgs, envAllowlist: ["STANDIN_ARGV_LOG", "PATH"],
                                              sessionConfig: p.sessionConfig, mcpEnabled: true))
            #expect(try s.agents.get(a.id).mcpEnabled, "mcp_enabled is stored")
            let cap = try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt,
                                                            promptTemplate: "{{task_title}}", timeoutSec: 60))
            let e = try s.queue(cap, task: try s.task("hello"))
            let record = tdb.path("argv-\(e.id).json")
            var env = ProcessInfo.processInfo.environment
            env["STANDIN_ARGV_LOG"] = record
            var opts = tdb.options(environment: env)
            opts.agentmonBinary = "/opt/agentmon/bin/agentmon"
            _ = try WorkerLoop(options: opts).run()
            #expect(try s.executions.status(e.id) == .succeeded)
            let seen = try #require(JSONParser.parse(FileManager.default.contents(atPath: record) ?? Data()))
            let argv = seen["argv"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(argv.contains { $0.hasPrefix("--mcp-config=") }, "\(argv)")
            #expect(seen["execution_id"] == .string(String(e.id)) && seen["db"] == .string(tdb.url))
            #expect(seen["mcp_configs"] == [["mcpServers": ["agentmon": [
                "command": "/opt/agentmon/bin/agentmon", "args": ["mcp"],
                "env": ["AGENTMON_EXECUTION_ID": .string(String(e.id)), "AGENTMON_DB": .string(tdb.url)]]]]])
            // The file was the run's own: gone when it ended.
            let file = String(argv.first { $0.hasPrefix("--mcp-config=") }?.dropFirst("--mcp-config=".count) ?? "")
            #expect(!file.isEmpty && !FileManager.default.fileExists(atPath: file))
        }
    }
}
