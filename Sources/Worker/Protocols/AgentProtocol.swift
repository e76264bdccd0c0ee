import Core
import Storage
import Importers

/// How the worker talks to a running agent (DESIGN.md §3, "Agent protocols"): one type per protocol
/// behind `AgentConversation`, chosen from the agent's `session_config.bidirectionalProtocol`, so the run
/// loop names no agent.
/// - `stream-json`: Claude Code's print mode; output parsed into a live transcript and, when the agent reads
///   `--input-format stream-json`, the prompt, messages, interrupts and permission answers written to stdin.
/// - `app-server`: Codex's JSON-RPC over stdio (`codex app-server`).
/// - `tmux`: any interactive program, hosted in a detached tmux session (typed into, attachable).
/// - `none`: a plain program; its output is a log and it takes no input.
enum AgentProtocol: String, CaseIterable, Sendable {
    case streamJSON = "stream-json"
    case appServer = "app-server"
    case tmux
    case none

    /// `session_config.bidirectionalProtocol` when it names one, else what the arguments say (AgentInputs).
    static func of(_ agent: Agent) -> AgentProtocol {
        AgentProtocol(rawValue: AgentInputs.protocolName(agent).rawValue) ?? .none
    }

    /// Whether the program's stdin is a pipe the worker writes (else /dev/null, or a tmux pane).
    func takesInput(_ agent: Agent) -> Bool {
        switch self {
        case .streamJSON: AgentInputs.readsStreamJSON(agent)
        case .appServer: true
        case .tmux, .none: false
        }
    }

    /// Whether the prompt goes on the command line; protocols that read stdin get it as their first message.
    func promptInArgv(_ agent: Agent) -> Bool { !takesInput(agent) }

    /// The conversation with one run's program; nil when the protocol has none (or it cannot start: the
    /// run then goes on as a plain one, which `report` says). Not used for `tmux`: the run loop hosts the
    /// program in a session and talks to it through `TmuxConversation` (Worker/Tmux).
    func start(_ context: ConversationContext) -> AgentConversation? {
        switch self {
        case .streamJSON: StreamJSONConversation.start(context)
        case .appServer: AppServerConversation.start(context)
        case .tmux, .none: nil
        }
    }
}

/// What a conversation is started with.
struct ConversationContext {
    let connection: String
    let execution: Execution
    let agent: Agent
    /// The program's stdin, when `takesInput`.
    let input: AgentInput?
    let report: @Sendable (String) -> Void
}

/// How an input ended at the agent.
enum InputOutcome: Equatable {
    case delivered
    /// Not delivered, with the reason (recorded on the input, shown to whoever sent it).
    case refused(String)
}

/// A permission request's decision as the run loop hands it to the conversation.
struct PermissionAnswer {
    let toolCall: ToolCall
    /// What the agent sent with the request (its request id, tool_use_id, suggestions).
    let details: JSONValue?
    let allow: Bool
    let reason: String?
}

/// One run's conversation with its agent: output in from the worker's read loop, inputs out to the agent.
protocol AgentConversation: AnyObject {
    /// The program is started: a protocol that speaks first (the prompt as a message, a handshake) does so.
    func started()
    /// The program's output as it arrives (the log takes the same bytes on its own).
    func received(_ bytes: ArraySlice<UInt8>)
    /// A message or an interrupt from a person, in the agent's own format.
    func deliver(_ input: ExecutionInput) -> InputOutcome
    /// A person's decision on a permission request, in the agent's own format.
    func answer(_ answer: PermissionAnswer) -> InputOutcome
    /// The program ended: everything it said is parsed and written before the run's end is recorded.
    func ended()
    /// Read after `ended`, for a program that exited 0: what the agent said of the run, when that is not
    /// success (a protocol whose server reports a failed turn and then exits normally).
    var verdict: ConversationVerdict? { get }
}

extension AgentConversation {
    var verdict: ConversationVerdict? { nil }
}

/// A conversation's own account of how the run went, when the exit code does not tell it.
struct ConversationVerdict: Equatable, Sendable {
    let status: ExecutionStatus
    let reason: String
}
