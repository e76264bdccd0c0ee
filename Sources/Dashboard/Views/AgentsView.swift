import Foundation
import Core
import Render

/// Agents: kind, version, active, running / max; the selected agent's capabilities beside them.
enum AgentsView {
    static func render(_ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let parts = area.width >= 100 ? area.split(.horizontal, [.percent(55), .fill(1)]) : area.split(.vertical, [.percent(55), .fill(1)])
        let rows: [[StyledLine]] = s.agents.rows.map { r in
            let a = r.agent
            return [Styled.untrusted(a.slug, theme[.text].with(bold: true)), Styled.untrusted(a.name, theme[.text]), [Styled.literal(a.toolType.rawValue, theme[.textDim])],
                    Styled.untrusted(a.version ?? "-", theme[.textDim]),
                    [a.isActive ? Styled.literal("● on", theme[.success]) : Styled.literal("○ off", theme[.textDim])],
                    [Styled.literal("\(r.running)/\(a.maxConcurrent)", r.running > 0 ? theme[.execRunning] : theme[.text])]]
        }
        var border = Border(title: "Agents \(s.agents.rows.count)", style: theme[.borderFocused], chars: .heavy)
        border.fill = theme[.text]
        let inner = border.render(into: &buf, area: parts[0])
        var table = Table(columns: [TableColumn("SLUG", width: .fixed(10)), TableColumn("NAME", width: .fill(1)),
                                    TableColumn("KIND", width: .fixed(9)), TableColumn("VERSION", width: .fixed(8)),
                                    TableColumn("ACTIVE", width: .fixed(6)), TableColumn("RUN", width: .fixed(5))],
                          rows: rows, selected: s.agents.rows.isEmpty ? nil : s.agents.selected, offset: s.agents.offset)
        table.style = theme[.text]; table.headerStyle = theme[.header]; table.selectedStyle = theme[.selected]
        _ = table.render(into: &buf, area: inner.inset(left: 1, right: 1))
        if s.agents.rows.isEmpty {
            buf.write(s.agents.loaded ? "no agents yet: agentmon agent add …" : "loading…", x: inner.x + 1, y: inner.y + 1,
                      style: theme[.textDim], maxWidth: inner.width - 2)
        }
        capabilities(s.agents.selectedRow, theme: theme, into: &buf, area: parts[1])
    }

    static func capabilities(_ row: AgentRow?, theme: Theme, into buf: inout Buffer, area: Rect) {
        var border = Border(title: row.map { "Capabilities of \(Sanitizer.plain($0.agent.slug))" } ?? "Capabilities", style: theme[.border])
        border.fill = theme[.text]
        let inner = border.render(into: &buf, area: area)
        guard let row else { return }
        let rows: [[StyledLine]] = row.capabilities.map { c in
            [Styled.untrusted(c.key, c.isEnabled ? theme[.text] : theme[.textDim]), [Styled.literal(c.mode.rawValue, theme[.textDim])],
             [Styled.literal(dangerLabel(c.dangerLevel), dangerStyle(c.dangerLevel, theme))],
             [Styled.literal(c.requiresApproval ? "asks" : "-", c.requiresApproval ? theme[.warning] : theme[.textDim])],
             [Styled.literal("\(c.timeoutSec)s", theme[.textDim])], [Styled.literal(c.isEnabled ? "" : "disabled", theme[.textDim])]]
        }
        var table = Table(columns: [TableColumn("KEY", width: .fill(1)), TableColumn("MODE", width: .fixed(8)),
                                    TableColumn("DANGER", width: .fixed(11)), TableColumn("APPROVAL", width: .fixed(8)),
                                    TableColumn("TIMEOUT", width: .fixed(7)), TableColumn("", width: .fixed(8))],
                          rows: rows)
        table.style = theme[.text]; table.headerStyle = theme[.header]
        _ = table.render(into: &buf, area: inner.inset(left: 1, right: 1))
    }

    static func dangerLabel(_ n: Int) -> String { ["0 safe", "1 caution", "2 dangerous", "3 destroys"][min(3, max(0, n))] }
    static func dangerStyle(_ n: Int, _ theme: Theme) -> Style {
        n >= 3 ? theme[.error].with(bold: true) : (n == 2 ? theme[.error] : (n == 1 ? theme[.warning] : theme[.success]))
    }
}
