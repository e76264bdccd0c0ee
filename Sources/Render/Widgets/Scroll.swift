// Scroll offsets that keep the selection visible; shared by ListView, Table and Columns.
//
// Public API:
//   Scroll.offset(selected:current:visible:count:) -> Int
//   Scroll.offset(selected:current:heights:visible:) -> Int   (items of different heights)
//   Scroll.offset(selected:current:count:visible:height:) -> Int   (the same, heights asked lazily)

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
        offset(selected: selected, current: current, count: heights.count, visible: visible) { heights[$0] }
    }

    /// The same with heights asked for one item at a time: only the items near the visible rows are asked
    /// (at most about `visible` before the selection and `visible` after the result), never the whole list,
    /// so a caller can lay out only what may be seen.
    public static func offset(selected: Int?, current: Int, count: Int, visible: Int, height: (Int) -> Int) -> Int {
        guard visible > 0, count > 0 else { return 0 }
        var o = min(max(0, current), count - 1)
        if let s = selected.map({ min(max(0, $0), count - 1) }) {
            if s < o { o = s } else {
                // The first item from which everything up to the selection fits (the selection alone if it does not).
                var first = s, used = height(s)
                while first > o {
                    let h = height(first - 1)
                    if used + h > visible { break }
                    first -= 1; used += h
                }
                o = first
            }
        }
        // Pull back up while everything from o-1 to the end still fits (the tail is summed only while it fits).
        var tail = 0, i = o
        while i < count && tail <= visible { tail += height(i); i += 1 }
        while o > 0 && tail <= visible {
            let h = height(o - 1)
            if tail + h > visible { break }
            o -= 1; tail += h
        }
        return o
    }
}
