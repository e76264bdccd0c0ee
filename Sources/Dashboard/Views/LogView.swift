import Foundation
import Core
import Render

/// The log tail: the page of lines the data thread read, SGR colours kept, every other escape shown
/// harmlessly, search matches highlighted; the last lines when following, else from the anchor.
enum LogView {
    static func render(_ s: AppState, theme: Theme, into buf: inout Buffer, area: Rect) {
        let m = s.log
        let dim = theme[.textDim]
        guard m.executionId != nil else {
            var b = Border(title: "Log", style: theme[.border]); b.fill = theme[.text]
            let inner = b.render(into: &buf, area: area)
            buf.write("Choose an execution on screen 3 and press Enter.", x: inner.x + 1, y: inner.y, style: dim, maxWidth: inner.width - 1)
            return
        }
        let state = m.follow ? "following" : "paused · G resumes"
        let size = m.size < 10_240 ? "\(m.size) B" : m.size < 10_485_760 ? "\(m.size / 1024) KiB" : "\(m.size / 1_048_576) MiB"
        let lines = m.totalLines.map { " · \($0) lines" } ?? ""
        var b = Border(title: m.title.isEmpty ? "Log #\(m.executionId!)" : m.title,
                       rightTitle: "\(state) · \(size)\(lines) · \(m.source)", style: theme[.borderFocused],
                       titleStyle: m.status.map { theme.executionStatus($0.rawValue) }, chars: .heavy)
        b.fill = theme[.text]
        var inner = b.render(into: &buf, area: area).inset(left: 1, right: 1)
        if let n = m.notice {
            buf.write(n, x: inner.x, y: inner.y, style: theme[.warning], maxWidth: inner.width)
            inner = inner.inset(top: 1)
        }
        guard !inner.isEmpty else { return }
        if m.rows.isEmpty {
            buf.write(m.loaded ? "no output yet" : "loading…", x: inner.x, y: inner.y, style: dim, maxWidth: inner.width)
            return
        }
        // Styled, wrapped or cut, one entry per screen row.
        var screenRows: [StyledLine] = []
        var sanitizer = Sanitizer(style: theme[.text], options: .log)
        for row in m.rows {
            var runs = sanitizer.sanitize(bytes: row.bytes)
            if !m.search.isEmpty { runs = TextLayout.highlight(runs, matching: m.search, style: theme[.searchMatch]).runs }
            var prefix: StyledLine = []
            if m.searchHit == row.offset { prefix.append(Styled.literal("› ", theme[.title].with(bold: true))) }
            if m.timestamps { prefix.append(Styled.literal(row.at.map(clock) ?? "            ", dim)) }
            let width = max(1, inner.width - prefix.displayWidth)
            let pieces = m.wrap ? TextLayout.wrap(runs, width: width, words: false) : [TextLayout.truncate(runs, width: width)]
            for (i, p) in (pieces.isEmpty ? [[]] : pieces).enumerated() {
                screenRows.append((i == 0 ? prefix : [Styled.literal(String(repeating: " ", count: prefix.displayWidth), dim)]) + p)
            }
        }
        let visible = m.follow ? Array(screenRows.suffix(inner.height)) : Array(screenRows.prefix(inner.height))
        for (i, line) in visible.enumerated() {
            buf.write(line, x: inner.x, y: inner.y + i, maxWidth: inner.width)
        }
    }

    static func clock(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tmv = tm()
        localtime_r(&t, &tmv)
        let ms = Int((d.timeIntervalSince1970 * 1000).truncatingRemainder(dividingBy: 1000))
        return String(format: "%02d:%02d:%02d.%03d ", tmv.tm_hour, tmv.tm_min, tmv.tm_sec, ms)
    }
}
