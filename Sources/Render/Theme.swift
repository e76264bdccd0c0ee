// Named semantic styles the dashboard draws with.
//
// Public API:
//   enum ThemeSlot — every style name a theme file may set (raw value = TOML key)
//   struct Theme — name, styles; theme[.selected] -> Style
//     taskStatus(_ raw: String), executionStatus(_ raw: String), priority(_ n: Int) -> Style
//     adapted(to: ColorDepth) -> Theme   (.none: attributes replace colours so selection stays visible)
//   Theme.builtinDefault — compiled in, used when no file is found (BuiltinTheme.swift)

public enum ThemeSlot: String, CaseIterable, Sendable {
    case background, text
    case textDim = "dim"
    case border
    case borderFocused = "border_focused"
    case title, header
    case selected
    /// The selected row of a list that does not have the focus (e.g. other Kanban columns).
    case selectedInactive = "selected_inactive"
    case statusBar = "status_bar"
    case statusKey = "status_key"
    case error, warning, success
    case overlay
    case overlayBorder = "overlay_border"
    case searchMatch = "search_match"
    case taskTodo = "task_todo"
    case taskInProgress = "task_in_progress"
    case taskBlocked = "task_blocked"
    case taskDone = "task_done"
    case taskCancelled = "task_cancelled"
    case execQueued = "exec_queued"
    case execRunning = "exec_running"
    case execCancelling = "exec_cancelling"
    case execSucceeded = "exec_succeeded"
    case execFailed = "exec_failed"
    case execCancelled = "exec_cancelled"
    case execTimedOut = "exec_timed_out"
    case priority1 = "priority_1"
    case priority2 = "priority_2"
    case priority3 = "priority_3"
    case priority4 = "priority_4"
    case priority5 = "priority_5"
    case overdue
    // Transcript roles.
    case roleUser = "role_user"
    case roleAssistant = "role_assistant"
    case roleSystem = "role_system"
    case roleTool = "role_tool"
    case thought
    /// The diff view: added and removed lines, hunk headers.
    case diffAdded = "diff_added", diffRemoved = "diff_removed", diffHunk = "diff_hunk"
}

public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [ThemeSlot: Style]

    public init(name: String, styles: [ThemeSlot: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of a slot; a slot the theme leaves out comes from the built-in default.
    public subscript(_ slot: ThemeSlot) -> Style {
        get { styles[slot] ?? Theme.builtinDefault.styles[slot] ?? .plain }
        set { styles[slot] = newValue }
    }

    /// Style for a task status as stored (`todo`, `in_progress`, `blocked`, `done`, `cancelled`).
    public func taskStatus(_ raw: String) -> Style {
        ThemeSlot(rawValue: "task_" + raw).map { self[$0] } ?? self[.text]
    }

    /// Style for an execution status (`queued`, `running`, …, `timed_out`).
    public func executionStatus(_ raw: String) -> Style {
        ThemeSlot(rawValue: "exec_" + raw).map { self[$0] } ?? self[.text]
    }

    /// Style for a priority, clamped to 1…5.
    public func priority(_ n: Int) -> Style {
        self[ThemeSlot(rawValue: "priority_\(min(5, max(1, n)))")!]
    }

    /// The theme for a terminal of `depth`. Colours are left alone (the backend converts each
    /// cell, and converting here first would lose precision on 8-colour terminals). Without
    /// colour (NO_COLOR or a mono terminal) the slots that colour alone told apart get
    /// attributes instead, so the selection, the focus and the status bar stay visible.
    public func adapted(to depth: ColorDepth) -> Theme {
        guard depth == .none else { return self }
        var t = self
        let attr: [ThemeSlot: Style] = [
            .selected: Style(bold: true, reverse: true),
            .selectedInactive: Style(underline: true),
            .statusBar: Style(reverse: true),
            .statusKey: Style(bold: true, reverse: true),
            .searchMatch: Style(underline: true, reverse: true),
            .borderFocused: Style(bold: true),
            .title: Style(bold: true),
            .header: Style(bold: true, underline: true),
            .error: Style(bold: true),
            .overdue: Style(bold: true),
            .roleUser: Style(bold: true),
            .roleAssistant: Style(bold: true),
            .thought: Style(dim: true, italic: true),
            .diffAdded: Style(bold: true),
            .diffHunk: Style(underline: true),
            .textDim: Style(dim: true),
            .taskDone: Style(dim: true),
            .taskCancelled: Style(dim: true),
            .execFailed: Style(bold: true),
            .execTimedOut: Style(bold: true),
        ]
        for slot in ThemeSlot.allCases { t.styles[slot] = attr[slot] ?? .plain }
        return t
    }
}
