import Foundation
import Core

/// What a run of an agent with MCP on (`agents.mcp_enabled`) gets so that its CLI starts `agentmon mcp`:
/// two variables in its environment — `AGENTMON_EXECUTION_ID` (whose agent the server records changes as)
/// and `AGENTMON_DB` (the worker's database) — and the configuration its CLI reads, in that CLI's format:
///
/// - Claude Code: `--mcp-config FILE`, a JSON file `{"mcpServers":{NAME:{"command","args","env"}}}`
///   (Claude Code CLI reference, code.claude.com/docs/en/cli-reference: "--mcp-config: load MCP servers from
///   JSON files"; the file is the `.mcp.json` shape of docs/en/mcp). The option takes several values, so it
///   is written `--mcp-config=FILE`: a following prompt is never read as a second file. The file is the run's
///   own (mode 0600, beside its log) and removed when the run ends.
/// - Codex CLI: `-c` overrides of the `mcp_servers` table (openai/codex docs/config.md, "MCP servers":
///   `command`, `args`, `env`, and `env_vars`, names passed through from Codex's environment; `-c key=value`
///   takes a TOML value), before the subcommand. Nothing is written.
/// - Gemini CLI: `mcpServers.NAME` in `.gemini/settings.json` of the run's working directory (gemini-cli
///   docs/tools/mcp-server.md; docs/cli/configuration.md: project settings, and `$VAR` in a string value is
///   read from the environment). The values are `$AGENTMON_EXECUTION_ID` and `$AGENTMON_DB`, so the entry names
///   no run: it is added to what the file holds (every other key kept), left there after the run, and shared
///   by runs in the same directory. A file that is not JSON is not touched: the run fails saying so.
public enum MCPLaunchConfig {
    public static let serverName = "agentmon"
    public static let executionVariable = "AGENTMON_EXECUTION_ID"
    public static let databaseVariable = "AGENTMON_DB"

    public enum Client: String, Sendable { case claude, codex, gemini }

    /// Which CLI an agent is: `session_config.mcpClient` when set, else the binary's name (claude, codex,
    /// gemini), else its protocol (stream-json is Claude's, app-server Codex's). nil: unknown.
    public static func client(of agent: Agent) -> Client? {
        if let c = agent.sessionConfig?["mcpClient"]?.stringValue { return Client(rawValue: c) }
        if let c = Client(rawValue: PathText.lastComponent(of: agent.binaryPath)) { return c }
        switch agent.sessionConfig?["bidirectionalProtocol"]?.stringValue {
        case "stream-json": return .claude
        case "app-server": return .codex
        default: return nil
        }
    }

    /// Adds the server to `plan`; returns the files to remove when the run ends.
    /// - Parameters: agentmon: the path of the agentmon binary the CLI starts; runDirectory: where a
    ///   per-run file may go (the log directory).
    public static func apply(to plan: inout LaunchPlan, agent: Agent, executionId: ID, connection: String,
                             agentmon: String, runDirectory: String) throws -> [String] {
        guard let client = client(of: agent) else {
            throw WorkerError("agent '\(agent.slug)' has MCP on, but agentmon does not know how to configure \(PathText.lastComponent(of: agent.binaryPath)) (set session_config.mcpClient to claude, codex or gemini)")
        }
        plan.environment[executionVariable] = String(executionId)
        plan.environment[databaseVariable] = connection
        switch client {
        case .claude:
            let path = (runDirectory as NSString).appendingPathComponent("execution-\(executionId)-mcp.json")
            let server: JSONValue = ["command": .string(agentmon), "args": ["mcp"],
                                     "env": [executionVariable: .string(String(executionId)), databaseVariable: .string(connection)]]
            try write(JSONValue.object(["mcpServers": [serverName: server]]).jsonString, to: path)
            plan.argv.insert("--mcp-config=" + path, at: 1)
            return [path]
        case .codex:
            plan.argv.insert(contentsOf: codexOverrides(agentmon: agentmon, executionId: executionId), at: 1)
            return []
        case .gemini:
            try mergeGeminiSettings(in: plan.workingDirectory, agentmon: agentmon)
            return []
        }
    }

    /// `-c mcp_servers.agentmon.…=TOML` pairs. A JSON string without `\/` is a TOML basic string.
    static func codexOverrides(agentmon: String, executionId: ID) -> [String] {
        let key = "mcp_servers.\(serverName)"
        return ["-c", "\(key).command=" + JSONValue.string(agentmon).jsonString,
                "-c", "\(key).args=[\"mcp\"]",
                "-c", "\(key).env={\(executionVariable)=\"\(executionId)\"}",
                "-c", "\(key).env_vars=[\"\(databaseVariable)\"]"]
    }

    /// The Gemini entry, added to `DIR/.gemini/settings.json` (made when missing).
    static func mergeGeminiSettings(in directory: String, agentmon: String) throws {
        let dir = (directory as NSString).appendingPathComponent(".gemini")
        let path = (dir as NSString).appendingPathComponent("settings.json")
        var settings: [String: JSONValue] = [:]
        if let data = FileManager.default.contents(atPath: path) {
            guard let parsed = JSONParser.parse(data), let o = parsed.objectValue else {
                throw WorkerError("cannot add agentmon's MCP server to \(path): it is not a JSON object (agentmon does not rewrite a file it cannot read whole)")
            }
            settings = o
        }
        var servers = settings["mcpServers"]?.objectValue ?? [:]
        if settings["mcpServers"] != nil, settings["mcpServers"]?.objectValue == nil {
            throw WorkerError("cannot add agentmon's MCP server to \(path): its mcpServers is not an object")
        }
        let entry: JSONValue = ["command": .string(agentmon), "args": ["mcp"],
                                "env": [executionVariable: .string("$" + executionVariable), databaseVariable: .string("$" + databaseVariable)]]
        guard servers[serverName] != entry else { return }  // already there: the file is left as it is
        servers[serverName] = entry
        settings["mcpServers"] = .object(servers)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try write(String(decoding: try enc.encode(JSONValue.object(settings)), as: UTF8.self) + "\n", to: path, mode: nil)
    }

    /// Written whole through a temporary file, so a reader never sees half of it.
    static func write(_ text: String, to path: String, mode: Int? = 0o600) throws {
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8),
                                             attributes: mode.map { [.posixPermissions: $0] }) else {
            throw WorkerError("cannot write \(tmp)")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw WorkerError("cannot write \(path): \(reason)")
        }
    }

    /// The agentmon binary a run's CLI starts: this process's own executable (the worker runs inside it).
    public static func currentBinary() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
