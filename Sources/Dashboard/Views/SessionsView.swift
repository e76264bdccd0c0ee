import Foundation
import Core
import Render

/// Every agent session: status, agent, task, title or goal, start, messages, tokens and cost.
enum SessionsView {
    static func render(_ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let m = s.sessions
        let shownCount = m.shown.count
        let title = shownCount < m.total ? "Sessions \(shownCount) newest of \(m.total)" : "Sessions \(shownCount)"
        var border = Border(title: m.filter.isEmpty ? title : title + " matching", style: theme[.borderFocused], chars: .heavy)
        border.fill = theme[.text]
        let framed = border.render(into: &buf, area: area)
        _ = buf.write(UsageStripView.line(s.usage, now: s.now, theme: theme), x: framed.x + 1, y: framed.y, maxWidth: framed.width - 2)
        let inner = framed.inset(top: 1)
        let dim = theme[.textDim], text = theme[.text]
        let shown = m.shown
        let rows: [[StyledLine]] = shown.map { r in
            let x = r.session
            let statusStyle: Style = switch x.status {
            case .running: theme[.execRunning]
            case .failed: theme[.execFailed]
            case .completed: theme[.execSucceeded]
            default: dim
            }
            return [[Styled.literal("#\(x.id)", dim)], [Styled.literal(x.status.rawValue, statusStyle)], Styled.untrusted(r.agentSlug, text),
                    Styled.untrusted(x.title ?? x.userGoal ?? "", text), Styled.untrusted(r.taskTitle ?? "-", dim),
                    [Styled.literal(Dates.ago(x.createdAt, now: s.now), dim)], [Styled.literal(count(Int64(r.messageCount)), text)],
                    [Styled.literal(count(x.inputTokens + x.outputTokens + x.cacheReadTokens + x.cacheWriteTokens), dim)],
                    [Styled.literal(String(format: "$%.4f", x.costUsd), x.costUsd > 0 ? text : dim)]]
        }
        var table = Table(columns: [TableColumn("ID", width: .fixed(5)), TableColumn("STATUS", width: .fixed(10)),
                                    TableColumn("AGENT", width: .fixed(8)), TableColumn("TITLE", width: .fill(3)),
                                    TableColumn("TASK", width: .fill(2)), TableColumn("STARTED", width: .fixed(8)),
                                    TableColumn("MSGS", width: .fixed(5)), TableColumn("TOKENS", width: .fixed(7)),
                                    TableColumn("COST", width: .fixed(9))],
                          rows: rows, selected: shown.isEmpty ? nil : m.selected, offset: m.offset)
        table.style = text; table.headerStyle = theme[.header]; table.selectedStyle = theme[.selected]
        _ = table.render(into: &buf, area: inner.inset(left: 1, right: 1))
        if shown.isEmpty {
            buf.write(m.loaded ? (m.filter.isEmpty ? "no sessions yet" : "no session matches the filter") : "loading…", x: inner.x + 1, y: inner.y + 1, style: dim, maxWidth: inner.width - 2)
        }
    }

    /// A count in four characters at most (messages, tokens): 9999, 104k, 222M. A session synced from a long
    /// Claude Code run holds over 100,000 messages, which the column showed as "1047…".
    static func count(_ n: Int64) -> String {
        n < 10_000 ? "\(n)" : n < 10_000_000 ? "\(n / 1000)k" : "\(n / 1_000_000)M"
    }
}
