import Foundation
import Core
import Render

/// The attention inbox: what waits for a person, oldest first, with agent, tool, input and danger.
enum InboxView {
    static func render(_ s: AppState, selected: Int, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.overlay]
        var lines: [StyledLine] = []
        if s.inbox.isEmpty { lines.append([T.lit("Nothing is waiting for you.", dim)]) }
        for (i, item) in s.inbox.enumerated() {
            let sel = i == selected
            var head: StyledLine = [T.lit(sel ? "› " : "  ", theme[.title])]
            var detail: StyledLine = []
            switch item {
            case .toolCall(let t, let agent, let session):
                head += [T.lit("confirm  ", theme[.warning])] + T.s("\(agent) · \(t.toolName)", text.with(bold: true))
                    + [T.lit("  " + Dates.ago(t.createdAt, now: s.now), dim)]
                detail = T.s(compact(t.input), dim)
                if !session.isEmpty { head += [T.lit("  ", dim)] + T.s(session, dim) }
            case .execution(let e):
                head += [T.lit("approve  ", theme[.warning])] + T.s("\(e.agentSlug):\(e.capabilityKey)", text.with(bold: true))
                    + [T.lit("  " + AgentsView.dangerLabel(e.dangerLevel), AgentsView.dangerStyle(e.dangerLevel, theme)),
                       T.lit("  " + Dates.ago(e.execution.createdAt, now: s.now), dim)]
                detail = T.s("#\(e.execution.id) on \"\(e.taskTitle)\" " + compact(e.execution.args.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: " ")), dim)
            }
            lines.append(sel ? head.map { StyledRun($0.text, style: $0.style.with(reverse: true)) } : head)
            lines.append([T.lit("    ", dim)] + detail)
        }
        var o = Overlay(title: "Attention \(s.inbox.count)", lines: lines, theme: theme)
        o.width = min(area.width - 4, 100)
        o.footer = [T.lit("j/k choose · a approve · D deny (asks why) · Esc close", dim)]
        o.render(into: &buf, area: area)
    }

    /// JSON input on one line, shortened for the list.
    static func compact(_ s: String) -> String {
        let one = s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return one.count > 160 ? String(one.prefix(159)) + "…" : one
    }

    static func denyReason(_ item: InboxItem, _ editor: LineEditor, theme: Theme, into buf: inout Buffer, area: Rect) {
        let what: String = switch item {
        case .toolCall(let t, let agent, _): "\(agent) · \(t.toolName)"
        case .execution(let e): "\(e.agentSlug):\(e.capabilityKey) #\(e.execution.id)"
        }
        var lines: [StyledLine] = [T.s("Deny \(what): why?", theme[.overlay])]
        lines += OverlayViews.editorLines(editor, focused: true, theme: theme)
        var o = Overlay(title: "Deny", lines: lines, theme: theme)
        o.width = min(area.width - 4, 70)
        o.footer = [T.lit("Enter deny · Esc back", theme[.textDim])]
        o.render(into: &buf, area: area)
    }
}
