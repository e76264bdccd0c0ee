import Foundation
import Core
import Render

/// Everything a key can do. Raw values are the names used in keys files.
public enum Action: String, CaseIterable, Sendable {
    case quit, help, command, filter, back, redraw
    case screenBoard = "screen_board", screenAgents = "screen_agents", screenExecutions = "screen_executions"
    case screenLogs = "screen_logs", screenSessions = "screen_sessions"
    case up, down, left, right, top, bottom
    case pageUp = "page_up", pageDown = "page_down"
    case moveLeft = "move_left", moveRight = "move_right", moveUp = "move_up", moveDown = "move_down"
    case open, new, edit, delete
    case toggleActive = "toggle_active"
    case nextMatch = "next_match", previousMatch = "previous_match"
    case queueRun = "queue_run", cancelRun = "cancel_run", retryRun = "retry_run", approveRun = "approve_run"
    case statusFilter = "status_filter"
    case followToggle = "follow_toggle", wrapToggle = "wrap_toggle", timestampsToggle = "timestamps_toggle"
    case nextError = "next_error", previousError = "previous_error", search
    case inbox
    case toggleFold = "toggle_fold", foldAll = "fold_all", unfoldAll = "unfold_all"
    case nextToolCall = "next_tool_call", previousToolCall = "previous_tool_call"
    case continueRun = "continue_run"
}

/// One binding: keys, what they do, where, and the words shown in the help overlay and status bar.
public struct Binding: Sendable, Equatable {
    public var action: Action
    public var keys: [Key]
    public var description: String
    /// nil: everywhere.
    public var screens: Set<ScreenID>?
    public var group: String
    /// Shown as a hint in the status bar.
    public var hint: String?

    public init(_ action: Action, _ keys: [Key], _ description: String, screens: Set<ScreenID>? = nil, group: String,
                hint: String? = nil) {
        self.action = action; self.keys = keys; self.description = description; self.screens = screens
        self.group = group; self.hint = hint
    }

    public func applies(to screen: ScreenID) -> Bool { screens?.contains(screen) ?? true }
}

/// Key bindings as data: the same table dispatches keys, draws the help overlay and the status bar hints,
/// and is what a keys file remaps.
public struct KeyMap: Sendable, Equatable {
    public var bindings: [Binding]

    public init(bindings: [Binding] = KeyMap.defaults) { self.bindings = bindings }

    public func action(for key: Key, on screen: ScreenID) -> Action? {
        bindings.first { $0.applies(to: screen) && $0.keys.contains(key) }?.action
    }

    public func keys(for action: Action) -> [Key] { bindings.first { $0.action == action }?.keys ?? [] }

    public func bindings(for screen: ScreenID) -> [Binding] { bindings.filter { $0.applies(to: screen) } }

    /// Replaces the keys of named actions (`move_right = ["L", "ctrl-l"]`). Unknown names or keys are
    /// returned as warnings; the rest still applies.
    public mutating func remap(_ overrides: [String: [String]]) -> [String] {
        var warnings: [String] = []
        for (name, keyNames) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let action = Action(rawValue: name) else { warnings.append("unknown action '\(TOML.printable(name))'"); continue }
            var keys: [Key] = []
            for k in keyNames {
                if let key = Key(name: k) { keys.append(key) } else { warnings.append("unknown key '\(TOML.printable(k))' for \(name)") }
            }
            guard !keys.isEmpty else { continue }
            for i in bindings.indices where bindings[i].action == action { bindings[i].keys = keys }
            // A key now taken by this action is removed from any other action on an overlapping screen.
            for i in bindings.indices where bindings[i].action != action {
                bindings[i].keys.removeAll { keys.contains($0) }
            }
        }
        return warnings
    }

    static let board: Set<ScreenID> = [.board]
    static let lists: Set<ScreenID> = [.board, .agents, .executions]
    static let runs: Set<ScreenID> = [.executions, .logs]
    static let logs: Set<ScreenID> = [.logs]
    static let transcript: Set<ScreenID> = [.transcript]
    static let reading: Set<ScreenID> = [.logs, .transcript]

    public static let defaults: [Binding] = [
        Binding(.up, [.char("k"), .up], "select the previous card / row", group: "Move", hint: nil),
        Binding(.down, [.char("j"), .down], "select the next card / row", group: "Move"),
        Binding(.left, [.char("h"), .left], "previous column", screens: board, group: "Move"),
        Binding(.right, [.char("l"), .right], "next column", screens: board, group: "Move"),
        Binding(.top, [.char("g"), .home], "first card", group: "Move"),
        Binding(.bottom, [.char("G"), .end], "last card / the log's end (follows again)", group: "Move"),
        Binding(.pageUp, [.pageUp, .ctrl("u")], "page up", group: "Move"),
        Binding(.pageDown, [.pageDown, .ctrl("d")], "page down", group: "Move"),
        Binding(.moveLeft, [.char("H")], "move the card to the previous column", screens: board, group: "Card", hint: "move"),
        Binding(.moveRight, [.char("L")], "move the card to the next column", screens: board, group: "Card"),
        Binding(.moveUp, [.char("K")], "move the card up in its column", screens: board, group: "Card", hint: "reorder"),
        Binding(.moveDown, [.char("J")], "move the card down in its column", screens: board, group: "Card"),
        Binding(.open, [.enter], "open: card detail / capabilities / run log / transcript", screens: lists.union([.sessions, .transcript]), group: "Card", hint: "open"),
        Binding(.new, [.char("n")], "new task", screens: board, group: "Card", hint: "new"),
        Binding(.edit, [.char("e")], "edit the task", screens: board, group: "Card", hint: "edit"),
        Binding(.delete, [.char("d")], "delete the task (asks)", screens: board, group: "Card"),
        Binding(.queueRun, [.char("r")], "run a capability on the task", screens: board, group: "Card", hint: "run"),
        Binding(.cancelRun, [.char("x")], "cancel the execution (asks)", screens: runs, group: "Execution", hint: "cancel"),
        Binding(.retryRun, [.char("r")], "retry the execution (a new attempt)", screens: runs, group: "Execution", hint: "retry"),
        Binding(.approveRun, [.char("a")], "approve the execution (asks)", screens: runs, group: "Execution", hint: "approve"),
        Binding(.continueRun, [.char("c")], "continue an ended run's agent session (asks what to say)", screens: runs, group: "Execution", hint: "continue"),
        Binding(.statusFilter, [.char("f")], "filter by status (cycles)", screens: runs, group: "Execution", hint: "status"),
        Binding(.followToggle, [.char("F")], "follow the log on or off", screens: logs, group: "Log", hint: "follow"),
        Binding(.wrapToggle, [.char("w")], "wrap long lines", screens: logs, group: "Log", hint: "wrap"),
        Binding(.timestampsToggle, [.char("t")], "show when each line arrived", screens: logs, group: "Log", hint: "time"),
        Binding(.search, [.char("/")], "search the log / transcript (n/N next/previous)", screens: reading, group: "Log", hint: "search"),
        Binding(.nextError, [.char("e")], "next error (log line, failed call)", screens: reading, group: "Log", hint: "error"),
        Binding(.previousError, [.char("E")], "previous error", screens: reading, group: "Log"),
        Binding(.toggleFold, [.char(" ")], "fold or unfold the node (Enter on a sub-agent opens it)", screens: transcript, group: "Transcript", hint: "fold"),
        Binding(.foldAll, [.char("z")], "fold everything to headers", screens: transcript, group: "Transcript", hint: "fold/unfold all"),
        Binding(.unfoldAll, [.char("Z")], "unfold everything", screens: transcript, group: "Transcript"),
        Binding(.nextToolCall, [.char("]")], "next tool call", screens: transcript, group: "Transcript", hint: "tool call"),
        Binding(.previousToolCall, [.char("[")], "previous tool call", screens: transcript, group: "Transcript"),
        Binding(.toggleActive, [.char(" "), .char("a")], "switch the agent on or off", screens: [.agents], group: "Agent", hint: "on/off"),
        Binding(.filter, [.char("/")], "filter cards across columns / sessions", screens: board.union([.sessions]), group: "Find", hint: "filter"),
        Binding(.nextMatch, [.char("n")], "next match", screens: [], group: "Find"),
        Binding(.previousMatch, [.char("N")], "previous match", screens: [], group: "Find"),
        Binding(.screenBoard, [.char("1")], "board", group: "Screens"),
        Binding(.screenAgents, [.char("2")], "agents", group: "Screens"),
        Binding(.screenExecutions, [.char("3")], "executions", group: "Screens"),
        Binding(.screenLogs, [.char("4")], "log tail", group: "Screens"),
        Binding(.screenSessions, [.char("5")], "sessions", group: "Screens"),
        Binding(.inbox, [.char("!")], "attention inbox: confirmations and approvals waiting for you", group: "App", hint: "inbox"),
        Binding(.command, [.char(":")], "command line (:q, :theme NAME, :board, :agents)", group: "App"),
        Binding(.help, [.char("?")], "this help", group: "App", hint: "help"),
        Binding(.back, [.escape], "back / close / clear the filter", group: "App"),
        Binding(.redraw, [.ctrl("l")], "redraw the screen", group: "App"),
        Binding(.quit, [.char("q"), .ctrl("c")], "quit", group: "App", hint: "quit"),
    ]
}
