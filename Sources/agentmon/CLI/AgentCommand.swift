import Foundation
import ArgumentParser
import Core
import Storage

struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Register and list agents.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an agent (an AI agent or a CLI tool).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Unique short name.") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Path of the binary.") var binary: String
        @Option(name: .customLong("arg"), help: "A base argument (repeatable).") var args: [String] = []
        @Option(help: "ai-agent or cli-tool.") var kind: String = "cli-tool"
        @Option(parsing: .unconditional, help: "Executions of this agent that may run at once.",
                transform: { try NumberArgument.int($0, "--max-concurrent", 1...Int.max) })
        var maxConcurrent: Int = 1
        @Option(name: .customLong("env-allow"), help: "An environment variable its runs may see (repeatable; NAME or PREFIX*).")
        var envAllow: [String] = []
        @Option(help: "Working directory of its runs (a task's own working dir wins).") var workingDir: String?
        @Flag(help: "Print JSON.") var json = false

        /// Checked while parsing, before any database is opened; the repository checks the slug again.
        func validate() throws {
            do { try AgentSlug.validate(slug) } catch let e as AgentSlug.Invalid { throw CLIError(e.description) }
        }

        func run() throws {
            guard let toolType = ToolType(rawValue: kind), toolType == .aiAgent || toolType == .cliTool else {
                throw CLIError("unknown --kind '\(Printable.cell(kind))' (expected ai-agent or cli-tool)")
            }
            for n in envAllow where n.isEmpty || n.contains("=") || n.dropLast(n.hasSuffix("*") ? 1 : 0).contains("*") {
                throw CLIError("--env-allow '\(Printable.cell(n))' is not a variable name (NAME or PREFIX*)")
            }
            if let workingDir, workingDir.isEmpty { throw CLIError("--working-dir must not be empty") }
            let store = try global.openStore()
            defer { store.close() }
            let a = try store.agents.create(Agent(slug: slug, name: name, toolType: toolType, binaryPath: binary,
                                                  baseArgs: args, workingDir: workingDir, envAllowlist: envAllow,
                                                  maxConcurrent: maxConcurrent))
            if json { JSONOutput.print(JSONOutput.agent(a)) } else { Console.line("added agent \(a.slug) (id \(a.id))") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents with their capabilities.")
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
}

struct CapabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capability", abstract: "Declare what an agent can do.", subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            if command.isEmpty == (prompt == nil) { throw CLIError("give exactly one of --command TOKEN... or --prompt TEMPLATE") }
            let store = try global.openStore()
            defer { store.close() }
            let a = try store.agents.require(slug: agent)
            let c = try store.agents.addCapability(Capability(
                agentId: a.id, key: key, label: label, mode: prompt == nil ? .template : .prompt,
                commandTokens: command.isEmpty ? nil : command, promptTemplate: prompt, requiresApproval: requiresApproval,
                dangerLevel: danger, timeoutSec: timeout, maxOutputBytes: maxOutputBytes))
            if json { JSONOutput.print(JSONOutput.capability(c)) } else { Console.line("added capability \(a.slug):\(c.key) (id \(c.id))") }
        }
    }
}
