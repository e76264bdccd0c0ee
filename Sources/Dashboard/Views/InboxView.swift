import Foundation
import Core
import Render

/// The attention inbox: what waits for a person, oldest first, with agent, tool, input and danger.
enum InboxView {
    static func render(_ s: AppState, selected: Int, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.overlay]
        var lines: [StyledLine] = []
        if s.inbox.isEmpty { lines.append([Styled.literal("Nothing is waiting for you.", dim)]) }
        for (i, item) in s.inbox.enumerated() {
            let sel = i == selected
            var head: StyledLine = [Styled.literal(sel ? "› " : "  ", theme[.title])]
            var detail: StyledLine = []
            switch item {
            case .toolCall(let t, let agent, let session):
                head += [Styled.literal("confirm  ", theme[.warning])] + Styled.untrusted("\(agent) · \(t.toolName)", text.with(bold: true))
                    + [Styled.literal("  " + Dates.ago(t.createdAt, now: s.now), dim)]
                detail = Styled.untrusted(compact(t.input), dim)
                if !session.isEmpty { head += [Styled.literal("  ", dim)] + Styled.untrusted(session, dim) }
            case .execution(let e):
                head += [Styled.literal("approve  ", theme[.warning])] + Styled.untrusted("\(e.agentSlug):\(e.capabilityKey)", text.with(bold: true))
                    + [Styled.literal("  " + AgentsView.dangerLabel(e.dangerLevel), AgentsView.dangerStyle(e.dangerLevel, theme)),
                       Styled.literal("  " + Dates.ago(e.execution.createdAt, now: s.now), dim)]
                detail = Styled.untrusted("#\(e.execution.id) on \"\(e.taskTitle)\" " + compact(e.execution.args.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: " ")), dim)
            }
            lines.append(sel ? head.map { StyledRun($0.text, style: $0.style.with(reverse: true)) } : head)
            lines.append([Styled.literal("    ", dim)] + detail)
        }
        if !s.inboxHistory.isEmpty {
            lines.append([])
            lines.append([Styled.literal("Answered lately", theme[.title])])
            for d in s.inboxHistory {
                var l: StyledLine = [Styled.literal(d.allowed ? "  ✓ " : "  ⊘ ", d.allowed ? theme[.success] : theme[.error])]
                l += Styled.untrusted("\(d.agent) · \(d.toolName)", text)
                l += [Styled.literal(d.allowed ? "  allowed by " : "  denied by ", dim)] + Styled.untrusted(d.decidedBy, text)
                if let r = d.reason, r != "denied by \(d.decidedBy)" { l += [Styled.literal(": ", dim)] + Styled.untrusted(compact(r), dim) }
                l.append(Styled.literal("  " + Dates.ago(d.decidedAt, now: s.now), dim))
                lines.append(l)
            }
        }
        var o = OverlayBox(title: "Attention \(s.inbox.count)", lines: lines, theme: theme)
        o.width = min(area.width - 4, 100)
        o.footer = [Styled.literal("j/k choose · a approve · D deny (asks why) · Esc close", dim)]
        o.render(into: &buf, area: area)
    }

    /// JSON input on one line, shortened for the list.
    static func compact(_ s: String) -> String {
        if s.utf8.count < 64 * 1024, s.first == "{", let v = JSONParser.parse(Array(s.utf8)) { return shorten(v.jsonString) }
        return shorten(s)
    }

    private static func shorten(_ s: String) -> String {
        let one = s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return one.count > 160 ? String(one.prefix(159)) + "…" : one
    }

    static func denyReason(_ item: InboxItem, _ editor: LineEditor, theme: Theme, into buf: inout Buffer, area: Rect) {
        let what: String = switch item {
        case .toolCall(let t, let agent, _): "\(agent) · \(t.toolName)"
        case .execution(let e): "\(e.agentSlug):\(e.capabilityKey) #\(e.execution.id)"
        }
        var lines: [StyledLine] = [Styled.untrusted("Deny \(what): why?", theme[.overlay])]
        lines += OverlayViews.editorLines(editor, focused: true, theme: theme)
        var o = OverlayBox(title: "Deny", lines: lines, theme: theme)
        o.width = min(area.width - 4, 70)
        o.footer = [Styled.literal("Enter deny · Esc back", theme[.textDim])]
        o.render(into: &buf, area: area)
    }
}
