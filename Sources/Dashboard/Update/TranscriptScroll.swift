import Foundation
import Core

/// Scrolling the transcript by rows over nodes of different heights. Only the nodes between the top of the
/// pane and the selection are measured, each at most a screen deep, so a key costs the same in a session of
/// ten messages or of a hundred thousand.
struct TranscriptScroll {
    let nodes: [TreeNode]
    let width: Int
    let rows: Int

    func height(_ m: TranscriptModel, _ i: Int, limit: Int) -> Int {
        TranscriptLines.height(nodes[i], m, width: width, limit: limit)
    }

    func index(_ key: NodeKey?) -> Int? { key.flatMap { k in nodes.firstIndex { $0.key == k } } }

    /// Scrolls as little as possible so the selected node's header is on screen.
    func reveal(_ m: inout TranscriptModel) {
        guard !nodes.isEmpty else { m.top = nil; m.topRow = 0; return }
        let sel = index(m.selected) ?? 0
        m.selected = nodes[sel].key
        guard let top = index(m.top), top < sel || (top == sel && m.topRow == 0) else {
            m.top = nodes[sel].key; m.topRow = 0
            return
        }
        // Row of the selected header counted from the pane's top.
        var row = -m.topRow
        var i = top
        while i < sel && row < rows {
            row += height(m, i, limit: rows + m.topRow)
            i += 1
        }
        if row < rows { return }
        // Below the pane: bring as much of it as fits onto the last rows, keeping what comes before it above.
        var acc = min(rows, height(m, sel, limit: rows)), j = sel
        while j > 0 {
            let h = height(m, j - 1, limit: .max)
            if acc + h > rows {
                m.top = nodes[j - 1].key; m.topRow = acc + h - rows
                return
            }
            acc += h; j -= 1
        }
        m.top = nodes[0].key; m.topRow = 0
    }

    /// The furthest the pane can scroll: the top node and row that put the end of the last node on its last row.
    func lastPage(_ m: TranscriptModel) -> (Int, Int) {
        var acc = 0, j = nodes.count
        while j > 0 {
            let h = height(m, j - 1, limit: .max)
            if acc + h >= rows { return (j - 1, acc + h - rows) }
            acc += h; j -= 1
        }
        return (0, 0)
    }

    /// Scrolls by `delta` rows; the selection moves along when it would leave the pane.
    func scroll(_ m: inout TranscriptModel, by delta: Int) {
        guard !nodes.isEmpty else { return }
        var ti = index(m.top) ?? 0
        var row = m.topRow + delta
        if delta > 0 {
            while ti < nodes.count - 1 {
                let h = height(m, ti, limit: row + 1)
                if row < h { break }
                row -= h; ti += 1
            }
            // Not past the end: the last node's bottom stays on the pane's last row at most.
            let (maxTop, maxRow) = lastPage(m)
            if ti > maxTop || (ti == maxTop && row > maxRow) { ti = maxTop; row = maxRow }
        } else {
            while row < 0 && ti > 0 {
                ti -= 1
                row += height(m, ti, limit: .max)
            }
            row = max(0, row)
        }
        m.top = nodes[ti].key; m.topRow = row
        let sel = index(m.selected) ?? 0
        // The first node whose header is on the pane; inside a node taller than the pane, that node.
        var firstHeader = row == 0 ? ti : min(nodes.count - 1, ti + 1)
        if firstHeader != ti, height(m, ti, limit: row + rows + 1) - row >= rows { firstHeader = ti }
        if sel < firstHeader { m.selected = nodes[firstHeader].key; return }
        // The last node whose header is still on the pane.
        var r = -row, i = ti, last = ti
        while i < nodes.count && r < rows {
            if r >= 0 { last = i }
            r += height(m, i, limit: rows - r + 1)
            i += 1
        }
        if sel > last { m.selected = nodes[last].key }
    }
}
