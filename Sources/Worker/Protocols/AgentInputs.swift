import Core

/// What the CLI and the dashboard ask before queuing an input: whether the run's agent can take it at all.
/// (Whether the run is still going is the database's answer, `InputRepository.enqueue`.)
public enum AgentInputs {
    /// Nil when `agent` takes `kind`; else the one-line reason, naming the run.
    public static func refusal(_ kind: ExecutionInput.Kind, agent: Agent, executionId: ID) -> String? {
        let proto = AgentProtocol.of(agent)
        switch proto {
        case .none:
            return "run #\(executionId)'s agent '\(agent.slug)' takes no input (its protocol is none; see 'agentmon agent edit \(agent.slug) --protocol')"
        case .streamJSON where !proto.takesInput(agent):
            return "run #\(executionId)'s agent '\(agent.slug)' does not read input (its arguments need --input-format stream-json)"
        default:
            return nil
        }
    }

    /// Messages larger than this are refused: an agent's turn, not a file transfer.
    public static let maxMessageBytes = 256 * 1024
}
