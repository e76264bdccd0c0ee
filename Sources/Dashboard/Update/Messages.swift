import Foundation
import Core
import Render

/// Everything that can happen to the app: keys, time, and results coming back from the database thread.
public enum Msg: Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    case tick(Date)
    case boardLoaded(BoardSnapshot)
    case agentsLoaded([AgentRow])
    /// The answer to `Effect.loadAgentRemoval`: what would go with the agent, for the question `d` asks.
    case agentRemovalLoaded(AgentRemoval)
    /// The answer to `Effect.loadCapabilityRemoval`: what would go with the capability.
    case capabilityRemovalLoaded(CapabilityRemoval)
    /// The answer to `Effect.loadSettings`: every setting, or only `only` (`:get KEY`).
    case settingsLoaded([SettingRow], only: String?)
    case executionsLoaded([ExecutionSummary], filter: ExecutionStatus?)
    case runChoicesLoaded(taskId: ID, [RunPicker.Option])
    case logLoaded(LogPage)
    case sessionsLoaded(SessionList)
    case usageLoaded(UsageStrip)
    case transcriptLoaded(TranscriptLoad)
    case subTranscriptLoaded(ID, SubTranscript)
    /// The inbox; `links` names the run and task of each confirmation's session (by tool-call id), when known.
    case inboxLoaded([InboxItem], links: [ID: InboxLink] = [:])
    /// The latest answered permission requests, shown under the inbox's items.
    case inboxHistoryLoaded([InboxDecision])
    /// What discovery found on PATH.
    case discovered([DiscoveredAgent])
    /// The answer to `Effect.searchAll`: the hits for `query`, or why it could not be searched.
    /// `complete`: false while imported rows still wait for the search index (migration 019).
    case searchLoaded(query: String, Result<[SearchHit], SearchFailure>, complete: Bool = true)
    /// The answer to `Effect.loadDiff`: the run's diff, or why there is none (one line).
    case diffLoaded(taskId: ID?, executionId: ID?, DiffLoad?, error: String?)
    /// The answer to `Effect.watchRuns`.
    case runsWatched(RunWatch)
    /// The `[notify] command` failed (not found, non-zero exit, timed out): one line for the status bar.
    case notifyFailed(String)
    /// The background sync of the agents' own sessions failed (the database): one line for the status bar.
    case syncFailed(String)
    case detailLoaded(TaskDetail)
    case written(String?)
    case writeFailed(String)
    case loadFailed(String)
    /// Another process changed the database.
    case dataChanged
    /// The database went away (with why, and how many of the user's changes wait to be written) or came back.
    case databaseUnreachable(String, waitingWrites: Int)
    case databaseReachable
    /// The board column scroll offsets the last frame settled on.
    case columnOffsets([Int])
    /// A theme the app loaded after `loadTheme`: its name, and why it fell back when it did.
    case themeLoaded(name: String, warning: String?)
    /// The user is back from a run's tmux session; why the attach failed, when it did.
    case attachEnded(ID, error: String?)
    /// The run's agent session, nil when the run has none (a plain program's output is its log).
    case runTranscriptFound(ID, sessionId: ID?)
}

/// A board as loaded: per column its window, total and the request it answers.
public struct BoardSnapshot: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var status: TaskStatus
        public var cards: [CardInfo]
        public var windowStart: Int
        public var total: Int
        /// Where the selection should be after this load (absolute), when the request asked to keep one.
        public var selectIndex: Int?
        public init(status: TaskStatus, cards: [CardInfo], windowStart: Int, total: Int, selectIndex: Int?) {
            self.status = status; self.cards = cards; self.windowStart = windowStart; self.total = total
            self.selectIndex = selectIndex
        }
    }
    public var columns: [Column]
    public var filter: String
    public init(columns: [Column], filter: String) { self.columns = columns; self.filter = filter }
}

/// Work for the database thread. Results come back as `Msg`s; a slow database never blocks a key.
public enum Effect: Sendable, Equatable {
    case loadBoard(anchors: [TaskStatus: WindowAnchor], filter: String)
    case loadAgents
    case loadDetail(ID)
    case moveTask(ID, to: TaskStatus, position: Int)
    case createTask(NewTaskInput)
    case updateTask(ID, NewTaskInput)
    case deleteTask(ID)
    case setAgentActive(ID, Bool)
    /// Counts what goes with an agent, then asks (`Msg.agentRemovalLoaded`).
    case loadAgentRemoval(ID)
    /// Removes an agent with its executions, sessions, capabilities and rules (its tasks stay, unassigned).
    case removeAgent(ID, slug: String)
    /// Deletes a session with its messages, tool calls and sub-agent sessions (asked first).
    case deleteSession(ID)
    case renameSession(ID, title: String)
    /// Marks a session completed (`session close`).
    case closeSession(ID)
    /// Deletes one message of a transcript (asked first).
    case deleteMessage(ID)
    /// Lets workers start the capability, or stops them (queued runs wait).
    case setCapabilityEnabled(ID, agentId: ID, key: String, Bool)
    case setCapabilityLabel(ID, label: String)
    /// Counts what goes with a capability, then asks (`Msg.capabilityRemovalLoaded`).
    case loadCapabilityRemoval(ID)
    /// Removes a capability with its executions (asked first; refused while one runs).
    case removeCapability(ID, name: String)
    case loadSettings(only: String?)
    /// Sets a setting; the value is read as JSON, anything else is stored as a string (as `settings set`).
    case setSetting(key: String, value: String)
    case loadExecutions(status: ExecutionStatus?)
    case loadRunChoices(taskId: ID)
    case queueRun(taskId: ID, capabilityId: ID, args: [String: String])
    case cancelExecution(ID)
    case retryExecution(ID)
    case approveExecution(ID)
    /// Opens (or moves within) an execution's log; the data thread keeps following it until `closeLog`.
    case loadLog(ID, anchor: LogAnchor, rows: Int, search: LogSearchRequest?)
    case closeLog
    /// The newest sessions matching the filter (all when empty).
    case loadSessions(filter: String)
    /// Today's cost, the active 5-hour block and the last 14 days, for the sessions screen's strip.
    case loadUsage
    /// A window of a session's transcript (its header too).
    case loadTranscript(ID, anchor: TranscriptAnchor)
    /// Finds the agent session of a run (answered by `runTranscriptFound`).
    case findRunTranscript(ID)
    /// The first entries of a sub-agent's transcript, shown under the call that started it.
    case loadSubTranscript(ID)
    case loadInbox
    /// Full-text search over every session (`SearchQuery`), newest first.
    case searchAll(String, limit: Int)
    case decideToolCall(ID, approve: Bool, reason: String?)
    case denyExecution(ID, reason: String)
    case quit
    /// Queues a continuation of an ended run; an empty prompt means the capability's prompt.
    case continueExecution(ID, prompt: String)
    /// Queues a message or an interrupt for a running (or queued) run; its worker delivers it.
    case sendInput(ID, ExecutionInput.Kind, body: String)
    /// Looks for known agents and tools on PATH (answered by `discovered`).
    case discover
    /// Registers what discovery finds that is not yet an agent; updates the version of what is.
    case registerDiscovered
    /// Gives the terminal to the run's tmux session until the user detaches (performed by the app, which
    /// answers with `attachEnded`).
    case attach(ID, session: String)
    /// The diff of a worktree run against its base: the task's newest worktree run, or the given run.
    case loadDiff(taskId: ID?, executionId: ID?)
    /// `git merge` of the task's worktree branch into its base branch (`task merge`); git's refusal is the error.
    case mergeTask(ID)
    /// Loads a theme by name (performed by the app on its own thread, which answers with `themeLoaded`).
    case loadTheme(String)
    /// Loads the runs not yet over, the newest runs and the given (watched) runs, answered by `runsWatched`.
    case watchRuns([ID])
    /// Rings the terminal bell (performed by the app, after the frame).
    case bell
    /// Tells the user about an event: the `[notify] command` and/or a desktop notification (performed by the app).
    case notify(NotifyEvent)
}

/// Form values on their way to the repositories (validated by them).
public struct NewTaskInput: Sendable, Equatable {
    public var title: String
    public var description: String?
    public var status: TaskStatus
    public var priority: Int
    public var assigneeSlug: String?
    public var due: Date?
    /// `AGENT:KEY` to run by itself when the dependencies are done, "" to clear it; nil: left as it is.
    public var autoRun: String?
    public init(title: String, description: String?, status: TaskStatus, priority: Int, assigneeSlug: String?, due: Date?,
                autoRun: String? = nil) {
        self.title = title; self.description = description; self.status = status; self.priority = priority
        self.assigneeSlug = assigneeSlug; self.due = due; self.autoRun = autoRun
    }
}

public struct LogSearchRequest: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case text(String), errorLine }
    public var kind: Kind
    public var from: Int64
    public var forward: Bool
    public init(_ kind: Kind, from: Int64, forward: Bool) { self.kind = kind; self.from = from; self.forward = forward }
}

/// Why a search gave no hits: one line.
public struct SearchFailure: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
