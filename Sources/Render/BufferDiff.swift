// The cells that changed between two frames: all the backend has to draw.
//
// Public API:
//   struct CellChange — x, y, cell
//   Buffer.diff(from old: Buffer, to new: Buffer) -> [CellChange]

public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell
    public init(x: Int, y: Int, cell: Cell) { self.x = x; self.y = y; self.cell = cell }
}

extension Buffer {
    /// Only cells that differ, row by row, left to right. Continuation cells are never emitted:
    /// a wide grapheme is drawn by its head, and a head that changes always differs itself.
    /// When a wide grapheme gives way to narrow ones, its old continuation column now holds a
    /// different cell and is emitted after the head, so the terminal's stale half is repainted.
    /// Different sizes mean a full repaint of `new`.
    public static func diff(from old: Buffer, to new: Buffer) -> [CellChange] {
        var changes: [CellChange] = []
        let sameSize = old.width == new.width && old.height == new.height
        new.cells.withUnsafeBufferPointer { nc in
            old.cells.withUnsafeBufferPointer { oc in
                for i in 0..<nc.count {
                    let c = nc[i]
                    if c.isContinuation { continue }
                    if sameSize && c == oc[i] { continue }
                    changes.append(CellChange(x: i % new.width, y: i / new.width, cell: c))
                }
            }
        }
        return changes
    }

    /// Every drawable cell of the buffer (first frame, or a redraw after Ctrl-L).
    public var allChanges: [CellChange] {
        Buffer.diff(from: Buffer(width: 0, height: 0), to: self)
    }
}
