// Width-aware text shaping on styled runs: truncate with "…", pad/align, slice columns, wrap.
//
// Public API:
//   enum Alignment — .left, .center, .right
//   TextLayout.truncate(_ runs:, width:, ellipsis:) -> [StyledRun]
//   TextLayout.truncate(_ text: String, width:) -> String
//   TextLayout.align(_ runs:, width:, alignment:, fill: Style) -> [StyledRun]   (truncates too)
//   TextLayout.slice(_ runs:, from column:, width:) -> [StyledRun]            (horizontal scroll)
//   TextLayout.wrap(_ runs:, width:, words:) -> [[StyledRun]]
//   TextLayout.highlight(_ runs:, matching:, style:) -> (runs, matches)   (search / filter)

import Foundation

public enum Alignment: Sendable { case left, center, right }

public enum TextLayout {
    /// Cuts to `width` columns; when something was cut the last column shows the ellipsis.
    public static func truncate(_ runs: [StyledRun], width: Int, ellipsis: String = "…") -> [StyledRun] {
        guard width > 0 else { return [] }
        if runs.displayWidth <= width { return runs }
        let ew = DisplayWidth.of(ellipsis)
        let keep = max(0, width - ew)
        var out = take(runs, columns: keep)
        let used = out.displayWidth
        let style = out.last?.style ?? runs.first?.style ?? .plain
        // A wide grapheme that did not fit leaves a gap: pad it so the ellipsis sits at the end.
        let pad = String(repeating: " ", count: max(0, keep - used))
        if ew <= width { out.append(StyledRun(pad + ellipsis, style: style)) }
        return merge(out)
    }

    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        if text.utf8.count <= width && DisplayWidth.of(text) <= width { return text }
        return truncate([StyledRun(text)], width: width, ellipsis: ellipsis).plainText
    }

    /// Exactly `width` columns: truncated, then padded with spaces in `fill` style.
    public static func align(_ runs: [StyledRun], width: Int, alignment: Alignment = .left,
                             fill: Style = .plain) -> [StyledRun] {
        guard width > 0 else { return [] }
        let t = truncate(runs, width: width)
        let gap = width - t.displayWidth
        guard gap > 0 else { return t }
        let (l, r): (Int, Int)
        switch alignment {
        case .left: (l, r) = (0, gap)
        case .right: (l, r) = (gap, 0)
        case .center: (l, r) = (gap / 2, gap - gap / 2)
        }
        var out: [StyledRun] = []
        if l > 0 { out.append(StyledRun(String(repeating: " ", count: l), style: fill)) }
        out += t
        if r > 0 { out.append(StyledRun(String(repeating: " ", count: r), style: fill)) }
        return out
    }

    /// The columns [from, from+width) of the runs. A wide grapheme cut by either edge becomes
    /// spaces, so columns stay aligned while scrolling sideways.
    public static func slice(_ runs: [StyledRun], from column: Int, width: Int) -> [StyledRun] {
        guard width > 0 else { return [] }
        if column <= 0 { return take(runs, columns: width) }
        var out: [StyledRun] = []
        var col = 0
        let end = column + width
        for run in runs {
            let rw = DisplayWidth.of(run.text)
            if col + rw <= column { col += rw; continue }  // whole run is left of the window
            var text = ""
            for g in run.text {
                let w = DisplayWidth.of(g)
                if col >= end { break }
                if col >= column && col + w <= end { text.append(g) }
                else if col + w > column {  // straddles an edge
                    let visible = min(col + w, end) - max(col, column)
                    text += String(repeating: " ", count: max(0, visible))
                }
                col += w
            }
            if !text.isEmpty { out.append(StyledRun(text, style: run.style)) }
            if col >= end { break }
        }
        return out
    }

    /// Breaks into rows of at most `width` columns. With `words`, breaks after spaces when a
    /// word fits on a row; long words are cut anywhere.
    public static func wrap(_ runs: [StyledRun], width: Int, words: Bool = true) -> [[StyledRun]] {
        guard width > 0 else { return [] }
        if runs.displayWidth <= width { return [runs] }
        if !words { return wrapAnywhere(runs, width: width) }
        var rows: [[StyledRun]] = []
        var row: [(Character, Style, Int)] = []
        var rowWidth = 0
        var lastSpace: Int? = nil  // index in `row` after which a break is allowed
        func emit(_ glyphs: ArraySlice<(Character, Style, Int)>) {
            var out: [StyledRun] = []
            for (ch, st, _) in glyphs {
                if let last = out.last, last.style == st { out[out.count - 1].text.append(ch) }
                else { out.append(StyledRun(String(ch), style: st)) }
            }
            rows.append(out)
        }
        for run in runs {
            for g in run.text {
                let w = DisplayWidth.of(g)
                while rowWidth + w > width && !row.isEmpty {
                    if words, let sp = lastSpace, sp + 1 < row.count {
                        emit(row[...sp])
                        row = Array(row[(sp + 1)...])
                    } else {
                        emit(row[...])
                        row = []
                    }
                    rowWidth = row.reduce(0) { $0 + $1.2 }
                    lastSpace = nil
                }
                if g == " " && row.isEmpty && !rows.isEmpty { continue }  // no leading space after a break
                row.append((g, run.style, w))
                rowWidth += w
                if g == " " { lastSpace = row.count - 1 }
            }
        }
        if !row.isEmpty || rows.isEmpty { emit(row[...]) }
        return rows
    }

    /// Restyles every case-insensitive occurrence of `needle` (search matches in a log or a
    /// list). Returns the new runs and how many matches there were.
    public static func highlight(_ runs: [StyledRun], matching needle: String, style: Style) -> (runs: [StyledRun], matches: Int) {
        guard !needle.isEmpty else { return (runs, 0) }
        let plain = runs.plainText
        var marks: [Range<Int>] = []  // UTF-8 offsets into `plain`
        var from = plain.startIndex
        while let r = plain.range(of: needle, options: .caseInsensitive, range: from..<plain.endIndex) {
            let lo = plain.utf8.distance(from: plain.startIndex, to: r.lowerBound)
            let hi = plain.utf8.distance(from: plain.startIndex, to: r.upperBound)
            marks.append(lo..<hi)
            from = r.upperBound > r.lowerBound ? r.upperBound : plain.index(after: r.lowerBound)
            if from >= plain.endIndex { break }
        }
        guard !marks.isEmpty else { return (runs, 0) }
        var out: [StyledRun] = []
        var offset = 0
        var m = 0
        for run in runs {
            let bytes = Array(run.text.utf8)
            var i = 0
            while i < bytes.count {
                let pos = offset + i
                while m < marks.count && marks[m].upperBound <= pos { m += 1 }
                let inMark = m < marks.count && marks[m].contains(pos)
                let end: Int
                if inMark { end = min(bytes.count, marks[m].upperBound - offset) }
                else if m < marks.count { end = min(bytes.count, max(i + 1, marks[m].lowerBound - offset)) }
                else { end = bytes.count }
                out.append(StyledRun(String(decoding: bytes[i..<end], as: UTF8.self), style: inMark ? style : run.style))
                i = end
            }
            offset += bytes.count
        }
        return (merge(out), marks.count)
    }

    /// Character wrap, the log-view case: printable ASCII runs are cut by byte count, so a
    /// megabyte line wraps in about a millisecond.
    static func wrapAnywhere(_ runs: [StyledRun], width: Int) -> [[StyledRun]] {
        var rows: [[StyledRun]] = []
        var row: [StyledRun] = []
        var used = 0
        func newRow() { rows.append(row); row = []; used = 0 }
        for run in runs {
            let utf8 = run.text.utf8
            if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                var i = utf8.startIndex
                while i < utf8.endIndex {
                    if used == width { newRow() }
                    let j = utf8.index(i, offsetBy: width - used, limitedBy: utf8.endIndex) ?? utf8.endIndex
                    row.append(StyledRun(String(run.text[i..<j]), style: run.style))
                    used += utf8.distance(from: i, to: j)
                    i = j
                }
                continue
            }
            var text = ""
            for g in run.text {
                let w = DisplayWidth.of(g)
                if used + w > width {
                    if !text.isEmpty { row.append(StyledRun(text, style: run.style)); text = "" }
                    newRow()
                }
                text.append(g)
                used += w
            }
            if !text.isEmpty { row.append(StyledRun(text, style: run.style)) }
        }
        if !row.isEmpty || rows.isEmpty { rows.append(row) }
        return rows
    }

    /// The first `columns` columns (no ellipsis); a wide grapheme that would overflow is left out.
    static func take(_ runs: [StyledRun], columns: Int) -> [StyledRun] {
        var out: [StyledRun] = []
        var left = columns
        for run in runs {
            guard left > 0 else { break }
            let rw = DisplayWidth.of(run.text)
            if rw <= left { out.append(run); left -= rw; continue }
            var text = ""
            for g in run.text {
                let w = DisplayWidth.of(g)
                if w > left { break }
                text.append(g); left -= w
            }
            if !text.isEmpty { out.append(StyledRun(text, style: run.style)) }
            break
        }
        return out
    }

    /// Joins neighbouring runs of the same style.
    static func merge(_ runs: [StyledRun]) -> [StyledRun] {
        var out: [StyledRun] = []
        for r in runs where !r.text.isEmpty {
            if let last = out.last, last.style == r.style { out[out.count - 1].text += r.text }
            else { out.append(r) }
        }
        return out
    }
}
