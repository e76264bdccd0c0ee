import Foundation
import Core
import Render

/// The diff of a worktree run: the files with their added and removed line counts, then each file's hunks,
/// added lines in the theme's `diff_added`, removed in `diff_removed`, hunk headers in `diff_hunk`. Every
/// path and line is the agent's work and goes through the sanitiser.
enum DiffView {
    static func render(_ m: DiffModel, keymap: KeyMap, theme: Theme, into buf: inout Buffer, area: Rect) {
        let dim = theme[.textDim], text = theme[.overlay]
        var lines: [StyledLine] = []
        var title = "Diff"
        if let l = m.load {
            title = "Diff · task #\(l.taskId) · run #\(l.executionId)"
            lines.append(Styled.untrusted(l.taskTitle, text.with(bold: true)) + [Styled.literal("  ", dim)]
                         + Styled.untrusted(l.branch, theme[.title]) + [Styled.literal(" → ", dim)]
                         + Styled.untrusted(l.baseBranch ?? "(detached)", theme[.title])
                         + [Styled.literal("  \(l.status.rawValue)", theme.executionStatus(l.status.rawValue))])
            if l.files.isEmpty { lines.append([Styled.literal("No changes against the base.", dim)]) }
            lines += m.rows.map { row(l, $0, theme) }
        } else if let e = m.error {
            lines.append(Styled.untrusted(e, theme[.error]))
        } else {
            lines.append([Styled.literal("loading the diff…", dim)])
        }
        var o = OverlayBox(title: title, lines: lines, theme: theme)
        o.width = max(20, area.width - 4)
        o.offset = m.offset == 0 ? 0 : m.offset + 1  // row r is line r + 1, under the header line
        o.footer = [Styled.literal(OverlayViews.footer(.diff, keymap), dim)]
        o.render(into: &buf, area: area)
    }

    static func row(_ l: DiffLoad, _ r: DiffModel.Row, _ theme: Theme) -> StyledLine {
        let text = theme[.overlay], added = theme[.diffAdded], removed = theme[.diffRemoved]
        switch r {
        case .blank: return []
        case .fileEntry(let i):
            let f = l.files[i]
            var line: StyledLine = [Styled.literal("  \(mark(f)) ", theme[.textDim])] + Styled.untrusted(f.path, text)
            if let old = f.oldPath, f.change == .renamed { line += [Styled.literal(" ← ", theme[.textDim])] + Styled.untrusted(old, text) }
            if f.binary { return line + [Styled.literal("  binary", theme[.textDim])] }
            return line + [Styled.literal("  +\(f.added)", added), Styled.literal(" -\(f.removed)", removed)]
        case .fileHeader(let i):
            let f = l.files[i]
            return [Styled.literal("\(mark(f)) ", theme[.title])] + Styled.untrusted(f.path, theme[.title].with(bold: true))
                + (f.binary ? [Styled.literal("  (binary: not shown)", theme[.textDim])] : [])
        case .hunkHeader(let h):
            return Styled.untrusted(h, theme[.diffHunk])
        case .line(let d):
            switch d.kind {
            case .added: return [Styled.literal("+", added)] + Styled.untrusted(d.text, added)
            case .removed: return [Styled.literal("-", removed)] + Styled.untrusted(d.text, removed)
            case .context: return [Styled.literal(" ", text)] + Styled.untrusted(d.text, text)
            case .note: return Styled.untrusted(d.text, theme[.textDim])
            }
        }
    }

    static func mark(_ f: FileDiff) -> String {
        switch f.change { case .added: "A"; case .deleted: "D"; case .renamed: "R"; case .modified: "M" }
    }
}
