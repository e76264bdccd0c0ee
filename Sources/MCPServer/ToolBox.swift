import Foundation
import Core
import Storage

/// The eight tools of `agentmon mcp` over one open store. Reads need nothing more; every change is written
/// with actor type `agent` and the run's agent as actor (MCPActor), through the same repository calls as the
/// CLI, so the same rules hold (cycles refused, columns locked, one event per change).
public final class ToolBox {
    let store: Store
    let actor: MCPActor
    public let definitions = AgentmonTools.all

    public init(store: Store, actor: MCPActor) {
        self.store = store; self.actor = actor
    }

    /// Runs a tool whose name is known; every failure is a tool result the model can read, never a throw.
    func call(_ name: String, _ raw: JSONValue) -> ToolResult {
        guard let def = definitions.first(where: { $0.name == name }) else { return .failure("unknown tool: \(name)") }
        do {
            let args = try def.check(raw)
            let who = def.writes ? try actor.resolve(store) : nil
            return .ok(try AgentmonTools.run(name, args, store: store, actor: who))
        } catch {
            return .failure(String(describing: error))
        }
    }
}

/// Who the changes are by. The worker sets `AGENTMON_EXECUTION_ID` in a run's environment, and the server
/// records the agent of that execution; outside a run, `--agent SLUG` names one. With neither, reading tools
/// work and changing ones fail with a message saying so: a change by nobody in particular would be an
/// `agent` event without an agent, which the audit trail should never hold.
public struct MCPActor: Sendable {
    public var executionId: ID?
    public var agentSlug: String?
    public init(executionId: ID?, agentSlug: String?) { self.executionId = executionId; self.agentSlug = agentSlug }

    func resolve(_ store: Store) throws -> Actor {
        if let executionId {
            let e: Execution
            do { e = try store.executions.get(executionId) } catch StorageError.notFound {
                throw ToolError("AGENTMON_EXECUTION_ID=\(executionId) names no execution in this database")
            }
            return Actor(.agent, id: try store.agents.get(e.agentId).slug)
        }
        if let agentSlug { return Actor(.agent, id: try store.agents.require(slug: agentSlug).slug) }
        throw ToolError("this tool changes the board, and no agent is known to record it as: a worker's run sets AGENTMON_EXECUTION_ID; outside a run, start the server with 'agentmon mcp --agent SLUG'")
    }
}
