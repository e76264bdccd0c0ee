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
    case searchEverything = "search_everything"
    case toggleFold = "toggle_fold", foldAll = "fold_all", unfoldAll = "unfold_all"
    case nextToolCall = "next_tool_call", previousToolCall = "previous_tool_call"
    case continueRun = "continue_run"
    case sendMessage = "send_message", interruptRun = "interrupt_run", runTranscript = "run_transcript"
    case discover
    case attachRun = "attach_run"
    case rename, closeSession = "close_session"
    case viewDiff = "view_diff", merge
    // In popups and dialogs (their own contexts below).
    case yes, no, close, submit, cancel, approve, deny
    case nextField = "next_field", previousField = "previous_field"
}

/// Where a binding applies: the screens (narrowed by `Binding.screens`), or one kind of popup, which takes the
/// keys first while it is on top. Raw values name the context in keys files (`"confirm.yes" = ["o"]`).
public enum KeyContext: String, CaseIterable, Sendable {
    case screen, help, detail, confirm, form, capability
    case runPicker = "run_picker", runArguments = "run_arguments"
    case inbox, denyReason = "deny_reason", commandLine = "command_line", filter, search
    case continuePrompt = "continue_prompt", messagePrompt = "message_prompt"
    case discovery
    case searchEverything = "search_everything"
    case textPrompt = "text_prompt", settings
    case diff

    /// The context of the popup on top.
    public init(_ p: Overlay) {
        switch p {
        case .help: self = .help
        case .detail: self = .detail
        case .confirm: self = .confirm
        case .form: self = .form
        case .capability: self = .capability
        case .runPicker(let r): self = r.arguments == nil ? .runPicker : .runArguments
        case .inbox: self = .inbox
        case .denyReason: self = .denyReason
        case .commandLine: self = .commandLine
        case .filter: self = .filter
        case .logSearch: self = .search
        case .continuePrompt: self = .continuePrompt
        case .messagePrompt: self = .messagePrompt
        case .discovery: self = .discovery
        case .searchAll: self = .searchEverything
        case .textPrompt: self = .textPrompt
        case .settings: self = .settings
        case .diff: self = .diff
        }
    }

    /// The heading of the context's keys in the help overlay.
    public var title: String {
        switch self {
        case .screen: "Screens"
        case .help: "In this help"
        case .detail: "Task detail"
        case .confirm: "Dialogs (asks yes or no)"
        case .form: "Task form"
        case .capability: "Capability"
        case .runPicker: "Run: choose a capability"
        case .runArguments: "Run: its arguments"
        case .inbox: "Attention inbox"
        case .denyReason: "Deny: the reason"
        case .commandLine: "Command line"
        case .filter: "Filter"
        case .search: "Search"
        case .continuePrompt: "Continue: what to say"
        case .messagePrompt: "Message to a running agent"
        case .discovery: "Discovered on PATH"
        case .searchEverything: "Search everything"
        case .textPrompt: "Edit in place"
        case .settings: "Settings"
        case .diff: "Diff of a worktree run"
        }
    }
}

/// When a binding can do something. A disabled binding is refused by dispatch with its reason on the status
/// bar, and shown dimmed with the reason in help (as lazygit does).
public enum Enablement: Sendable, Equatable {
    case always
    /// A card is selected on the board.
    case cardSelected
    case canMoveLeft, canMoveRight, canMoveUp, canMoveDown
    /// Something is selected to open on the current screen.
    case somethingToOpen
    /// A filter is on (n / N walk its matches).
    case filterOn
    /// The task detail has loaded (there is a task to edit).
    case detailLoaded
    /// The inbox has an item to decide.
    case inboxItem
    /// A denial always says why.
    case reasonGiven, messageGiven, somethingDiscovered
    /// The run on screen (selected, or whose log is open) is hosted in tmux, running, on this machine.
    case attachable

    /// nil when enabled; otherwise why not, in words for the status bar and help.
    public func reason(_ s: AppState) -> String? {
        let card = s.board.selectedCard
        switch self {
        case .always: return nil
        case .cardSelected: return card == nil ? "no card selected" : nil
        case .canMoveLeft:
            return card == nil ? "no card selected" : s.board.focused == 0 ? "already in the first column" : nil
        case .canMoveRight:
            return card == nil ? "no card selected" : s.board.focused >= s.board.columns.count - 1 ? "already in the last column" : nil
        case .canMoveUp:
            return card == nil ? "no card selected" : s.board.focusedColumn.selected <= 0 ? "already at the top of its column" : nil
        case .canMoveDown:
            return card == nil ? "no card selected"
                : s.board.focusedColumn.selected >= s.board.focusedColumn.total - 1 ? "already at the bottom of its column" : nil
        case .somethingToOpen:
            switch s.screen {
            case .board: return card == nil ? "no card selected" : nil
            case .agents: return s.agents.selectedRow == nil ? "no agent selected" : nil
            default: return nil
            }
        case .filterOn: return s.board.filter.isEmpty ? "no filter on" : nil
        case .detailLoaded:
            if case .detail(_, let d, _)? = s.topOverlay, d == nil { return "the task is still loading" }
            return nil
        case .inboxItem: return s.inbox.isEmpty ? "nothing waiting" : nil
        case .somethingDiscovered:
            if case .discovery(let found)? = s.topOverlay {
                guard let found else { return "still looking" }
                if !found.contains(where: { $0.version != nil }) { return "nothing usable was found" }
            }
            return nil
        case .messageGiven:
            if case .messagePrompt(_, let e)? = s.topOverlay, e.string.trimmingCharacters(in: .whitespaces).isEmpty {
                return "type the message first"
            }
            return nil
        case .reasonGiven:
            if case .denyReason(_, let e)? = s.topOverlay, e.string.trimmingCharacters(in: .whitespaces).isEmpty {
                return "say why: a denial is recorded with its reason"
            }
            return nil
        case .attachable:
            let row = s.screen == .logs ? s.executions.rows.first { $0.execution.id == s.log.executionId } : s.executions.selectedRow
            guard let row else { return s.screen == .logs && s.log.executionId != nil ? "the run is not in the executions list" : "no run selected" }
            return AttachRule.refusal(row.execution, workerHost: row.workerHost, localHost: s.hostName)
        }
    }
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
    /// The screens, or the popup whose keys these are.
    public var context: KeyContext
    /// When the binding can act; otherwise dispatch refuses it with the reason.
    public var enabled: Enablement

    public init(_ action: Action, _ keys: [Key], _ description: String, screens: Set<ScreenID>? = nil, group: String,
                hint: String? = nil, context: KeyContext = .screen, enabled: Enablement = .always) {
        self.action = action; self.keys = keys; self.description = description; self.screens = screens
        self.group = group; self.hint = hint; self.context = context; self.enabled = enabled
    }

    public func applies(to screen: ScreenID) -> Bool { context == .screen && (screens?.contains(screen) ?? true) }

    /// The name a keys file uses: the action's for the screens, `context.action` in a popup (`confirm.yes`).
    public var name: String { context == .screen ? action.rawValue : context.rawValue + "." + action.rawValue }

    /// nil when the binding can act now, otherwise why not.
    public func disabledReason(_ s: AppState) -> String? { enabled.reason(s) }
}

/// Key bindings as data: the same table dispatches keys, draws the help overlay and the status bar hints,
/// and is what a keys file remaps.
public struct KeyMap: Sendable, Equatable {
    public var bindings: [Binding]

    public init(bindings: [Binding] = KeyMap.defaults) { self.bindings = bindings }

    public func action(for key: Key, on screen: ScreenID) -> Action? { binding(for: key, on: screen)?.action }

    public func binding(for key: Key, on screen: ScreenID) -> Binding? {
        bindings.first { $0.applies(to: screen) && $0.keys.contains(key) }
    }

    /// The binding a key has in a popup's context.
    public func binding(for key: Key, in context: KeyContext) -> Binding? {
        bindings.first { $0.context == context && $0.keys.contains(key) }
    }

    public func keys(for action: Action, in context: KeyContext = .screen) -> [Key] {
        bindings.first { $0.context == context && $0.action == action }?.keys ?? []
    }

    public func bindings(for screen: ScreenID) -> [Binding] { bindings.filter { $0.applies(to: screen) } }

    public func bindings(in context: KeyContext) -> [Binding] { bindings.filter { $0.context == context } }

    /// Replaces the keys of named actions (`move_right = ["L", "ctrl-l"]`). A plain action name remaps it
    /// wherever it is bound (`close` closes every popup); `context.action` only in that popup (`"confirm.yes"`).
    /// Unknown names or keys are returned as warnings; the rest still applies.
    public mutating func remap(_ overrides: [String: [String]]) -> [String] {
        var warnings: [String] = []
        for (name, keyNames) in overrides.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            let context = parts.count == 2 ? KeyContext(rawValue: parts[0]) : nil
            guard let action = Action(rawValue: parts.last ?? name), parts.count == 1 || context != nil,
                  bindings.contains(where: { $0.action == action && (context == nil || $0.context == context) }) else {
                warnings.append("unknown action '\(TOML.printable(name))'"); continue
            }
            var keys: [Key] = []
            for k in keyNames {
                if let key = Key(name: k) { keys.append(key) } else { warnings.append("unknown key '\(TOML.printable(k))' for \(TOML.printable(name))") }
            }
            guard !keys.isEmpty else { continue }
            let targets = bindings.indices.filter { bindings[$0].action == action && (context == nil || bindings[$0].context == context) }
            let contexts = Set(targets.map { bindings[$0].context })
            for i in targets { bindings[i].keys = keys }
            // A key now taken by this action is removed from any other binding of the same context.
            for i in bindings.indices where !targets.contains(i) && contexts.contains(bindings[i].context) {
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
        Binding(.moveLeft, [.char("H")], "move the card to the previous column", screens: board, group: "Card", hint: "move", enabled: .canMoveLeft),
        Binding(.moveRight, [.char("L")], "move the card to the next column", screens: board, group: "Card", enabled: .canMoveRight),
        Binding(.moveUp, [.char("K")], "move the card up in its column", screens: board, group: "Card", hint: "reorder", enabled: .canMoveUp),
        Binding(.moveDown, [.char("J")], "move the card down in its column", screens: board, group: "Card", enabled: .canMoveDown),
        Binding(.open, [.enter], "open: card detail / capabilities / run log / transcript", screens: lists.union([.sessions, .transcript]), group: "Card", hint: "open", enabled: .somethingToOpen),
        Binding(.new, [.char("n")], "new task", screens: board, group: "Card", hint: "new"),
        Binding(.edit, [.char("e")], "edit the task", screens: board, group: "Card", hint: "edit", enabled: .cardSelected),
        Binding(.delete, [.char("d")], "delete the task (asks)", screens: board, group: "Card", enabled: .cardSelected),
        Binding(.queueRun, [.char("r")], "run a capability on the task", screens: board, group: "Card", hint: "run", enabled: .cardSelected),
        Binding(.cancelRun, [.char("x")], "cancel the execution (asks)", screens: runs, group: "Execution", hint: "cancel"),
        Binding(.retryRun, [.char("r")], "retry the execution (a new attempt)", screens: runs, group: "Execution", hint: "retry"),
        Binding(.approveRun, [.char("a")], "approve the execution (asks)", screens: runs, group: "Execution", hint: "approve"),
        Binding(.continueRun, [.char("c")], "continue an ended run's agent session (asks what to say)", screens: runs, group: "Execution", hint: "continue"),
        Binding(.sendMessage, [.char("s")], "send the running agent a message", screens: runs, group: "Execution", hint: "send"),
        Binding(.interruptRun, [.char("i")], "interrupt the running agent (the run stays alive)", screens: runs, group: "Execution", hint: "interrupt"),
        Binding(.runTranscript, [.char("T")], "the run's agent transcript (Esc comes back)", screens: runs, group: "Execution", hint: "transcript"),
        Binding(.attachRun, [.char("A")], "attach to the run's tmux session (prefix d detaches; the run goes on)", screens: runs,
                group: "Execution", enabled: .attachable),
        Binding(.viewDiff, [.char("v")], "the diff of the card's or run's worktree against its base", screens: board.union(runs),
                group: "Execution", hint: "diff"),
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
        Binding(.discover, [.char("D")], "discover agents and tools on PATH (asks before registering)", screens: [.agents], group: "Agent", hint: "discover"),
        Binding(.toggleActive, [.char(" "), .char("a")], "switch the agent on or off", screens: [.agents], group: "Agent", hint: "on/off"),
        Binding(.delete, [.char("d")], "remove the agent (asks; says what goes with it)", screens: [.agents], group: "Agent", hint: "remove"),
        Binding(.delete, [.char("d")], "delete the session with its transcript (asks)", screens: [.sessions], group: "Session", hint: "delete"),
        Binding(.rename, [.char("R")], "rename the session", screens: [.sessions], group: "Session", hint: "rename"),
        Binding(.closeSession, [.char("x")], "close the session (marks it completed)", screens: [.sessions], group: "Session", hint: "close"),
        Binding(.delete, [.char("d")], "delete the selected message (asks)", screens: transcript, group: "Transcript"),
        Binding(.filter, [.char("/")], "filter cards across columns / sessions", screens: board.union([.sessions]), group: "Find", hint: "filter"),
        Binding(.nextMatch, [.char("n")], "next match", screens: [], group: "Find", enabled: .filterOn),
        Binding(.previousMatch, [.char("N")], "previous match", screens: [], group: "Find", enabled: .filterOn),
        Binding(.screenBoard, [.char("1")], "board", group: "Screens"),
        Binding(.screenAgents, [.char("2")], "agents", group: "Screens"),
        Binding(.screenExecutions, [.char("3")], "executions", group: "Screens"),
        Binding(.screenLogs, [.char("4")], "log tail", group: "Screens"),
        Binding(.screenSessions, [.char("5")], "sessions", group: "Screens"),
        Binding(.inbox, [.char("!")], "attention inbox: confirmations and approvals waiting for you", group: "App", hint: "inbox"),
        Binding(.searchEverything, [.char("S")], "search every session's messages and tool inputs and outputs", group: "App"),
        Binding(.command, [.char(":")], "command line (:q, :theme NAME, :board, :settings, :set KEY VALUE, :get KEY)", group: "App"),
        Binding(.help, [.char("?")], "this help", group: "App", hint: "help"),
        Binding(.back, [.escape], "back / close / clear the filter", group: "App"),
        Binding(.redraw, [.ctrl("l")], "redraw the screen", group: "App"),
        Binding(.quit, [.char("q"), .ctrl("c")], "quit", group: "App", hint: "quit"),
    ] + popups

    static func scrolling(_ c: KeyContext) -> [Binding] {
        [Binding(.down, [.char("j"), .down], "scroll down", group: c.title, hint: "scroll", context: c),
         Binding(.up, [.char("k"), .up], "scroll up", group: c.title, context: c),
         Binding(.pageDown, [.pageDown, .ctrl("d"), .char(" ")], "page down", group: c.title, context: c),
         Binding(.pageUp, [.pageUp, .ctrl("u")], "page up", group: c.title, context: c),
         Binding(.top, [.char("g"), .home], "back to the top", group: c.title, context: c)]
    }

    /// Popups and dialogs: their own contexts, taking the keys first while on top. Keys bound in none of an
    /// editing popup's bindings are typed into its field.
    public static let popups: [Binding] = {
        func b(_ c: KeyContext, _ action: Action, _ keys: [Key], _ description: String, hint: String? = nil,
               enabled: Enablement = .always) -> Binding {
            Binding(action, keys, description, group: c.title, hint: hint, context: c, enabled: enabled)
        }
        var out: [Binding] = []
        out += scrolling(.help) + [b(.help, .close, [.escape, .char("q"), .char("?")], "close the help", hint: "close")]
        out += [b(.detail, .down, [.char("j"), .down], "scroll down", hint: "scroll"),
                b(.detail, .edit, [.char("e")], "edit the task", hint: "edit", enabled: .detailLoaded),
                b(.detail, .close, [.escape, .char("q"), .enter], "close the detail", hint: "close")]
            + scrolling(.detail).dropFirst()
        out += [b(.confirm, .yes, [.char("y"), .char("Y"), .enter], "yes: do it", hint: "yes"),
                b(.confirm, .no, [.char("n"), .char("N"), .escape, .char("q")], "no: leave it", hint: "no")]
        out += [b(.form, .nextField, [.tab, .down], "next field", hint: "next field"),
                b(.form, .previousField, [.backTab, .up], "previous field"),
                b(.form, .submit, [.enter], "save the task", hint: "save"),
                b(.form, .cancel, [.escape], "cancel (asks when you typed something)", hint: "cancel")]
        out += [b(.capability, .down, [.char("j"), .down], "next capability", hint: "previous/next"),
                b(.capability, .up, [.char("k"), .up], "previous capability"),
                b(.capability, .toggleActive, [.char(" "), .char("a")], "switch the capability on or off (off: queued runs wait)", hint: "on/off"),
                b(.capability, .edit, [.char("e")], "edit its label", hint: "label"),
                b(.capability, .delete, [.char("d")], "remove it (asks; says what goes with it)", hint: "remove"),
                b(.capability, .close, [.escape, .char("q"), .enter], "close", hint: "close")]
        out += [b(.runPicker, .down, [.char("j"), .down], "next capability", hint: "choose"),
                b(.runPicker, .up, [.char("k"), .up], "previous capability"),
                b(.runPicker, .submit, [.enter], "run it (or fill in its arguments first)", hint: "next"),
                b(.runPicker, .close, [.escape, .char("q")], "close", hint: "close")]
        out += [b(.runArguments, .nextField, [.tab, .down], "next argument", hint: "next field"),
                b(.runArguments, .previousField, [.backTab, .up], "previous argument"),
                b(.runArguments, .submit, [.enter], "queue the run", hint: "queue"),
                b(.runArguments, .cancel, [.escape], "back to the capabilities", hint: "back")]
        out += [b(.inbox, .down, [.char("j"), .down], "next item", hint: "choose"),
                b(.inbox, .up, [.char("k"), .up], "previous item"),
                b(.inbox, .approve, [.char("a")], "approve it", hint: "approve", enabled: .inboxItem),
                b(.inbox, .deny, [.char("D")], "deny it (asks why)", hint: "deny", enabled: .inboxItem),
                b(.inbox, .close, [.escape, .char("q"), .char("!")], "close", hint: "close")]
        out += [b(.denyReason, .submit, [.enter], "deny with this reason", hint: "deny", enabled: .reasonGiven),
                b(.denyReason, .cancel, [.escape], "back to the inbox", hint: "back")]
        out += [b(.commandLine, .submit, [.enter], "run the command"),
                b(.commandLine, .cancel, [.escape], "close (Backspace on an empty line too)")]
        out += [b(.filter, .submit, [.enter], "keep the filter"),
                b(.filter, .cancel, [.escape], "clear the filter")]
        out += [b(.search, .submit, [.enter], "search"),
                b(.search, .cancel, [.escape], "close")]
        out += [b(.searchEverything, .submit, [.enter], "search; again: open the transcript at the chosen hit", hint: "search / open"),
                b(.searchEverything, .down, [.down], "next hit", hint: "choose"),
                b(.searchEverything, .up, [.up], "previous hit"),
                b(.searchEverything, .cancel, [.escape], "close", hint: "close")]
        out += [b(.continuePrompt, .submit, [.enter], "queue the continuation", hint: "queue"),
                b(.continuePrompt, .cancel, [.escape], "cancel", hint: "cancel")]
        out += [b(.discovery, .submit, [.enter], "register the new ones (and update the versions of the others)", hint: "register",
                  enabled: .somethingDiscovered),
                b(.discovery, .close, [.escape, .char("q")], "close", hint: "close")]
        out += [b(.textPrompt, .submit, [.enter], "save it", hint: "save"),
                b(.textPrompt, .cancel, [.escape], "cancel", hint: "cancel")]
        out += scrolling(.settings) + [b(.settings, .close, [.escape, .char("q"), .enter], "close", hint: "close")]
        out += [b(.diff, .nextMatch, [.char("n")], "next hunk", hint: "hunk"),
                b(.diff, .previousMatch, [.char("N")], "previous hunk"),
                b(.diff, .continueRun, [.char("c")], "review comment: a message to the live run, else a continuation", hint: "comment"),
                b(.diff, .merge, [.char("M")], "merge the branch into its base (asks)", hint: "merge"),
                b(.diff, .bottom, [.char("G"), .end], "the end")]
            + scrolling(.diff) + [b(.diff, .close, [.escape, .char("q")], "close", hint: "close")]
        out += [b(.messagePrompt, .submit, [.enter], "send it", hint: "send", enabled: .messageGiven),
                b(.messagePrompt, .cancel, [.escape], "cancel", hint: "cancel")]
        return out
    }()
}
