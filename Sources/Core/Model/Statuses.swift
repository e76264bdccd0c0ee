// Status vocabularies shared by storage, worker and dashboard. Raw values are the stored strings.

public enum TaskStatus: String, CaseIterable, Sendable, Codable, Comparable {
    case todo, inProgress = "in_progress", blocked, done, cancelled

    /// Board column order.
    public var columnIndex: Int { Self.allCases.firstIndex(of: self)! }
    public var title: String {
        switch self {
        case .todo: "Todo"
        case .inProgress: "In Progress"
        case .blocked: "Blocked"
        case .done: "Done"
        case .cancelled: "Cancelled"
        }
    }
    public static func < (a: Self, b: Self) -> Bool { a.columnIndex < b.columnIndex }

    /// Parses user input leniently ("in-progress", "In Progress", "inprogress").
    public init?(userInput: String) {
        let folded = userInput.lowercased().filter { $0.isLetter }
        guard let hit = Self.allCases.first(where: { $0.rawValue.filter(\.isLetter) == folded }) else { return nil }
        self = hit
    }
}

/// `queued → running → succeeded | failed | timed_out`, `queued | running → cancelling → cancelled`,
/// `queued → cancelled`. Anything else is refused by `canMove(to:)`.
public enum ExecutionStatus: String, CaseIterable, Sendable, Codable {
    case queued, running, cancelling, succeeded, failed, cancelled, timedOut = "timed_out"

    public var isTerminal: Bool { [.succeeded, .failed, .cancelled, .timedOut].contains(self) }
    public var isActive: Bool { self == .running || self == .cancelling }

    public static let transitions: [ExecutionStatus: Set<ExecutionStatus>] = [
        .queued: [.running, .cancelling, .cancelled],
        .running: [.succeeded, .failed, .timedOut, .cancelling],
        .cancelling: [.cancelled],
    ]

    public func canMove(to next: ExecutionStatus) -> Bool {
        Self.transitions[self, default: []].contains(next)
    }
}

public enum InteractionMode: String, CaseIterable, Sendable, Codable { case template, prompt }
/// Where a run works: in the working directory itself, or in its own git worktree on a branch named after its task.
public enum Isolation: String, CaseIterable, Sendable, Codable { case none, worktree }
public enum AgentKind: String, CaseIterable, Sendable, Codable { case builtin, custom }
public enum ToolType: String, CaseIterable, Sendable, Codable {
    case aiAgent = "ai-agent", cliTool = "cli-tool", daemon, shellUtil = "shell-util"
}
public enum DiscoveryMethod: String, CaseIterable, Sendable, Codable { case preset, pathScan = "path_scan", manual }
public enum CapabilitySource: String, CaseIterable, Sendable, Codable {
    case manual, builtin, preset, scanHelp = "scan_help", scanCompletion = "scan_completion",
         scanFig = "scan_fig", scanMcp = "scan_mcp", scanMan = "scan_man", llmGenerated = "llm_generated"
}
public enum ActorType: String, CaseIterable, Sendable, Codable { case user, agent, system }
public enum SessionStatus: String, CaseIterable, Sendable, Codable { case idle, running, completed, failed, stopped }
public enum MessageRole: String, CaseIterable, Sendable, Codable { case user, assistant, system, tool }
public enum MessageKind: String, CaseIterable, Sendable, Codable { case message, thought, action, observation }
public enum ToolCallStatus: String, CaseIterable, Sendable, Codable { case pending, success, error, denied }
