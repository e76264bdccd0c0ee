import Foundation
import Core
import Render

/// Help, detail, confirm, form and capability popups.
enum OverlayViews {
    static func render(_ overlay: Overlay, _ s: AppState, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        switch overlay {
        case .help(let offset): help(s, keymap: keymap, offset: offset, theme: theme, into: &buf, area: area)
        case .detail(_, let d, let offset): detail(d, s, keymap: keymap, offset: offset, theme: theme, into: &buf, area: area)
        case .confirm(let c): confirm(c, keymap: keymap, theme: theme, into: &buf, area: area)
        case .form(let f): form(f, keymap: keymap, theme: theme, into: &buf, area: area)
        case .capability(let a, let c): capability(s, keymap: keymap, agent: a, index: c, theme: theme, into: &buf, area: area)
        case .runPicker(let p): RunPickerView.render(p, theme: theme, into: &buf, area: area)
        case .inbox(let selected): InboxView.render(s, selected: selected, theme: theme, into: &buf, area: area)
        case .denyReason(let item, let editor): InboxView.denyReason(item, editor, theme: theme, into: &buf, area: area)
        case .commandLine, .filter, .logSearch: break  // drawn in the status line
        case .continuePrompt(let id, let editor): ContinueView.render(id, editor, theme: theme, into: &buf, area: area)
        case .messagePrompt(let id, let editor): ContinueView.renderMessage(id, editor, theme: theme, into: &buf, area: area)
        case .discovery(let found): DiscoveryView.render(found, keymap: keymap, theme: theme, into: &buf, area: area)
        case .searchAll(let m): SearchAllView.render(m, s, theme: theme, into: &buf, area: area)
        case .diff(let m): DiffView.render(m, keymap: keymap, theme: theme, into: &buf, area: area)
        case .textPrompt(let p): ContinueView.renderText(p, theme: theme, into: &buf, area: area)
        case .settings(let rows, let offset): settings(rows, offset: offset, keymap: keymap, theme: theme, into: &buf, area: area)
        }
    }

    static func keyLabel(_ keys: [Key]) -> String { keys.map(\.label).joined(separator: " ") }

    /// A popup's footer from its bindings' hints: `j/k scroll · e edit · Esc close`.
    static func footer(_ context: KeyContext, _ keymap: KeyMap) -> String {
        DashboardView.hints(keymap.bindings(in: context), keymap: keymap).map { $0.key + " " + $0.label }.joined(separator: " · ")
    }

    /// Generated from the key bindings: what the user sees is what dispatch does.
    static func help(_ s: AppState, keymap: KeyMap, offset: Int, theme: Theme, into buf: inout Buffer, area: Rect) {
        var o = OverlayBox(title: "Keys — \(s.screen.title)", lines: helpLines(s, keymap: keymap, theme: theme), theme: theme)
        o.offset = offset
        o.footer = [Styled.literal(footer(.help, keymap), theme[.textDim])]
        o.render(into: &buf, area: area)
    }

    /// The screen's keys by group, then every popup's (theirs are what dispatch reads too). A binding that
    /// cannot act now is dimmed, with why.
    static func helpLines(_ s: AppState, keymap: KeyMap, theme: Theme) -> [StyledLine] {
        var lines: [StyledLine] = []
        var groups: [String] = []
        for b in keymap.bindings where !groups.contains(b.group) { groups.append(b.group) }
        for g in groups {
            let items = keymap.bindings.filter {
                $0.group == g && !$0.keys.isEmpty
                    && ($0.context != .screen || $0.screens == nil || $0.screens!.contains(s.screen) || $0.screens!.isEmpty)
            }
            guard !items.isEmpty else { continue }
            if !lines.isEmpty { lines.append([]) }
            lines.append([Styled.literal(g, theme[.header])])
            for b in items {
                let keys = b.screens?.isEmpty == true ? keyLabel(b.keys) + " (filter on)" : keyLabel(b.keys)
                // A popup's rules read the popup, which help is not: they are judged when it is open.
                let why = b.context == .screen ? b.disabledReason(s) : nil
                var line: StyledLine = [Styled.literal(keys.padding(toLength: 16, withPad: " ", startingAt: 0), why == nil ? theme[.statusKey] : theme[.textDim]),
                                        Styled.literal(b.description, why == nil ? theme[.text] : theme[.textDim])]
                if let why { line.append(Styled.literal(" — " + why, theme[.textDim])) }
                lines.append(line)
            }
        }
        return lines
    }

    static func detail(_ d: TaskDetail?, _ s: AppState, keymap: KeyMap, offset: Int, theme: Theme, into buf: inout Buffer, area: Rect) {
        let width = min(area.width - 6, 100)
        var lines: [StyledLine] = []
        guard let d else {
            OverlayBox(title: "Task", lines: [[Styled.literal("loading…", theme[.textDim])]], theme: theme).render(into: &buf, area: area)
            return
        }
        let t = d.task, dim = theme[.textDim], text = theme[.text], head = theme[.header]
        lines.append([Styled.literal("#\(t.id) ", dim)] + Styled.untrusted(t.title, text.with(bold: true)))
        var meta: StyledLine = [Styled.literal(t.status.title, theme.taskStatus(t.status.rawValue)), Styled.literal("  ", dim),
                                Styled.literal("P\(t.priority)", theme.priority(t.priority))]
        if let a = t.assigneeSlug { meta += [Styled.literal("  @", dim)] + Styled.untrusted(a, text) }
        if let due = t.dueAt { meta.append(Styled.literal("  due \(Dates.day(due))", due < s.now && t.status != .done ? theme[.overdue] : dim)) }
        lines.append(meta)
        if d.cost.sessions > 0 { lines.append(costLine(d.cost, theme: theme)) }
        func section(_ title: String) { lines.append([]); lines.append([Styled.literal(title, head)]) }
        section("Description")
        lines += (t.description ?? "").isEmpty ? [[Styled.literal("(none)", dim)]] : Styled.paragraph(t.description!, text, width: width - 4)
        func taskLine(_ x: TaskItem) -> StyledLine {
            [Styled.literal("  #\(x.id) ", dim), Styled.literal(x.status.title.padding(toLength: 12, withPad: " ", startingAt: 0), theme.taskStatus(x.status.rawValue))]
                + Styled.untrusted(x.title, text)
        }
        section("Depends on (\(d.dependencies.count))")
        lines += d.dependencies.isEmpty ? [[Styled.literal("  nothing", dim)]] : d.dependencies.map(taskLine)
        if let cap = t.autoRunCapabilityId {
            let name = d.capabilityNames[cap] ?? "capability \(cap)"
            let unmet = d.dependencies.filter { $0.status != .done }.count
            let when = t.autoRunExecutionId.map { "queued as run #\($0)" }
                ?? (unmet == 0 ? "once a dependency moves to Done (all are done now: r runs it)" : "when \(unmet == 1 ? "the last one is" : "these \(unmet) are") done")
            lines.append([Styled.literal("  ⏵ runs ", dim)] + Styled.untrusted(name, text) + [Styled.literal(" by itself " + when, dim)])
        }
        if !d.dependents.isEmpty { section("Needed by (\(d.dependents.count))"); lines += d.dependents.map(taskLine) }
        section("Subtasks (\(d.subtasks.count))")
        lines += d.subtasks.isEmpty ? [[Styled.literal("  none", dim)]] : d.subtasks.map(taskLine)
        section("Executions (\(d.executions.count))")
        lines += d.executions.isEmpty ? [[Styled.literal("  none yet", dim)]] : d.executions.map { e in
            [Styled.literal("  #\(e.id) ", dim), Styled.literal(e.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0), theme.executionStatus(e.status.rawValue))]
                + Styled.untrusted(d.capabilityNames[e.capabilityId] ?? "capability \(e.capabilityId)", text)
                + [Styled.literal("  attempt \(e.attempt)" + (e.exitCode.map { "  exit \($0)" } ?? "") + "  " + Dates.ago(e.createdAt, now: s.now), dim)]
                + (e.error.map { [Styled.literal("  ", dim)] + Styled.untrusted($0, theme[.error]) } ?? [])
        }
        // Comments (agents write them through agentmon mcp) in full, newest first: author, then the text.
        let comments = d.events.filter { $0.eventType == "comment" }
        if !comments.isEmpty {
            section("Comments (\(comments.count))")
            for c in comments.reversed() {
                lines.append([Styled.literal("  " + Dates.ago(c.createdAt, now: s.now) + "  ", dim)]
                             + Styled.untrusted(c.actorId ?? c.actorType.rawValue, text.with(bold: true)))
                lines += Styled.paragraph(c.payload["text"]?.stringValue ?? "", text, width: width - 8).map { [Styled.literal("    ", dim)] + $0 }
            }
        }
        section("Activity (\(d.events.count))")
        lines += d.events.reversed().map { e in
            [Styled.literal("  " + Dates.ago(e.createdAt, now: s.now).padding(toLength: 9, withPad: " ", startingAt: 0), dim),
             Styled.literal(e.actorType.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0), dim), Styled.literal(e.eventType + " ", text)]
                + Styled.untrusted(describe(e), dim)
        }
        var o = OverlayBox(title: "Task #\(t.id)", lines: lines, theme: theme)
        o.width = width
        o.offset = offset
        o.footer = [Styled.literal(footer(.detail, keymap), dim)]
        o.render(into: &buf, area: area)
    }

    /// `Cost  $1.23 · 3 sessions · 152k tokens`: what the task's agent sessions spent.
    static func costLine(_ c: TaskCost, theme: Theme) -> StyledLine {
        let n = c.sessions == 1 ? "1 session" : "\(c.sessions) sessions"
        return [Styled.literal("Cost  ", theme[.textDim]), Styled.literal(String(format: "$%.2f", c.costUsd), theme[.text]),
                Styled.literal(" · \(n) · \(SessionsView.count(c.tokens)) tokens", theme[.textDim])]
    }

    static func describe(_ e: TaskEvent) -> String {
        switch e.eventType {
        case "moved": return "\(e.payload["from"]?.stringValue ?? "?") → \(e.payload["to"]?.stringValue ?? "?")"
        case "reordered": return "to position \(e.payload["to_position"]?.intValue ?? 0)"
        case "updated": return (e.payload["changes"]?.objectValue?.keys.sorted() ?? []).joined(separator: ", ")
        case "comment": return e.actorId.map { "by \($0)" } ?? ""  // the text is in Comments
        default: return e.payload == .object([:]) ? "" : e.payload.jsonString
        }
    }

    static func confirm(_ c: Confirmation, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        var o = OverlayBox(title: c.title, lines: Styled.paragraph(c.message, theme[.overlay], width: min(60, area.width - 8)), theme: theme)
        let yes = keymap.keys(for: .yes, in: .confirm).first?.label ?? "?", no = keymap.keys(for: .no, in: .confirm).first?.label ?? "?"
        o.footer = [Styled.literal(yes, theme[.statusKey]), Styled.literal(" \(c.yesLabel)   ", theme[.overlay]), Styled.literal(no, theme[.statusKey]),
                    Styled.literal(" cancel", theme[.overlay])]
        o.render(into: &buf, area: area)
    }

    static func form(_ f: TaskForm, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        let width = min(area.width - 4, 80)
        var lines: [StyledLine] = []
        for field in TaskForm.Field.allCases {
            let focused = field == f.focus
            lines.append([Styled.literal(field.label, focused ? theme[.title].with(bold: true) : theme[.textDim])])
            let editor = f.fields[field.rawValue]
            let fieldLines = editorLines(editor, focused: focused, theme: theme)
            lines += fieldLines.map { [Styled.literal("  ", theme[.overlay])] + $0 }
        }
        if let e = f.error { lines.append([]); lines += Styled.paragraph("✗ " + e, theme[.error], width: width - 4) }
        if f.saving { lines.append([]); lines.append([Styled.literal("saving…", theme[.textDim])]) }
        var o = OverlayBox(title: f.taskId.map { "Edit task #\($0)" } ?? "New task in \(TaskStatus(rawValue: f.status)?.title ?? f.status)",
                        lines: lines, theme: theme)
        o.width = width
        func key(_ a: Action) -> String { keymap.keys(for: a, in: .form).first?.label ?? "?" }
        o.footer = [Styled.literal("\(key(.nextField)) next · \(key(.submit)) save · Alt-Enter new line · \(key(.cancel)) cancel", theme[.textDim])]
        o.render(into: &buf, area: area)
    }

    /// The editor's text with the cursor drawn as a reversed cell.
    static func editorLines(_ e: LineEditor, focused: Bool, theme: Theme) -> [StyledLine] {
        let style = theme[.overlay]
        let cursorStyle = style.with(reverse: true)
        var out: [StyledLine] = [[]]
        for (i, ch) in e.text.enumerated() {
            if focused && i == e.cursor { out[out.count - 1].append(Styled.literal(ch == "\n" ? " " : String(ch), cursorStyle)) }
            if ch == "\n" { out.append([]); continue }
            if !(focused && i == e.cursor) { out[out.count - 1] += Styled.untrusted(String(ch), style) }
        }
        if focused && e.cursor >= e.text.count { out[out.count - 1].append(Styled.literal(" ", cursorStyle)) }
        return out
    }

    static func capability(_ s: AppState, keymap: KeyMap, agent: Int, index: Int, theme: Theme, into buf: inout Buffer, area: Rect) {
        guard s.agents.rows.indices.contains(agent), s.agents.rows[agent].capabilities.indices.contains(index) else { return }
        let row = s.agents.rows[agent], c = row.capabilities[index]
        let dim = theme[.textDim], text = theme[.text]
        var lines: [StyledLine] = [Styled.untrusted("\(row.agent.slug):\(c.key)", text.with(bold: true)) + [Styled.literal("  \(index + 1)/\(row.capabilities.count)", dim)]]
        lines += Styled.paragraph(c.label + (c.description.map { " — " + $0 } ?? ""), text, width: 70)
        lines.append([])
        lines.append([Styled.literal("mode      ", dim), Styled.literal(c.mode.rawValue, text)])
        if let tokens = c.commandTokens {
            lines.append([Styled.literal("argv      ", dim)] + Styled.untrusted(([row.agent.binaryPath] + row.agent.baseArgs + tokens).map(quote).joined(separator: " "), text))
        }
        if let p = c.promptTemplate { lines.append([Styled.literal("prompt", dim)]); lines += Styled.paragraph(p, text, width: 70).map { [Styled.literal("  ", dim)] + $0 } }
        lines.append([Styled.literal("danger    ", dim), Styled.literal(AgentsView.dangerLabel(c.dangerLevel), AgentsView.dangerStyle(c.dangerLevel, theme))])
        lines.append([Styled.literal("approval  ", dim), Styled.literal(c.requiresApproval ? "a person approves each run" : "runs without asking", text)])
        lines.append([Styled.literal("timeout   ", dim), Styled.literal("\(c.timeoutSec) s", text)])
        lines.append([Styled.literal("output    ", dim), Styled.literal("kept up to \(c.maxOutputBytes / 1024) KiB", text)])
        lines.append([Styled.literal("enabled   ", dim), Styled.literal(c.isEnabled ? "yes" : "no", text)])
        if c.argsSchema != .object([:]) {
            lines.append([Styled.literal("arguments", dim)])
            lines += Styled.paragraph(c.argsSchema.jsonString, text, width: 70).map { [Styled.literal("  ", dim)] + $0 }
        }
        var o = OverlayBox(title: "Capability", lines: lines, theme: theme)
        o.width = min(area.width - 4, 80)
        o.footer = [Styled.literal(footer(.capability, keymap), dim)]
        o.render(into: &buf, area: area)
    }

    /// `:settings`: every key with its value as JSON, as `agentmon settings list` prints them.
    static func settings(_ rows: [SettingRow]?, offset: Int, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.text]
        var lines: [StyledLine]
        if let rows {
            let width = min(28, rows.map(\.key.count).max() ?? 0)
            lines = rows.map { r in
                Styled.untrusted(r.key.padding(toLength: max(width, r.key.count), withPad: " ", startingAt: 0) + "  ", text.with(bold: true))
                    + Styled.untrusted(r.value, text)
            }
            if rows.isEmpty { lines = [[Styled.literal("No settings yet. :set KEY VALUE adds one.", dim)]] }
        } else {
            lines = [[Styled.literal("Loading…", dim)]]
        }
        lines += [[], [Styled.literal(":set KEY VALUE writes one (JSON, else text); :get KEY reads one.", dim)]]
        var o = OverlayBox(title: "Settings", lines: lines, theme: theme)
        o.offset = offset
        o.width = min(area.width - 4, 90)
        o.footer = [Styled.literal(footer(.settings, keymap), dim)]
        o.render(into: &buf, area: area)
    }

    static func quote(_ s: String) -> String {
        s.isEmpty || s.contains(where: { " \"'$;&|<>()*?[]{}\\`".contains($0) }) ? "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" : s
    }
}
