import Foundation
import Core
import Render

/// Every execution, newest first: status in its colour, task, agent:capability, attempt, elapsed time
/// (ticking while it runs), exit code and error.
enum ExecutionsView {
    static func render(_ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let m = s.executions
        let filter = m.statusFilter.map { " · \($0.rawValue)" } ?? ""
        var border = Border(title: "Executions \(m.rows.count)\(filter)", style: theme[.borderFocused], chars: .heavy)
        border.fill = theme[.text]
        let inner = border.render(into: &buf, area: area)
        let dim = theme[.textDim], text = theme[.text]
        let rows: [[StyledLine]] = m.rows.map { r in
            let e = r.execution
            var status = [Styled.literal(statusLabel(e), theme.executionStatus(e.status.rawValue))]
            if e.status == .queued && e.requiresApproval && e.approvedAt == nil { status = [Styled.literal("needs approval", theme[.warning])] }
            if r.awaitsDecision && e.status.isActive { status = needsInput(theme) }
            // Requeued after a provider's rate limit: the note where an error would be, the time it may start.
            let waits = e.status == .queued ? e.notBefore.flatMap { $0 > s.now ? $0 : nil } : nil
            if waits != nil { status = [Styled.literal("◷ rate limited", theme[.warning])] }
            return [[Styled.literal("#\(e.id)", dim)], status, Styled.untrusted(r.taskTitle, text), Styled.untrusted("\(r.agentSlug):\(r.capabilityKey)", text),
                    [Styled.literal(e.attempt > 1 ? "\(e.attempt)/\(e.maxRetries + 1)" : "1", dim)],
                    [Styled.literal(elapsed(e, now: s.now), e.status.isActive ? theme[.execRunning] : dim)],
                    [Styled.literal(e.exitCode.map(String.init) ?? "", (e.exitCode ?? 0) == 0 ? dim : theme[.error])],
                    waits.map { [Styled.literal("waits for limit reset \(Dates.clock($0))", theme[.warning])] }
                        ?? e.error.map { Styled.untrusted($0, theme[.error]) } ?? []]
        }
        var table = Table(columns: [TableColumn("ID", width: .fixed(6)), TableColumn("STATUS", width: .fixed(14)),
                                    TableColumn("TASK", width: .fill(3)), TableColumn("RUN", width: .fill(2)),
                                    TableColumn("TRY", width: .fixed(4)), TableColumn("ELAPSED", width: .fixed(9)),
                                    TableColumn("EXIT", width: .fixed(4)), TableColumn("ERROR", width: .fill(3))],
                          rows: rows, selected: m.rows.isEmpty ? nil : m.selected, offset: m.offset)
        table.style = text; table.headerStyle = theme[.header]; table.selectedStyle = theme[.selected]
        _ = table.render(into: &buf, area: inner.inset(left: 1, right: 1))
        if m.rows.isEmpty {
            buf.write(m.loaded ? "no executions\(filter.isEmpty ? "" : " with this status"): press r on a card to queue one" : "loading…",
                      x: inner.x + 1, y: inner.y + 1, style: dim, maxWidth: inner.width - 2)
        }
    }

    /// A running agent waiting for a person's answer (the inbox's `!` opens it), on this screen and on its card.
    static func needsInput(_ theme: Theme) -> StyledLine { [Styled.literal("? needs input", theme[.warning].with(bold: true))] }

    static func statusLabel(_ e: Execution) -> String {
        let mark: String
        switch e.status {
        case .running: mark = "▶ "
        case .cancelling: mark = "■ "
        case .succeeded: mark = "✓ "
        case .queued: mark = "◷ "
        default: mark = "✗ "
        }
        return mark + e.status.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    /// `1m 05s` from start to end (or now); for a queued run, how long it has waited.
    static func elapsed(_ e: Execution, now: Date) -> String {
        let from = e.startedAt ?? e.createdAt
        let to = e.endedAt ?? now
        let secs = max(0, Int(to.timeIntervalSince(from)))
        let text = secs < 60 ? "\(secs)s" : secs < 3600 ? "\(secs / 60)m \(String(format: "%02d", secs % 60))s"
            : "\(secs / 3600)h \(String(format: "%02d", secs % 3600 / 60))m"
        return e.startedAt == nil && e.status == .queued ? "wait " + text : text
    }
}

/// The popup of `r` on a card.
enum RunPickerView {
    static func render(_ p: RunPicker, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.overlay]
        var lines: [StyledLine] = [Styled.untrusted("on: " + p.taskTitle, dim)]
        lines.append([])
        if let args = p.arguments {
            let o = p.options[p.selected]
            lines.append(Styled.untrusted("\(o.agentSlug):\(o.capability.key) — \(o.capability.label)", text.with(bold: true)))
            lines.append([])
            for (i, a) in args.enumerated() {
                lines.append([Styled.literal(a.name + (a.required ? " *" : ""), i == p.focus ? theme[.title].with(bold: true) : dim)])
                lines += OverlayViews.editorLines(a.editor, focused: i == p.focus, theme: theme).map { [Styled.literal("  ", text)] + $0 }
            }
        } else if !p.loaded {
            lines.append([Styled.literal("loading…", dim)])
        } else if p.options.isEmpty {
            lines.append([Styled.literal("no enabled capability on an active agent: add one with agentmon capability add", dim)])
        } else {
            for (i, o) in p.options.enumerated() {
                let c = o.capability
                let sel = i == p.selected
                var line: StyledLine = [Styled.literal(sel ? "› " : "  ", theme[.title])]
                line += Styled.untrusted("\(o.agentSlug):\(c.key)", sel ? text.with(bold: true) : text)
                line += [Styled.literal("  ", dim)] + Styled.untrusted(c.label, dim)
                line.append(Styled.literal("  " + AgentsView.dangerLabel(c.dangerLevel), AgentsView.dangerStyle(c.dangerLevel, theme)))
                if c.requiresApproval { line.append(Styled.literal("  asks", theme[.warning])) }
                lines.append(sel ? line.map { StyledRun($0.text, style: $0.style.with(reverse: true)) } : line)
            }
        }
        if let e = p.error { lines.append([]); lines.append([Styled.literal("✗ " + e, theme[.error])]) }
        var o = OverlayBox(title: p.arguments == nil ? "Run a capability" : "Arguments", lines: lines, theme: theme)
        o.width = min(area.width - 4, 90)
        o.footer = [Styled.literal(p.arguments == nil ? "j/k choose · Enter next · Esc close" : "Tab next field · Enter queue · Esc back", dim)]
        o.render(into: &buf, area: area)
    }
}
