import Foundation
import Core
import Render

/// A session's transcript: the title names the session and its totals, one line says what it waits for
/// (or what the last jump found), and below it the nodes from the scroll position down — only those are
/// laid out, however long the session.
enum TranscriptView {
    static func render(_ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let m = s.transcript
        let dim = theme[.textDim]
        var title = "Transcript"
        var right = ""
        if let h = m.header {
            let x = h.session
            title = Sanitizer.plain("#\(x.id) \(h.agentSlug) · " + (x.title ?? x.userGoal ?? "untitled"))
            right = "\(x.status.rawValue) · in \(TranscriptLines.tokens(x.inputTokens)) · out \(TranscriptLines.tokens(x.outputTokens))"
                + (x.cacheReadTokens + x.cacheWriteTokens > 0 ? " · cache \(TranscriptLines.tokens(x.cacheReadTokens + x.cacheWriteTokens))" : "")
                + " · \(TranscriptLines.money(x.costUsd))"
        }
        if !m.back.isEmpty { title = "sub-agent " + title }
        var b = Border(title: title, rightTitle: right, style: theme[.borderFocused], chars: .heavy)
        b.fill = theme[.text]
        let inner = b.render(into: &buf, area: area).inset(left: 1, right: 1)
        guard !inner.isEmpty else { return }
        buf.write(infoLine(m, theme: theme), x: inner.x, y: inner.y, maxWidth: inner.width)
        let pane = inner.inset(top: 1)
        guard !pane.isEmpty else { return }
        let nodes = TranscriptTree.visible(m)
        if nodes.isEmpty {
            buf.write(m.loaded ? "no messages in this session" : "loading…", x: pane.x, y: pane.y, style: dim, maxWidth: pane.width)
            return
        }
        var i = m.top.flatMap { k in nodes.firstIndex { $0.key == k } } ?? 0
        var skip = m.top == nil ? 0 : m.topRow
        var y = pane.y
        while i < nodes.count && y < pane.maxY {
            let node = nodes[i]
            var lines = TranscriptLines.lines(node, m, width: pane.width, theme: theme, limit: skip + pane.maxY - y)
            if node.key == m.selected, !lines.isEmpty {
                let sel = theme[.selected]
                lines[0] = lines[0].map { StyledRun($0.text, style: sel) }
                let w = lines[0].displayWidth
                if w < pane.width { lines[0].append(StyledRun(String(repeating: " ", count: pane.width - w), style: sel)) }
            }
            for (k, var line) in lines.enumerated() where k >= skip {
                guard y < pane.maxY else { break }
                if !m.search.isEmpty { line = TextLayout.highlight(line, matching: m.search, style: theme[.searchMatch]).runs }
                buf.write(line, x: pane.x, y: y, maxWidth: pane.width)
                y += 1
            }
            skip = 0
            i += 1
        }
        if y < pane.maxY, m.page.hasAfter {
            buf.write(m.loading ? "loading more…" : "more below", x: pane.x, y: y, style: dim, maxWidth: pane.width)
        }
    }

    /// What the session waits for, else the result of the last jump, else its task and place in the window.
    static func infoLine(_ m: TranscriptModel, theme: Theme) -> StyledLine {
        if let n = m.notice { return [Styled.literal(n, theme[.warning])] }
        if let p = m.header?.pendingConfirmation {
            return [Styled.literal("⚠ waiting for you: ", theme[.warning].with(bold: true))] + Styled.untrusted(p.toolName + " " + oneLine(p.input), theme[.warning])
                + [Styled.literal("  — ! decides", theme[.textDim])]
        }
        guard let h = m.header else { return [] }
        var line: StyledLine = [Styled.literal("task ", theme[.textDim])] + Styled.untrusted(h.taskTitle ?? "-", theme[.text])
        line.append(Styled.literal("  ·  \(h.messageCount) messages", theme[.textDim]))
        if m.page.hasBefore || m.page.hasAfter { line.append(Styled.literal(" (a window of them)", theme[.textDim])) }
        return line
    }

    static func oneLine(_ s: String) -> String {
        String(s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ").prefix(200))
    }
}
