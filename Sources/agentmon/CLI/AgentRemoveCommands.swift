import Foundation
import ArgumentParser
import Core
import Storage

extension AgentCommand {
    /// `agent enable` / `agent disable`: whether workers run it.
    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Let workers run an agent again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Agent slug.") var slug: String
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try AgentCommand.setActive(global, slug, true, json: json) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Stop workers from starting an agent (running executions go on).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Agent slug.") var slug: String
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try AgentCommand.setActive(global, slug, false, json: json) }
    }

    static func setActive(_ global: GlobalOptions, _ slug: String, _ on: Bool, json: Bool) throws {
        let store = try global.openStore()
        defer { store.close() }
        let a = try store.agents.require(slug: slug)
        try store.agents.setActive(a.id, on)
        let updated = try store.agents.get(a.id)
        if json { JSONOutput.print(JSONOutput.agent(updated)) } else { Console.line("\(on ? "enabled" : "disabled") agent \(updated.slug)") }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an agent with its capabilities and approval rules.",
            discussion: """
                An agent with executions or sessions is removed only with --force, which deletes them too (with the \
                executions' logs and the sessions' messages and tool calls). Tasks assigned to it stay, unassigned. \
                An agent with a running execution is never removed: cancel the run first.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Agent slug.") var slug: String
        @Flag(help: "Remove it even when executions or sessions point at it.") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let a = try store.agents.require(slug: slug)
            let d = try store.agents.removalCounts(of: a.id)
            let name = "agent '\(a.slug)'"
            if d.running > 0 { throw CLIError("\(name) has \(Count.of(d.running, "running execution")): cancel them before removing it") }
            if !force, d.executions + d.sessions > 0 {
                let has = [d.executions > 0 ? Count.of(d.executions, "execution") : nil,
                           d.sessions > 0 ? Count.of(d.sessions, "session") : nil].compactMap { $0 }
                throw CLIError("\(name) has \(Count.list(has)); --force removes them too")
            }
            try store.agents.delete(a.id, withExecutions: force)
            if json {
                JSONOutput.print(.object(["id": JSONOutput.id(a.id), "slug": .string(a.slug), "deleted": .bool(true),
                                          "executions": JSONOutput.int(d.executions), "sessions": JSONOutput.int(d.sessions),
                                          "capabilities": JSONOutput.int(d.capabilities), "rules": JSONOutput.int(d.rules),
                                          "tasks_unassigned": JSONOutput.int(d.assignedTasks)]))
                return
            }
            var with = d.capabilities > 0 ? [Count.of(d.capabilities, "capability", "capabilities")] : []
            if d.executions > 0 { with.append(Count.of(d.executions, "execution")) }
            if d.sessions > 0 { with.append(Count.of(d.sessions, "session")) }
            if d.rules > 0 { with.append(Count.of(d.rules, "rule")) }
            Console.line("removed agent \(a.slug)" + (with.isEmpty ? "" : " with \(Count.list(with))")
                         + (d.assignedTasks > 0 ? "; \(Count.of(d.assignedTasks, "task")) unassigned" : ""))
        }
    }
}

extension CapabilityCommand {
    static func find(_ store: Store, _ ref: String) throws -> (Agent, Capability) {
        let (slug, key) = try RunCommand.capabilityRef(ref)
        return try store.agents.capability(slug: slug, key: key)
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a capability's fields.",
            discussion: "Only the options given change. An empty --description clears it; --prompt is for a prompt capability.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "AGENT:KEY, e.g. git:log.") var capability: String
        @Option(help: "Label.") var label: String?
        @Option(help: "Description (\"\" clears it).") var description: String?
        @Option(help: "Prompt template (prompt mode).") var prompt: String?
        @Option(help: "on or off: executions need a person's approval.") var requiresApproval: String?
        @Option(parsing: .unconditional, help: "0 safe, 1 caution, 2 dangerous, 3 destructive.",
                transform: { try NumberArgument.int($0, "--danger", 0...3) })
        var danger: Int?
        @Option(parsing: .unconditional, help: "Timeout in seconds.", transform: { try NumberArgument.int($0, "--timeout", 1...Int.max) })
        var timeout: Int?
        @Option(parsing: .unconditional, help: "Output kept per execution, in bytes.",
                transform: { try NumberArgument.int64($0, "--max-output-bytes", atLeast: 1) })
        var maxOutputBytes: Int64?
        @Option(help: "worktree: each run works in its task's own git worktree; none: in the working directory.") var isolation: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let isolation, Isolation(rawValue: isolation) == nil { throw CLIError("--isolation must be worktree or none") }
            if let requiresApproval, !["on", "off"].contains(requiresApproval) { throw CLIError("--requires-approval must be on or off") }
            if let label, label.isEmpty { throw CLIError("--label must not be empty") }
            if let prompt, prompt.isEmpty { throw CLIError("--prompt must not be empty") }
        }

        func run() throws {
            if label == nil, description == nil, prompt == nil, requiresApproval == nil, danger == nil, timeout == nil, maxOutputBytes == nil,
               isolation == nil {
                throw CLIError("nothing to change: give at least one option (see agentmon capability edit --help)")
            }
            let store = try global.openStore()
            defer { store.close() }
            var (a, c) = try CapabilityCommand.find(store, capability)
            if prompt != nil, c.mode != .prompt {
                throw CLIError("capability \(a.slug):\(Printable.cell(c.key)) runs command tokens; --prompt is for a prompt capability")
            }
            if let label { c.label = label }
            if let description { c.description = description.isEmpty ? nil : description }
            if let prompt { c.promptTemplate = prompt }
            if let requiresApproval { c.requiresApproval = requiresApproval == "on" }
            if let danger { c.dangerLevel = danger }
            if let timeout { c.timeoutSec = timeout }
            if let maxOutputBytes { c.maxOutputBytes = maxOutputBytes }
            if let isolation { c.isolation = Isolation(rawValue: isolation) ?? c.isolation }
            let updated = try store.agents.updateCapability(c)
            if json { JSONOutput.print(JSONOutput.capability(updated)) } else { Console.line("updated capability \(a.slug):\(updated.key)") }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Let workers run a capability again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "AGENT:KEY, e.g. git:log.") var capability: String
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try CapabilityCommand.setEnabled(global, capability, true, json: json) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Stop workers from starting a capability (queued runs wait).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "AGENT:KEY, e.g. git:log.") var capability: String
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try CapabilityCommand.setEnabled(global, capability, false, json: json) }
    }

    static func setEnabled(_ global: GlobalOptions, _ ref: String, _ on: Bool, json: Bool) throws {
        let store = try global.openStore()
        defer { store.close() }
        let (a, c) = try find(store, ref)
        try store.agents.setCapabilityEnabled(agentId: a.id, key: c.key, on)
        let updated = try store.agents.capability(c.id)
        if json { JSONOutput.print(JSONOutput.capability(updated)) } else { Console.line("\(on ? "enabled" : "disabled") capability \(a.slug):\(c.key)") }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a capability.",
            discussion: """
                A capability with executions is removed only with --force, which deletes them too (with their logs). \
                One with a running execution is never removed: cancel the run first.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "AGENT:KEY, e.g. git:log.") var capability: String
        @Flag(help: "Remove it even when executions point at it.") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let (a, c) = try CapabilityCommand.find(store, capability)
            let e = try store.agents.capabilityExecutions(c.id)
            let name = "capability '\(a.slug):\(c.key)'"
            if e.running > 0 { throw CLIError("\(name) has \(Count.of(e.running, "running execution")): cancel them before removing it") }
            if !force, e.all > 0 { throw CLIError("\(name) has \(Count.of(e.all, "execution")); --force removes them too") }
            try store.agents.deleteCapability(c.id, withExecutions: force)
            if json {
                JSONOutput.print(.object(["id": JSONOutput.id(c.id), "agent": .string(a.slug), "key": .string(c.key), "deleted": .bool(true),
                                          "executions": JSONOutput.int(e.all)]))
            } else {
                Console.line("removed capability \(a.slug):\(c.key)" + (e.all > 0 ? " with \(Count.of(e.all, "execution"))" : ""))
            }
        }
    }
}
