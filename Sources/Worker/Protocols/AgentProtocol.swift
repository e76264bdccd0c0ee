import Core
import Importers

/// How the worker talks to a running agent (DESIGN.md §3, "Agent protocols"): one type per protocol
/// behind this interface, chosen from the agent's configuration, so the run loop names no agent.
/// Today: `stream-json` (Claude Code's print mode, parsed into a live transcript) and plain argv runs.
enum AgentProtocol: String, CaseIterable, Sendable {
    case streamJSON = "stream-json"
    /// A plain program: its output is a log and nothing more.
    case none

    /// `session_config.bidirectionalProtocol` when it names one, else what the arguments say.
    static func of(_ agent: Agent) -> AgentProtocol {
        if let named = agent.sessionConfig?["bidirectionalProtocol"]?.stringValue, let p = AgentProtocol(rawValue: named) { return p }
        return ClaudeLiveTranscript.speaksStreamJSON(agent) ? .streamJSON : .none
    }

    /// The conversation with one run's program; nil when the protocol has none (or it cannot start: the
    /// run then goes on as a plain one, which `report` says).
    func start(execution: Execution, agent: Agent, connection: String,
               report: @escaping @Sendable (String) -> Void) -> AgentConversation? {
        switch self {
        case .streamJSON: StreamJSONConversation.start(connection: connection, execution: execution, agent: agent, report: report)
        case .none: nil
        }
    }
}

/// One run's conversation with its agent, fed from the worker's read loop.
protocol AgentConversation: AnyObject {
    /// The program's output as it arrives (the log takes the same bytes on its own).
    func received(_ bytes: ArraySlice<UInt8>)
    /// The program ended: everything it said is parsed and written before the run's end is recorded.
    func ended()
}
