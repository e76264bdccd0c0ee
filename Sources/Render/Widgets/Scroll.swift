// Scroll offsets that keep the selection visible; shared by ListView, Table and Columns.
//
// Public API:
//   Scroll.offset(selected:current:visible:count:) -> Int
//   Scroll.offset(selected:current:heights:visible:) -> Int   (items of different heights)

public enum Scroll {
    /// First visible row so that `selected` is on screen, moving as little as possible from
    /// `current` (the previous frame's offset) and never leaving blank rows at the bottom.
    public static func offset(selected: Int?, current: Int, visible: Int, count: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        var o = min(max(0, current), count - visible)
        if let s = selected.map({ min(max(0, $0), count - 1) }) {
            if s < o { o = s } else if s >= o + visible { o = s - visible + 1 }
        }
        return o
    }

    /// The same for items of different heights (Kanban cards): the selected item is fully
    /// visible when it fits at all.
    public static func offset(selected: Int?, current: Int, heights: [Int], visible: Int) -> Int {
        let count = heights.count
        guard visible > 0, count > 0 else { return 0 }
        var o = min(max(0, current), count - 1)
        if let s = selected.map({ min(max(0, $0), count - 1) }) {
            if s < o { o = s }
            var used = heights[o...s].reduce(0, +)
            while used > visible && o < s { used -= heights[o]; o += 1 }
        }
        // Pull back up while everything from o-1 to the end still fits.
        var tail = heights[o...].reduce(0, +)
        while o > 0 && tail + heights[o - 1] <= visible { o -= 1; tail += heights[o] }
        return o
    }
}
