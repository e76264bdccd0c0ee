import Foundation
import Core

public enum ScreenID: String, Sendable, CaseIterable {
    case board, agents, executions, logs, sessions
    /// A session's transcript, opened from the sessions screen (tab 5).
    case transcript
    /// The screens with a tab and a number key.
    public static let tabs: [ScreenID] = [.board, .agents, .executions, .logs, .sessions]
    public var title: String {
        switch self {
        case .board: "Board"
        case .agents: "Agents"
        case .executions: "Executions"
        case .logs: "Log"
        case .sessions: "Sessions"
        case .transcript: "Transcript"
        }
    }
    /// The tab a screen belongs to: a transcript is part of Sessions.
    public var tab: ScreenID { self == .transcript ? .sessions : self }
    public var number: Int { (Self.tabs.firstIndex(of: tab) ?? 0) + 1 }
}

/// Agents screen data.
public struct AgentRow: Sendable, Equatable {
    public var agent: Agent
    public var capabilities: [Capability]
    public var running: Int
    public init(agent: Agent, capabilities: [Capability], running: Int) {
        self.agent = agent; self.capabilities = capabilities; self.running = running
    }
}

/// What goes with an agent when it is removed (`agent remove --force` in the CLI).
public struct AgentRemoval: Sendable, Equatable {
    public var agentId: ID
    public var slug: String
    public var executions, running, sessions, capabilities, rules, assignedTasks: Int
    public init(agentId: ID, slug: String, executions: Int, running: Int, sessions: Int, capabilities: Int, rules: Int, assignedTasks: Int) {
        self.agentId = agentId; self.slug = slug; self.executions = executions; self.running = running; self.sessions = sessions
        self.capabilities = capabilities; self.rules = rules; self.assignedTasks = assignedTasks
    }

    /// The question's text: what would go and what stays.
    public var message: String {
        func n(_ c: Int, _ one: String, _ many: String) -> String { "\(c) \(c == 1 ? one : many)" }
        var goes = [n(capabilities, "capability", "capabilities"), n(executions, "execution (with its log)", "executions (with their logs)"),
                    n(sessions, "session (with its transcript)", "sessions (with their transcripts)")]
        if rules > 0 { goes.append(n(rules, "approval rule", "approval rules")) }
        return "Its " + goes.dropLast().joined(separator: ", ") + " and " + goes.last! + " go with it."
            + (assignedTasks > 0 ? " \(n(assignedTasks, "task stays", "tasks stay")) on the board, unassigned." : "")
    }
}

public struct AgentsModel: Sendable, Equatable {
    public var rows: [AgentRow] = []
    public var selected = 0
    public var offset = 0
    /// Focus in the capability list of the selected agent (nil: focus on the agent list).
    public var capabilitySelected: Int?
    public var loaded = false
    public init() {}
    public var selectedRow: AgentRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// Executions screen data.
public struct ExecutionsModel: Sendable, Equatable {
    public var rows: [ExecutionSummary] = []
    public var selected = 0
    public var offset = 0
    public var statusFilter: ExecutionStatus?
    public var loaded = false
    public init() {}
    public var selectedRow: ExecutionSummary? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// Sessions screen data.
public struct SessionsModel: Sendable, Equatable {
    public var rows: [SessionRow] = []
    public var selected = 0
    public var offset = 0
    public var loaded = false
    /// Narrows the list as typed (`/`): status, agent, title, goal or task. The loaded rows are narrowed at
    /// once; the database's answer (which also finds sessions older than the loaded ones) follows.
    public var filter = ""
    /// Sessions matching the filter in the database; more than `rows` when only the newest are loaded.
    public var total = 0
    public init() {}

    /// Sessions loaded per list: the newest.
    public static let limit = 1000

    /// The rows the filter lets through, in order.
    public var shown: [SessionRow] {
        guard !filter.isEmpty else { return rows }
        let q = filter.trimmingCharacters(in: .whitespaces).lowercased()
        let id = q.hasPrefix("#") ? Int64(q.dropFirst()) : nil  // "#12": that session, as the database reads it
        return rows.filter { r in
            r.session.id == id || [r.session.status.rawValue, r.agentSlug, r.session.title ?? "", r.session.userGoal ?? "",
                                   r.taskTitle ?? "", r.session.externalSessionId ?? ""].contains { $0.lowercased().contains(q) }
        }
    }
    public var selectedRow: SessionRow? { let s = shown; return s.indices.contains(selected) ? s[selected] : nil }
}

/// A list of sessions as loaded, for the filter it answers.
public struct SessionList: Sendable, Equatable {
    public var rows: [SessionRow]
    public var total: Int
    public var filter: String
    public init(rows: [SessionRow], total: Int, filter: String) { self.rows = rows; self.total = total; self.filter = filter }
}

/// A row of the sessions screen: the session with its agent, task and message count, as the repository lists it.
public typealias SessionRow = SessionListing

/// Choosing what to run on a task: a capability (the assignee's first), then its arguments.
public struct RunPicker: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var agentSlug: String
        public var capability: Capability
        public init(agentSlug: String, capability: Capability) { self.agentSlug = agentSlug; self.capability = capability }
    }
    public struct Argument: Sendable, Equatable {
        public var name: String
        public var required: Bool
        public var editor: LineEditor
    }
    public var taskId: ID
    public var taskTitle: String
    public var options: [Option] = []
    public var selected = 0
    /// Set once a capability is chosen: its arguments to fill.
    public var arguments: [Argument]?
    public var focus = 0
    public var error: String?
    public var loaded = false
    public init(taskId: ID, taskTitle: String) { self.taskId = taskId; self.taskTitle = taskTitle }
}

/// Task detail overlay data.
public struct TaskDetail: Sendable, Equatable {
    public var task: TaskItem
    public var dependencies: [TaskItem]
    public var dependents: [TaskItem]
    public var subtasks: [TaskItem]
    public var events: [TaskEvent]
    public var executions: [Execution]
    public var capabilityNames: [ID: String]
    /// Sessions linked to the task, their tokens and cost (set by the loader after init).
    public var cost = TaskCost()
    public init(task: TaskItem, dependencies: [TaskItem], dependents: [TaskItem], subtasks: [TaskItem], events: [TaskEvent],
                executions: [Execution], capabilityNames: [ID: String]) {
        self.task = task; self.dependencies = dependencies; self.dependents = dependents; self.subtasks = subtasks
        self.events = events; self.executions = executions; self.capabilityNames = capabilityNames
    }
}

/// A question that needs a yes before an effect runs.
public struct Confirmation: Sendable, Equatable {
    public var title: String
    public var message: String
    public var onYes: [Effect]
    public var yesLabel: String
    /// Overlays to close on yes: the dialog itself, and more (a form being discarded).
    public var popCount: Int
    public init(title: String, message: String, yesLabel: String = "yes", popCount: Int = 1, onYes: [Effect]) {
        self.title = title; self.message = message; self.onYes = onYes; self.yesLabel = yesLabel; self.popCount = popCount
    }
}

/// What floats over the screen and takes the keys first.
public enum Overlay: Sendable, Equatable {
    case help(offset: Int)
    case detail(taskId: ID, TaskDetail?, offset: Int)
    case confirm(Confirmation)
    case form(TaskForm)
    case commandLine(LineEditor)
    case filter(LineEditor)
    case capability(agentIndex: Int, capabilityIndex: Int)
    case runPicker(RunPicker)
    case logSearch(LineEditor)
    case inbox(selected: Int)
    /// Why a request is denied: the reason is recorded with the decision.
    case denyReason(item: InboxItem, LineEditor)
    /// `c` on an ended run: what to tell the agent when its session resumes (empty: the capability's prompt).
    case continuePrompt(executionId: ID, LineEditor)
    /// `s` on a running run: a message for its agent (a follow-up turn, or typed into its tmux pane).
    case messagePrompt(executionId: ID, LineEditor)
    /// `D` on the agents screen: what discovery found on PATH (nil while it looks).
    case discovery([DiscoveredAgent]?)
    /// `S`: full-text search over every session.
    case searchAll(SearchAllModel)
    /// `R` on a session, `e` in the capability popup: one field edited in place.
    case textPrompt(TextPrompt)
    /// `:settings`: every setting (nil while it loads).
    case settings([SettingRow]?, offset: Int)
    /// `v` on a card or a run: the diff of its worktree against its base.
    case diff(DiffModel)
}

public struct StatusMessage: Sendable, Equatable {
    /// `refused`: a key whose binding is disabled now, with why; shown even over a popup's hints, gone at the next key.
    /// `error` is shown over a popup's hints too, and gone at the next key there (on a screen, at the next key anyway).
    public enum Kind: Sendable { case info, error, refused }
    public var text: String
    public var kind: Kind
    public init(_ text: String, _ kind: Kind = .info) { self.text = text; self.kind = kind }
}

/// The whole UI state. `update` is the only thing that changes it.
public struct AppState: Sendable, Equatable {
    public var screen: ScreenID = .board
    public var board = BoardModel()
    public var agents = AgentsModel()
    public var executions = ExecutionsModel()
    public var log = LogModel()
    public var sessions = SessionsModel()
    /// Nil until first loaded (the strip then says so).
    public var usage: UsageStrip?
    public var transcript = TranscriptModel()
    /// The attention inbox, oldest first; its count is always in the status bar.
    public var inbox: [InboxItem] = []
    /// Answered permission requests, newest first (who decided: a person, or `rule #N`).
    public var inboxHistory: [InboxDecision] = []
    /// What notifications are on and what has been seen (new inbox items and ended runs are announced).
    public var notify = NotifyState()
    public var overlays: [Overlay] = []
    public var status: StatusMessage?
    /// While the database cannot be reached: what the status bar says until it is back.
    public var outage: String?
    public var themeName: String
    public var width = 80
    public var height = 24
    public var running = true
    public var now = Date()
    public var databaseName = ""
    /// This machine's name (set by the app): a run's tmux session can only be attached to on its host.
    public var hostName = ""
    /// Writes in flight; the title bar says "saving…" while > 0, once one has taken a moment (`savingShown`).
    public var pendingWrites = 0 {
        didSet { if pendingWrites == 0 { savingShown = false } }
    }
    /// A write is slow enough to say so: set by the tick that comes `savingDelayMs` after the last event while
    /// writes are pending. A write that ends before (most do, in a few ms) changes nothing on screen.
    public var savingShown = false
    public static let savingDelayMs = 150
    /// Set by Ctrl-L: the next frame repaints the whole terminal.
    public var fullRedraw = false

    public init(themeName: String = "default") { self.themeName = themeName }

    public var topOverlay: Overlay? { overlays.last }
    /// How long the loop may sleep: every second while something on screen shows a time relative to now
    /// (a run's elapsed time, "3s ago" in the executions, sessions, inbox and task detail), else 30 s (the
    /// board's due dates change at midnight); sooner while a write is pending, to say "saving…" in time. A
    /// tick re-renders from memory, never asks the database, and writes no byte unless a visible label changed.
    public var tickIntervalMs: Int {
        if pendingWrites > 0 && !savingShown { return Self.savingDelayMs }
        return showsRelativeTimes ? 1000 : 30_000
    }

    public var showsRelativeTimes: Bool {
        switch topOverlay {
        case .inbox?, .detail?: return true
        default: break
        }
        switch screen {
        case .executions: return !executions.rows.isEmpty
        case .sessions: return !sessions.rows.isEmpty
        default: return false
        }
    }

    /// Pending tool-call confirmations (an agent waits for a person) and queued runs waiting for approval.
    public var inboxCounts: (needInput: Int, waitingApproval: Int) {
        inbox.reduce(into: (0, 0)) { if $1.kind == .confirm { $0.0 += 1 } else { $0.1 += 1 } }
    }

    /// Rows the board columns can use for cards (screen minus title, status bar and borders).
    public var boardRows: Int { max(1, height - 4) }
}
