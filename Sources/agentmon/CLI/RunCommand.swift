import Foundation
import ArgumentParser
import Core
import Storage
import Worker

/// `agentmon run`: queues one execution of an agent's capability on a task; a worker picks it up.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Queue an execution of an agent's capability on a task and print its id.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Task id.") var task: String
    @Option(help: "AGENT:KEY, e.g. git:log.") var capability: String
    @Option(name: .customLong("arg"), help: "A value for a placeholder, KEY=VALUE (repeatable); the value is one argument, whatever it holds.")
    var args: [String] = []
    @Option(parsing: .unconditional, help: "Attempts after a failure, each a new execution.",
            transform: { try NumberArgument.int($0, "--max-retries", 0...Int.max) })
    var maxRetries: Int = 0
    @Flag(help: "Print the execution as JSON.") var json = false

    func run() throws {
        let taskId = try TaskCommand.id(task)
        let (slug, key) = try Self.capabilityRef(capability)
        let values = try Self.keyValues(args)
        if maxRetries < 0 { throw CLIError("--max-retries must be 0 or more") }
        let store = try global.openStore()
        defer { store.close() }
        let t = try store.tasks.get(taskId)
        let agent = try store.agents.require(slug: slug)
        guard let cap = try store.agents.capability(agentId: agent.id, key: key) else {
            throw CLIError("agent '\(Printable.cell(slug))' has no capability '\(Printable.cell(key))'")
        }
        let (withDefaults, missing) = ArgsSchema.forRun(cap, values: values, task: t)
        if !missing.isEmpty {
            throw CLIError("capability \(slug):\(key) needs " + missing.map { "--arg \(Printable.cell($0))=VALUE" }.joined(separator: ", "))
        }
        let e = try store.executions.queue(.init(taskId: taskId, capabilityId: cap.id, args: withDefaults, maxRetries: maxRetries))
        if json { JSONOutput.print(ExecJSON.execution(e)) } else { Console.line(String(e.id)) }
    }

    static func capabilityRef(_ s: String) throws -> (String, String) {
        let parts = s.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CLIError("--capability '\(Printable.cell(s))' is not AGENT:KEY (e.g. git:log)")
        }
        return (String(parts[0]), String(parts[1]))
    }

    static func keyValues(_ items: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw CLIError("--arg '\(Printable.cell(item))' is not KEY=VALUE")
            }
            out[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return out
    }
}
