import Foundation
import ArgumentParser

struct Agentmon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentmon",
        abstract: "A terminal dashboard for AI coding agents and CLI tools: tasks, agents, executions, logs, transcripts.",
        subcommands: [DBCommand.self, DemoCommand.self, TaskCommand.self, AgentCommand.self, CapabilityCommand.self])

    @OptionGroup var global: GlobalOptions

    func run() throws {
        // The dashboard arrives with the dashboard issue; until then the board is printed.
        try TaskCommand.List.printTasks(try global.openStore().tasks.list(), json: false)
    }
}
