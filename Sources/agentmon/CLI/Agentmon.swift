import Foundation
import ArgumentParser
import Storage
import Dashboard

struct Agentmon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentmon",
        abstract: "A terminal dashboard for AI coding agents and CLI tools: tasks, agents, executions, logs, transcripts.",
        discussion: "Without a subcommand, opens the dashboard on the configured database.",
        subcommands: [DBCommand.self, DemoCommand.self, TaskCommand.self, AgentCommand.self, CapabilityCommand.self, RunCommand.self, ExecCommand.self, WorkerCommand.self, SessionCommand.self, InboxCommand.self, RuleCommand.self, DiscoverCommand.self, CostCommand.self, ImportCommand.self, MessageCommand.self, SettingsCommand.self, SearchCommand.self, MCPCommand.self, SyncCommand.self, WorktreeCommand.self])

    @OptionGroup var global: GlobalOptions
    @OptionGroup var display: DisplayOptions

    func run() throws {
        let store = try global.openStore()  // validates and migrates before the screen is taken
        let name = store.db.displayName
        store.close()
        try display.openDashboard(connection: global.connection, databaseName: name)
    }
}

/// Options of the full-screen dashboard.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Theme name (bundled: default, light, high-contrast, solarized-dark) or a .toml path.")
    var theme: String?

    func openDashboard(connection: String, databaseName: String) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CLIError("the dashboard needs a terminal (stdin and stdout must be a tty); use a subcommand such as 'agentmon task list' in scripts")
        }
        let app = DashboardApp(options: .init(connection: connection, databaseName: databaseName, theme: theme))
        try app.run()
        if !app.unwritten.isEmpty {
            throw CLIError("the database was unreachable; not written: " + app.unwritten.joined(separator: "; "))
        }
    }
}
