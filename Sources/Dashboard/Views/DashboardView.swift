import Foundation
import Core
import Render

/// The whole screen from the state: title bar, the current screen, overlays, status line.
public enum DashboardView {
    public struct Frame {
        public var buffer: Buffer
        /// Board column scroll offsets the view settled on (fed back into the state).
        public var columnOffsets: [Int]
        /// Regions whose contents may move up or down as a whole (the board's columns): the terminal can
        /// scroll them instead of redrawing them. None while a popup is open.
        public var scrollBands: [Rect] = []
    }

    /// `cache` keeps the board's cards laid out from frame to frame (the loop passes the same one each turn).
    public static func render(_ s: AppState, keymap: KeyMap, theme: Theme, cache: CardLayoutCache = CardLayoutCache()) -> Frame {
        var buf = Buffer(width: max(1, s.width), height: max(1, s.height), fill: Cell(" ", style: theme[.background]))
        let area = buf.area
        guard area.height >= 3 else { return Frame(buffer: buf, columnOffsets: s.board.columns.map(\.offset)) }
        titleBar(s, theme: theme, into: &buf, area: area.row(0))
        let body = area.inset(top: 1, bottom: 1)
        var offsets = s.board.columns.map(\.offset)
        var bands: [Rect] = []
        switch s.screen {
        case .board: (offsets, bands) = BoardView.render(s, theme: theme, cache: cache, into: &buf, area: body)
        case .agents: AgentsView.render(s, theme: theme, into: &buf, area: body)
        case .executions: ExecutionsView.render(s, theme: theme, into: &buf, area: body)
        case .logs: LogView.render(s, theme: theme, into: &buf, area: body)
        case .sessions: SessionsView.render(s, theme: theme, into: &buf, area: body)
        case .transcript: TranscriptView.render(s, theme: theme, into: &buf, area: body)
        }
        for overlay in s.overlays {
            OverlayViews.render(overlay, s, keymap: keymap, theme: theme, into: &buf, area: body)
        }
        statusLine(s, keymap: keymap, theme: theme, into: &buf, area: area.row(area.height - 1))
        return Frame(buffer: buf, columnOffsets: offsets, scrollBands: s.overlays.isEmpty ? bands : [])
    }

    static func titleBar(_ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let bar = theme[.statusBar]
        buf.fill(area, with: Cell(" ", style: bar))
        var runs: StyledLine = []
        for short in [false, true] {
            runs = [Styled.literal(short ? " " : " agentmon ", bar.with(bold: true))]
            for screen in ScreenID.tabs {
                let name = short ? String(screen.title.prefix(5)) : screen.title
                runs.append(Styled.literal(" \(screen.number) \(name) ", screen == s.screen.tab ? theme[.selected] : bar))
            }
            if runs.displayWidth <= area.width { break }
        }
        buf.write(TextLayout.truncate(runs, width: area.width), x: area.x, y: area.y, maxWidth: area.width)
        var right = Sanitizer.plain(s.databaseName)
        if s.pendingWrites > 0 && s.savingShown { right = "saving… " + right }
        let w = DisplayWidth.of(right)
        if w + 2 < area.width - runs.displayWidth {
            buf.write(right, x: area.maxX - w - 1, y: area.y, style: bar.with(dim: true))
        }
    }

    static func statusLine(_ s: AppState, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        let bar = theme[.statusBar]
        switch s.topOverlay {
        case .commandLine(let e)?, .filter(let e)?, .logSearch(let e)?:
            let prefix: String = { if case .commandLine? = s.topOverlay { return ":" } else { return "/" } }()
            buf.fill(area, with: Cell(" ", style: theme[.text]))
            let line = [Styled.literal(prefix, theme[.title])] + (OverlayViews.editorLines(e, focused: true, theme: theme).first ?? [])
            buf.write(TextLayout.truncate(line, width: area.width), x: area.x, y: area.y, maxWidth: area.width)
            return
        default: break
        }
        var left: StyledLine
        if let msg = s.status, msg.kind != .info {
            // A key that cannot act now, or a write that failed, says why even over a popup's hints (answering
            // from the inbox fails with the reason while the inbox is still open).
            left = [Styled.literal(" ", bar)] + Styled.untrusted(msg.text, theme[.error].with(bg: bar.bg))
        } else if let top = s.topOverlay, let hints = Self.overlayHints(top, keymap: keymap) {
            left = [Styled.literal(" ", bar)] + StatusBar.hints(hints, keyStyle: theme[.statusKey], labelStyle: bar)
        } else if let msg = s.status {
            left = [Styled.literal(" ", bar)] + Styled.untrusted(msg.text, msg.kind == .error ? theme[.error].with(bg: bar.bg) : bar)
        } else {
            // Help first: on a narrow terminal the hints are cut from the right, and `?` shows them all.
            let ordered = keymap.bindings(for: s.screen).sorted { ($0.action == .help ? 0 : 1) < ($1.action == .help ? 0 : 1) }
            left = [Styled.literal(" ", bar)] + StatusBar.hints(hints(ordered, keymap: keymap), keyStyle: theme[.statusKey], labelStyle: bar)
        }
        var right: StyledLine
        if !s.board.filter.isEmpty && s.screen == .board {
            right = [Styled.literal("filter: ", bar)] + Styled.untrusted(s.board.filter, bar.with(bold: true)) + [Styled.literal("  n/N next/prev · Esc clear ", bar)]
        } else if !s.sessions.filter.isEmpty && s.screen == .sessions {
            right = [Styled.literal("filter: ", bar)] + Styled.untrusted(s.sessions.filter, bar.with(bold: true)) + [Styled.literal("  Esc clear ", bar)]
        } else if s.screen == .transcript, !s.transcript.search.isEmpty {
            right = [Styled.literal("search: ", bar)] + Styled.untrusted(s.transcript.search, bar.with(bold: true)) + [Styled.literal("  n/N next/prev ", bar)]
        } else {
            // Always something at the right edge: the bar is drawn to the last column on every terminal.
            let (n, what): (Int, String) = switch s.screen {
            case .agents: (s.agents.rows.count, "agents")
            case .executions: (s.executions.rows.count, "executions")
            case .logs: (s.log.totalLines ?? s.log.rows.count, "lines")
            case .sessions: (s.sessions.shown.count, "sessions")
            case .transcript: (s.transcript.header?.messageCount ?? 0, "messages")
            default: (s.board.columns.reduce(0) { $0 + $1.total }, "tasks")
            }
            right = [Styled.literal("\(n) \(what) ", bar.with(dim: true))]
        }
        if let waiting = inboxSummary(s) {  // first on the line, so no terminal is too narrow for it
            left = [Styled.literal(" ! \(waiting) ", theme[.warning].with(bg: bar.bg, bold: true))] + left
        }
        if let outage = s.outage {  // before everything: what is on screen may be stale until it clears
            left = [Styled.literal(" ⚠ \(outage) ", theme[.error].with(bg: bar.bg, bold: true))] + left
        }
        StatusBar(left: left, right: right, style: bar).render(into: &buf, area: area)
    }

    /// What waits for a person, two counts: `2 need input · 1 waiting approval` (nil when nothing waits).
    /// "need input": a tool call an agent waits on; "waiting approval": a queued run that may not start yet.
    static func inboxSummary(_ s: AppState) -> String? {
        let (ask, approve) = s.inboxCounts
        var parts: [String] = []
        if ask > 0 { parts.append("\(ask) need\(ask == 1 ? "s" : "") input") }
        if approve > 0 { parts.append("\(approve) waiting approval") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The hints of some bindings, in their order: the first key of each binding with a hint.
    static func hints(_ bindings: [Binding], keymap: KeyMap) -> [(key: String, label: String)] {
        bindings.compactMap { b -> (key: String, label: String)? in
            guard let h = b.hint, let k = b.keys.first else { return nil }
            // A pair of opposite moves shows as one hint: "H/L move".
            if let partner = Self.partners[b.action], let pk = keymap.keys(for: partner, in: b.context).first { return (k.label + "/" + pk.label, h) }
            return (k.label, h)
        }
    }

    /// While a popup is open, the status line names its keys (from its context's bindings).
    static func overlayHints(_ p: Overlay, keymap: KeyMap) -> [(key: String, label: String)]? {
        switch p {
        case .commandLine, .filter, .logSearch: return nil  // the line being typed is shown instead
        case .form:
            // Alt-Enter is the editor's own key (a new line in a field), not a binding.
            var h = hints(keymap.bindings(in: .form), keymap: keymap)
            h.insert(("Alt-Enter", "new line"), at: max(0, h.count - 1))
            return h
        default: return hints(keymap.bindings(in: KeyContext(p)), keymap: keymap)
        }
    }

    static let partners: [Action: Action] = [.moveLeft: .moveRight, .moveUp: .moveDown, .nextError: .previousError, .foldAll: .unfoldAll,
                                              .nextToolCall: .previousToolCall, .down: .up]

    static func placeholder(_ screen: ScreenID, theme: Theme, into buf: inout Buffer, area: Rect) {
        var border = Border(title: screen.title, style: theme[.border])
        border.fill = theme[.text]
        let inner = border.render(into: &buf, area: area)
        buf.write("Nothing here yet.", x: inner.x + 2, y: inner.y + 1, style: theme[.textDim], maxWidth: inner.width - 2)
    }
}
