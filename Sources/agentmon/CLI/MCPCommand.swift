import Foundation
import ArgumentParser
import Core
import Storage
import MCPServer

/// `agentmon mcp`: agentmon's MCP server on stdin/stdout, for an agent's CLI to start. A worker starts
/// runs of an agent with MCP on (`agent edit SLUG --mcp on`) with a configuration that names this command
/// and sets `AGENTMON_EXECUTION_ID` and `AGENTMON_DB` (Worker/MCPLaunchConfig.swift).
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve agentmon's tools to an agent over MCP (JSON-RPC on stdin and stdout).",
        discussion: """
            Tools: list_tasks, get_task, update_task_status, add_subtask, add_comment, add_dependency, list_agents, \
            queue_run. Changes are recorded with actor type agent: the agent of the execution in $AGENTMON_EXECUTION_ID \
            (set by the worker for a run), else the agent given with --agent; with neither, only the reading tools work. \
            The database: --db, else $AGENTMON_DB (set by the worker), else the usual default.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Record changes as made by this agent (when not started by a worker's run).") var agent: String?

    static let executionVariable = "AGENTMON_EXECUTION_ID"
    static let databaseVariable = "AGENTMON_DB"

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var executionId: ID?
        if let raw = env[Self.executionVariable], !raw.isEmpty {
            guard let id = ID(raw), id > 0 else {
                throw CLIError("\(Self.executionVariable) '\(Printable.cell(raw))' is not an execution id (a positive number)")
            }
            executionId = id
        }
        let connection = try ConnectionString.resolve(flag: global.db ?? env[Self.databaseVariable].flatMap { $0.isEmpty ? nil : $0 })
        let store = try Store.open(connection)
        defer { store.close() }
        if let agent { _ = try store.agents.require(slug: agent) }  // a wrong --agent is refused at start, not at the first change
        let session = MCPSession(tools: ToolBox(store: store, actor: MCPActor(executionId: executionId, agentSlug: agent)),
                                 version: "1.0")
        StdioTransport.serve(session)
    }
}
