/// How an agent is talked to (`session_config.bidirectionalProtocol`), and whether it can take a person's
/// input: one answer for the worker (which speaks the protocol), the CLI and the dashboard (which refuse
/// an input the agent cannot take before it is queued). Whether the run is still going is the database's
/// answer (`InputRepository.enqueue`).
public enum AgentInputs {
    public enum ProtocolName: String, CaseIterable, Sendable {
        case streamJSON = "stream-json", appServer = "app-server", tmux, none
    }

    /// The named protocol when it is a known one, else stream-json when the arguments ask Claude for it.
    public static func protocolName(_ agent: Agent) -> ProtocolName {
        if let named = agent.sessionConfig?["bidirectionalProtocol"]?.stringValue, let p = ProtocolName(rawValue: named) { return p }
        return hasFlag(agent.baseArgs, "--output-format", "stream-json") ? .streamJSON : .none
    }

    /// Whether Claude is told to read stream-json on stdin (else its stdin is /dev/null and it takes no input).
    public static func readsStreamJSON(_ agent: Agent) -> Bool { hasFlag(agent.baseArgs, "--input-format", "stream-json") }

    /// `--flag value` or `--flag=value` among `args`.
    static func hasFlag(_ args: [String], _ flag: String, _ value: String) -> Bool {
        args.contains("\(flag)=\(value)") || zip(args, args.dropFirst()).contains { $0 == flag && $1 == value }
    }

    /// Nil when `agent` can take input; else the one-line reason, naming the run.
    public static func refusal(agent: Agent, executionId: ID) -> String? {
        switch protocolName(agent) {
        case .none:
            return "run #\(executionId)'s agent '\(agent.slug)' takes no input (its protocol is none; see 'agentmon agent edit \(agent.slug) --protocol')"
        case .streamJSON where !readsStreamJSON(agent):
            return "run #\(executionId)'s agent '\(agent.slug)' does not read input (its arguments need --input-format stream-json)"
        default:
            return nil
        }
    }

    /// Messages larger than this are refused: an agent's turn, not a file transfer.
    public static let maxMessageBytes = 256 * 1024
}
