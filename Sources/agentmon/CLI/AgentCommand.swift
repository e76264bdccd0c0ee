import Foundation
import ArgumentParser
import Core
import Storage

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Register, list, show, edit, enable, disable and remove agents.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Enable.self, Disable.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register an agent (an AI agent or a CLI tool), by hand or from a preset.",
            discussion: """
                --preset claude|codex|gemini fills in the kind, base args, session config, environment allowlist and an \
                `implement` capability; the binary is looked up on PATH unless --binary names it, the slug defaults \
                to the preset's name. Other options given with --preset override the preset's values.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "A ready-made agent: \(AgentPresets.all.map(\.name).joined(separator: ", ")).") var preset: String?
        @Option(help: "Unique short name (default with --preset: the preset's name).") var slug: String?
        @Option(help: "Display name.") var name: String?
        @Option(help: "Path of the binary (default with --preset: the program found on PATH).") var binary: String?
        @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue,
                help: "A base argument (repeatable); the next word is taken as it is, also when it starts with '-'.")
        var args: [String] = []
        @Option(help: "ai-agent or cli-tool (default cli-tool; a preset sets ai-agent).") var kind: String?
        @Option(parsing: .unconditional, help: "Executions of this agent that may run at once.",
                transform: { try NumberArgument.int($0, "--max-concurrent", 1...Int.max) })
        var maxConcurrent: Int?
        @Option(name: .customLong("env-allow"), help: "An environment variable its runs may see (repeatable; NAME or PREFIX*).")
        var envAllow: [String] = []
        @Option(help: "Working directory of its runs (a task's own working dir wins).") var workingDir: String?
        @Flag(help: "Print JSON.") var json = false

        /// Checked while parsing, before any database is opened; the repository checks the slug again.
        func validate() throws {
            if let slug { do { try AgentSlug.validate(slug) } catch let e as AgentSlug.Invalid { throw CLIError(e.description) } }
            if let preset, AgentPresets.named(preset) == nil {
                throw CLIError("unknown --preset '\(Printable.cell(preset))' (expected \(AgentPresets.all.map(\.name).joined(separator: ", ")))")
            }
        }

        func run() throws {
            var agent: Agent
            var caps: [Capability] = []
            if let name = preset, let p = AgentPresets.named(name) {
                if kind != nil { throw CLIError("--kind cannot be given with --preset (a preset is an ai-agent)") }
                agent = p.agent(slug: slug ?? p.name, binaryPath: try binary ?? Self.onPath(p.binaryName))
                caps = p.capabilities
                if let name = self.name { agent.name = name }
                if !args.isEmpty { agent.baseArgs = args }
                if !envAllow.isEmpty { agent.envAllowlist = envAllow }
            } else {
                let missing = [("--slug", slug), ("--name", name), ("--binary", binary)].filter { $0.1 == nil }.map(\.0)
                if !missing.isEmpty {
                    throw CLIError("agent add needs \(missing.joined(separator: ", ")) (or --preset \(AgentPresets.all.map(\.name).joined(separator: "|")))")
                }
                let kind = self.kind ?? "cli-tool"
                guard let toolType = ToolType(rawValue: kind), toolType == .aiAgent || toolType == .cliTool else {
                    throw CLIError("unknown --kind '\(Printable.cell(kind))' (expected ai-agent or cli-tool)")
                }
                agent = Agent(slug: slug!, name: name!, toolType: toolType, binaryPath: binary!, baseArgs: args, envAllowlist: envAllow)
            }
            try AgentCommand.checkEnv(envAllow, "--env-allow")
            if let workingDir, workingDir.isEmpty { throw CLIError("--working-dir must not be empty") }
            if let binary, binary.isEmpty { throw CLIError("--binary must not be empty") }
            if let workingDir { agent.workingDir = workingDir }
            if let maxConcurrent { agent.maxConcurrent = maxConcurrent }
            let store = try global.openStore()
            defer { store.close() }
            let a = try store.db.transaction(.immediate) {
                let a = try store.agents.create(agent)
                for var c in caps { c.agentId = a.id; try store.agents.addCapability(c) }
                return a
            }
            if json {
                JSONOutput.print(JSONOutput.agent(a, capabilities: caps.isEmpty ? nil : try store.agents.capabilities(agentId: a.id)))
            } else {
                Console.line("added agent \(a.slug) (id \(a.id))")
            }
        }

        /// `name` as the user's shell would find it on PATH.
        static func onPath(_ name: String) throws -> String {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            for dir in path.split(separator: ":") where !dir.isEmpty {
                let candidate = String(dir) + "/" + name
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate) {
                    return candidate
                }
            }
            throw CLIError("'\(name)' was not found on PATH; give its location with --binary PATH")
        }
    }

    static func checkEnv(_ names: [String], _ flag: String) throws {
        for n in names where n.isEmpty || n.contains("=") || n.dropLast(n.hasSuffix("*") ? 1 : 0).contains("*") {
            throw CLIError("\(flag) '\(Printable.cell(n))' is not a variable name (NAME or PREFIX*)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List agents with their capabilities.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let agents = try store.agents.list()
            let caps = Dictionary(grouping: try store.agents.capabilities(), by: \.agentId)
            let running = try store.agents.runningCounts()
            if json {
                JSONOutput.print(.array(agents.map { JSONOutput.agent($0, capabilities: caps[$0.id] ?? [], running: running[$0.id] ?? 0) }))
                return
            }
            TextTable.print(header: ["ID", "SLUG", "KIND", "ACTIVE", "RUNNING", "BINARY", "CAPABILITIES"], rows: agents.map { a in
                [String(a.id), a.slug, a.toolType.rawValue, a.isActive ? "yes" : "no", "\(running[a.id] ?? 0)/\(a.maxConcurrent)",
                 a.binaryPath, (caps[a.id] ?? []).map(\.key).joined(separator: ",")]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an agent with every field, its session config and its capabilities.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Agent slug.") var slug: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let a = try store.agents.require(slug: slug)
            let caps = try store.agents.capabilities(agentId: a.id)
            let running = try store.agents.runningCounts()[a.id] ?? 0
            if json { JSONOutput.print(JSONOutput.agent(a, capabilities: caps, running: running)); return }
            func list(_ v: [String]) -> String { JSONValue.strings(v).jsonString }
            let rows: [(String, String)] = [
                ("id", String(a.id)), ("slug", a.slug), ("name", a.name), ("kind", a.kind.rawValue), ("tool_type", a.toolType.rawValue),
                ("binary_path", a.binaryPath), ("base_args", list(a.baseArgs)), ("working_dir", a.workingDir ?? "-"),
                ("env_allowlist", list(a.envAllowlist)), ("is_active", a.isActive ? "yes" : "no"),
                ("max_concurrent", String(a.maxConcurrent)), ("running", String(running)),
                ("discovery_method", a.discoveryMethod.rawValue), ("version", a.version ?? "-"), ("model", a.model ?? "-"),
                ("permission_mode", a.permissionMode ?? "-"), ("max_steps", a.maxSteps.map(String.init) ?? "-"),
                ("instructions", a.instructions ?? "-"), ("session_config", a.sessionConfig?.jsonString ?? "-"),
                ("metadata", a.metadata.jsonString), ("created_at", SQLTime.format(a.createdAt)), ("updated_at", SQLTime.format(a.updatedAt)),
            ]
            let width = rows.map(\.0.count).max() ?? 0
            for (k, v) in rows { Console.line((k + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0) + Printable.cell(v)) }
            Console.line("capabilities:" + (caps.isEmpty ? " -" : ""))
            for c in caps {
                let body = c.mode == .prompt ? (c.promptTemplate ?? "") : list(c.commandTokens ?? [])
                let flags = ["danger \(c.dangerLevel)"] + (c.requiresApproval ? ["needs approval"] : []) + (c.isEnabled ? [] : ["disabled"])
                Console.line("  \(Printable.cell(c.key)) (\(c.mode.rawValue), \(flags.joined(separator: ", "))): \(Printable.cell(body))")
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an agent's fields.",
            discussion: """
                Only the options given change. --arg and --env replace the whole list (--clear-args and --clear-env \
                empty it); --arg takes the next word as it is, so `--arg -p` and `--arg=-p` both give the argument -p. \
                --protocol none removes session_config.bidirectionalProtocol. An empty --working-dir, --model or \
                --permission-mode clears it.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Agent slug.") var slug: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Path of the binary.") var binary: String?
        @Option(help: "Working directory of its runs (\"\" clears it).") var workingDir: String?
        @Option(parsing: .unconditional, help: "Executions of this agent that may run at once.",
                transform: { try NumberArgument.int($0, "--max-concurrent", 1...Int.max) })
        var maxConcurrent: Int?
        @Option(help: "on or off: whether workers run it.") var active: String?
        @Option(help: "on or off: whether its runs get agentmon's MCP server (agentmon mcp).") var mcp: String?
        @Option(help: "ai-agent or cli-tool.") var kind: String?
        @Option(help: "Model name (\"\" clears it).") var model: String?
        @Option(help: "Permission mode (\"\" clears it).") var permissionMode: String?
        @Option(name: [.customLong("env"), .customLong("env-allow")],
                help: "An environment variable its runs may see (repeatable; replaces the allowlist; NAME or PREFIX*).")
        var env: [String] = []
        @Flag(help: "Empty the environment allowlist.") var clearEnv = false
        @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue,
                help: "A base argument (repeatable; replaces the base args); the next word is taken as it is, also when it starts with '-'.")
        var args: [String] = []
        @Flag(help: "Empty the base args.") var clearArgs = false
        @Option(name: .customLong("protocol"), help: "stream-json, app-server, tmux or none (sets session_config.bidirectionalProtocol).")
        var proto: String?
        @Flag(help: "Print JSON.") var json = false

        static let protocols = ["stream-json", "app-server", "tmux", "none"]

        func validate() throws {
            if let proto, !Self.protocols.contains(proto) {
                throw CLIError("unknown --protocol '\(Printable.cell(proto))' (expected \(Self.protocols.joined(separator: ", ")))")
            }
            if let active, !["on", "off"].contains(active) { throw CLIError("--active must be on or off") }
            if let mcp, !["on", "off"].contains(mcp) { throw CLIError("--mcp must be on or off") }
            if let kind, kind != ToolType.aiAgent.rawValue, kind != ToolType.cliTool.rawValue {
                throw CLIError("unknown --kind '\(Printable.cell(kind))' (expected ai-agent or cli-tool)")
            }
            if clearEnv, !env.isEmpty { throw CLIError("give --env or --clear-env, not both") }
            if clearArgs, !args.isEmpty { throw CLIError("give --arg or --clear-args, not both") }
            if let name, name.isEmpty { throw CLIError("--name must not be empty") }
            if let binary, binary.isEmpty { throw CLIError("--binary must not be empty") }
            try AgentCommand.checkEnv(env, "--env")
        }

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            var a = try store.agents.require(slug: slug)
            var changed: [String] = []
            func set<T: Equatable>(_ field: String, _ path: WritableKeyPath<Agent, T>, _ value: T?) {
                guard let value else { return }
                a[keyPath: path] = value
                changed.append(field)
            }
            func blankIsNil(_ s: String?) -> String?? { s.map { $0.isEmpty ? nil : $0 } }
            set("name", \.name, name)
            set("binary_path", \.binaryPath, binary)
            set("working_dir", \.workingDir, blankIsNil(workingDir))
            set("max_concurrent", \.maxConcurrent, maxConcurrent)
            set("is_active", \.isActive, active.map { $0 == "on" })
            set("mcp_enabled", \.mcpEnabled, mcp.map { $0 == "on" })
            set("tool_type", \.toolType, kind.flatMap(ToolType.init(rawValue:)))
            set("model", \.model, blankIsNil(model))
            set("permission_mode", \.permissionMode, blankIsNil(permissionMode))
            set("env_allowlist", \.envAllowlist, clearEnv ? [] : env.isEmpty ? nil : env)
            set("base_args", \.baseArgs, clearArgs ? [] : args.isEmpty ? nil : args)
            if let proto {
                var config = a.sessionConfig?.objectValue ?? [:]
                config["bidirectionalProtocol"] = proto == "none" ? nil : .string(proto)
                a.sessionConfig = config.isEmpty ? nil : .object(config)
                changed.append("session_config")
            }
            if changed.isEmpty { throw CLIError("nothing to change: give at least one option (see agentmon agent edit --help)") }
            let updated = try store.agents.update(a)
            if json { JSONOutput.print(JSONOutput.agent(updated, capabilities: try store.agents.capabilities(agentId: updated.id))); return }
            Console.line("updated agent \(updated.slug): \(changed.joined(separator: ", "))")
        }
    }
}

struct CapabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capability", abstract: "Declare what an agent can do.",
        subcommands: [Add.self, Edit.self, Enable.self, Disable.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a capability: argv tokens with {{placeholders}} (--command) or a prompt template (--prompt).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Agent slug.") var agent: String
        @Option(help: "Key, unique per agent.") var key: String
        @Option(help: "Label.") var label: String
        @Option(name: .customLong("command"), parsing: .singleValue,
                help: "Command tokens (template mode): every word up to the next option of this command; write --command=TOKEN for a token spelled like one.")
        var command: [String] = []
        @Option(help: "Prompt template (prompt mode).") var prompt: String?
        @Flag(help: "Executions need a person's approval before they run.") var requiresApproval = false
        @Option(parsing: .unconditional, help: "0 safe, 1 caution, 2 dangerous, 3 destructive.",
                transform: { try NumberArgument.int($0, "--danger", 0...3) })
        var danger: Int = 0
        @Option(parsing: .unconditional, help: "Timeout in seconds.", transform: { try NumberArgument.int($0, "--timeout", 1...Int.max) })
        var timeout: Int = 300
        @Option(parsing: .unconditional, help: "Output kept per execution, in bytes.",
                transform: { try NumberArgument.int64($0, "--max-output-bytes", atLeast: 1) })
        var maxOutputBytes: Int64 = 10 * 1024 * 1024
        @Option(help: "worktree: each run works in its task's own git worktree; none (default): in the working directory.")
        var isolation: String = "none"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            if command.isEmpty == (prompt == nil) { throw CLIError("give exactly one of --command TOKEN... or --prompt TEMPLATE") }
            guard let iso = Isolation(rawValue: isolation) else { throw CLIError("--isolation must be worktree or none") }
            let store = try global.openStore()
            defer { store.close() }
            let a = try store.agents.require(slug: agent)
            let c = try store.agents.addCapability(Capability(
                agentId: a.id, key: key, label: label, mode: prompt == nil ? .template : .prompt,
                commandTokens: command.isEmpty ? nil : command, promptTemplate: prompt, requiresApproval: requiresApproval,
                dangerLevel: danger, timeoutSec: timeout, maxOutputBytes: maxOutputBytes, isolation: iso))
            if json { JSONOutput.print(JSONOutput.capability(c)) } else { Console.line("added capability \(a.slug):\(c.key) (id \(c.id))") }
        }
    }
}
