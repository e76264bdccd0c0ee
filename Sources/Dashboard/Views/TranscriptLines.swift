import Foundation
import Core
import Render

/// The lines of one transcript node at a width: a header (fold marker, role or tool, status, usage, time)
/// and the body the node's fold allows. Shared by the view (to draw) and the update (to scroll by rows),
/// so both agree on every node's height. All message text is untrusted and sanitised here.
enum TranscriptLines {
    static func lines(_ node: TreeNode, _ m: TranscriptModel, width: Int, theme: Theme, limit: Int = .max) -> [StyledLine] {
        let indent = String(repeating: "  ", count: node.depth)
        let w = max(8, width)
        switch node.content {
        case .sub(let sub):
            let open = TranscriptTree.isOpen(m, sub: sub.id)
            let left: StyledLine = [Styled.literal(indent + (open ? "▾ " : "▸ "), theme[.textDim]), Styled.literal("⤷ sub-agent ", theme[.roleTool].with(bold: true))]
                + Styled.untrusted(sub.title, theme[.text])
            let right = "\(sub.messageCount) msgs · \(Self.tokens(sub.tokens)) tok · \(Self.money(sub.costUsd)) · \(sub.status.rawValue)"
            return [header(left, right: right, width: w, theme: theme)]
        case .more(let id, let count, let loading):
            let text = loading ? "loading sub-agent #\(id)…" : "… \(count) more messages — Enter opens sub-agent #\(id)"
            return [[Styled.literal(indent + "  " + text, theme[.textDim])]]
        case .item(let item):
            return itemLines(node, item, m, indent: indent, width: w, theme: theme, limit: limit)
        }
    }

    static func height(_ node: TreeNode, _ m: TranscriptModel, width: Int, limit: Int = .max) -> Int {
        lines(node, m, width: width, theme: Theme.builtinDefault, limit: limit).count
    }

    private static func itemLines(_ node: TreeNode, _ item: TranscriptItem, _ m: TranscriptModel, indent: String, width: Int,
                                  theme: Theme, limit: Int) -> [StyledLine] {
        let msg = item.message
        let display = TranscriptTree.display(m, key: node.key, item: item)
        let body: String = msg.kind == .action ? (item.toolCall?.input ?? msg.content) : msg.content
        let totalLines = TranscriptTree.lineCount(body)
        let hasBody = !body.isEmpty || !item.results.isEmpty || item.subSession != nil
        let marker = !hasBody ? "  " : display == .header ? "▸ " : "▾ "
        var left: StyledLine = [Styled.literal(indent + marker, theme[.textDim])]
        left += label(item, theme: theme)
        if display == .header {
            // Folded: the first line of the body stands in for it.
            let first = body.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init) ?? ""
            if !first.isEmpty { left += [Styled.literal("  ", theme[.text])] + Styled.untrusted(first, theme[.textDim]) }
            if totalLines > 1 { left.append(Styled.literal("  +\(totalLines - 1) lines", theme[.textDim])) }
        }
        var out = [header(left, right: rightSide(item), width: width, theme: theme)]
        if display == .header { return out }

        let bodyIndent = indent + "    "
        let bodyWidth = max(4, width - DisplayWidth.of(bodyIndent))
        let style: Style = switch (msg.kind, msg.role) {
        case (.thought, _): theme[.thought]
        case (.observation, _): item.message.isError ? theme[.error].with(bold: false) : theme[.text]
        case (.action, _): theme[.textDim]
        case (_, .user): theme[.roleUser].with(bold: false)
        case (_, .system): msg.isError ? theme[.error].with(bold: false) : theme[.roleSystem]
        default: theme[.text]
        }
        // A preview keeps a few rows (not lines: one line of minified JSON can wrap to hundreds of rows).
        let budget = min(limit, display == .preview ? out.count + TranscriptTree.previewLines(item) : Int.max)
        var complete = 0, cut = false
        // As in the log tail: colours a tool printed become styles, every other escape is shown as text.
        var sanitizer = Sanitizer(style: style, options: Sanitizer.Options(parseSGR: true, tabStop: 4))
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if out.count >= budget { break }
            // Only what can still be shown is sanitised and wrapped (a wide character takes two columns, so
            // twice the columns left is always enough).
            let room = budget == Int.max ? Int.max : (budget - out.count) * bodyWidth * 2
            let text = line.utf8.count > room ? String(line.prefix(room)) : String(line)
            let pieces = TextLayout.wrap(sanitizer.sanitize(text), width: bodyWidth)
            for piece in pieces.isEmpty ? [[]] : pieces {
                if out.count >= budget { cut = true; break }
                out.append([Styled.literal(bodyIndent, style)] + piece)
            }
            if cut || text.utf8.count < line.utf8.count { cut = true; break }
            complete += 1
        }
        let remaining = totalLines - complete
        if remaining > 0 && out.count < limit {
            let what = cut && remaining == 1 ? "the rest of this line" : "\(remaining) more line\(remaining == 1 ? "" : "s")"
            out.append([Styled.literal(bodyIndent + "… \(what) (Space shows all)", theme[.textDim])])
        } else if display == .full, item.contentLength > msg.content.count, msg.kind != .action, out.count < limit {
            out.append([Styled.literal(bodyIndent + "… \(item.contentLength - msg.content.count) more characters not loaded", theme[.textDim])])
        }
        return out
    }

    /// Role or tool in its style, with the call's status.
    private static func label(_ item: TranscriptItem, theme: Theme) -> StyledLine {
        let msg = item.message
        switch msg.kind {
        case .thought: return [Styled.literal("thinking", theme[.thought])]
        case .observation:
            return msg.isError ? [Styled.literal("✗ error", theme[.error])] : [Styled.literal("↳ result", theme[.roleTool])]
        case .action:
            guard let t = item.toolCall else { return [Styled.literal("● ", theme[.roleTool])] + Styled.untrusted(msg.content, theme[.roleTool].with(bold: true)) }
            var l: StyledLine = [Styled.literal("● ", theme[.roleTool])] + Styled.untrusted(t.toolName, theme[.roleTool].with(bold: true))
            let (mark, style): (String, Style) = switch t.status {
            case .success: ("✓", theme[.success])
            case .error: ("✗ failed", theme[.error])
            case .denied: ("⊘ denied" + (t.decisionReason.map { ": \($0)" } ?? ""), theme[.error])
            case .pending: (t.requiresConfirmation ? "⚠ waiting for you" : "⋯ running", theme[.warning])
            }
            l.append(Styled.literal(" ", theme[.text]))
            l += Styled.untrusted(mark, style)
            if let ms = t.durationMs { l.append(Styled.literal(" " + duration(ms), theme[.textDim])) }
            return l
        case .message:
            switch msg.role {
            case .user: return [Styled.literal("you", theme[.roleUser])]
            case .assistant: return [Styled.literal("assistant", theme[.roleAssistant])]
            case .system: return [Styled.literal(msg.isError ? "✗ system" : "system", msg.isError ? theme[.error] : theme[.roleSystem])]
            case .tool: return [Styled.literal("tool", theme[.roleTool])]
            }
        }
    }

    /// Per-turn usage and the time.
    private static func rightSide(_ item: TranscriptItem) -> String {
        let m = item.message
        var parts: [String] = []
        if m.inputTokens > 0 || m.outputTokens > 0 { parts.append("↑\(tokens(m.inputTokens)) ↓\(tokens(m.outputTokens))") }
        parts.append(clock(m.createdAt))
        return parts.joined(separator: "  ")
    }

    private static func header(_ left: StyledLine, right: String, width: Int, theme: Theme) -> StyledLine {
        let rw = DisplayWidth.of(right)
        guard rw + 12 < width else { return TextLayout.truncate(left, width: width) }
        let l = TextLayout.truncate(left, width: width - rw - 1)
        let pad = width - l.displayWidth - rw
        return l + [Styled.literal(String(repeating: " ", count: max(1, pad)), theme[.text]), Styled.literal(right, theme[.textDim])]
    }

    /// 950, 5.2k, 1.3M — with integer arithmetic: String(format:) is slow on Linux and this runs for every
    /// header on screen.
    static func tokens(_ n: Int64) -> String {
        func oneDecimal(_ v: Int64, _ unit: Int64, _ suffix: String) -> String {
            let tenths = (v * 10 + unit / 2) / unit
            return "\(tenths / 10).\(tenths % 10)\(suffix)"
        }
        return n < 1000 ? "\(n)" : n < 999_950 ? oneDecimal(n, 1000, "k") : oneDecimal(n, 1_000_000, "M")
    }

    static func money(_ d: Double) -> String { d == 0 ? "$0" : d < 0.01 ? String(format: "$%.4f", d) : String(format: "$%.2f", d) }

    static func duration(_ ms: Int64) -> String { ms < 1000 ? "\(ms)ms" : ms < 60_000 ? String(format: "%.1fs", Double(ms) / 1000) : "\(ms / 60_000)m\(ms / 1000 % 60)s" }

    static func clock(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return String(format: "%02d:%02d:%02d", tmv.tm_hour, tmv.tm_min, tmv.tm_sec)
    }
}
