// A width × height grid of cells that widgets draw into; the backend draws its diff.
//
// Public API:
//   struct Buffer(width:height:fill:) — width, height, area: Rect, cells
//   buffer[x, y] -> Cell
//   set(x:y:cell:)                            — keeps wide-character halves consistent
//   write(_ text: String, x:y:style:maxWidth:) -> Int   — sanitises, clips, returns columns used
//   write(_ runs: [StyledRun], x:y:maxWidth:) -> Int    — already-sanitised runs
//   fill(_ rect:, with cell:), setStyle(_ rect:, _ style:), modifyStyle(_ rect:, _ change:)
//   lines: [String], description — plain text dump for snapshot tests
//   Buffer.diff(from:to:) -> [CellChange]     — see BufferDiff.swift

public struct Buffer: Equatable, Sendable, CustomStringConvertible {
    public let width: Int
    public let height: Int
    public internal(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        let f = fill.isContinuation || fill.width != 1 ? Cell(" ", style: fill.style) : fill
        cells = Array(repeating: f, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    // MARK: - Writing cells

    /// Puts one grapheme at (x, y). A wide grapheme also takes (x+1, y); one that would hang
    /// over the right edge becomes a space. Overwriting half of a wide grapheme blanks the other
    /// half, so the grid never holds an orphaned half. Control characters never get in.
    public mutating func set(x: Int, y: Int, cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        // Most cells are one printable ASCII byte: safe and one column, nothing to check.
        if let b = cell.asciiByte, b >= 0x20, b < 0x7F { put(x, y, cell, wide: false); return }
        var c = cell
        if c.isContinuation { c.grapheme = " " }
        if !Self.isSafe(c.grapheme) { c.grapheme = "\u{FFFD}" }
        let w = c.width
        if w == 2 && x + 1 >= width { c.grapheme = " " }
        put(x, y, c, wide: w == 2 && x + 1 < width)
    }

    private mutating func put(_ x: Int, _ y: Int, _ c: Cell, wide: Bool) {
        release(x, y)
        let i = y * width + x
        cells[i] = c
        if wide {
            release(x + 1, y)
            cells[i + 1] = .continuation(c.style)
        }
    }

    /// Makes (x, y) free to overwrite alone: blanks the other half of a wide grapheme there.
    private mutating func release(_ x: Int, _ y: Int) {
        let i = y * width + x
        let c = cells[i]
        if c.isContinuation {
            if x > 0 { cells[i - 1] = Cell(" ", style: cells[i - 1].style) }
        } else if x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: c.style)
        }
    }

    /// " " to "~", made once.
    static let asciiGraphemes: [String] = (0x20..<0x7F).map { String(UnicodeScalar(UInt8($0))) }

    /// A last line of defence: anything that skipped the sanitizer still cannot put control
    /// bytes into a cell.
    static func isSafe(_ g: String) -> Bool {
        for s in g.unicodeScalars {
            let v = s.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || Scanner.isBidiOrSeparator(v) { return false }
        }
        return true
    }

    /// `style`, with the background of the cell at x, y when `style` has none of its own.
    func onBackground(_ style: Style, x: Int, y: Int) -> Style {
        guard style.bg == .default, x >= 0, x < width, y >= 0, y < height else { return style }
        let bg = cells[y * width + x].style.bg
        if bg == .default { return style }
        var s = style
        s.bg = bg
        return s
    }

    // MARK: - Writing text

    /// Writes untrusted text (sanitised here) on one row. Returns the columns advanced.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        let room = maxWidth ?? (width - x)
        // One column more than room: a wide grapheme at the edge must arrive so it can be padded.
        let runs = Sanitizer.runs(text, style: style, options: Sanitizer.Options(maxColumns: max(0, room) + 1))
        return write(runs, x: x, y: y, maxWidth: room)
    }

    /// Writes sanitised runs on one row, clipped to `maxWidth` columns and to the grid. A wide
    /// grapheme that does not fit at the edge is replaced by a space, never cut in half. A run whose
    /// background is the default keeps the background already there (text on a panel stays on it).
    @discardableResult
    public mutating func write(_ runs: [StyledRun], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + max(0, maxWidth ?? (width - x)))
        var col = x
        outer: for run in runs {
            // Printable ASCII (most of a board): one cell per byte, no grapheme breaking, no width lookup.
            if col >= 0, run.text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                for b in run.text.utf8 {
                    if col >= limit { break outer }
                    set(x: col, y: y, cell: Cell(Self.asciiGraphemes[Int(b) - 0x20], style: onBackground(run.style, x: col, y: y)))
                    col += 1
                }
                continue
            }
            for g in run.text {
                if col >= limit { break outer }
                let w = DisplayWidth.of(g)
                if w == 0 { continue }  // a stray zero-width grapheme has no cell to live in
                if col + w > limit {
                    if col >= 0 { set(x: col, y: y, cell: Cell(" ", style: onBackground(run.style, x: col, y: y))) }
                    col += 1
                    break outer
                }
                if col < 0 {
                    // Scrolled off the left: pad the visible half of a straddling wide grapheme.
                    if col + w > 0 { for c in 0..<(col + w) { set(x: c, y: y, cell: Cell(" ", style: onBackground(run.style, x: c, y: y))) } }
                } else {
                    set(x: col, y: y, cell: Cell(String(g), style: onBackground(run.style, x: col, y: y)))
                }
                col += w
            }
        }
        return max(0, col - x)
    }

    // MARK: - Regions

    /// Fills the rect (clipped to the grid) with a one-column cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        var c = cell
        if c.width != 1 { c.grapheme = " " }
        if !Self.isSafe(c.grapheme) { c.grapheme = "\u{FFFD}" }
        // Checked once, assigned in a row: only a wide grapheme across the rect's edges needs care (its
        // other half outside becomes a blank), as `set` would do cell by cell.
        for y in r.y..<r.maxY {
            release(r.x, y)
            release(r.maxX - 1, y)
            let row = y * width
            for i in (row + r.x)..<(row + r.maxX) { cells[i] = c }
        }
    }

    /// Replaces the style of every cell in the rect, keeping the text.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        modifyStyle(rect) { $0 = style }
    }

    /// Changes the style of every cell in the rect (e.g. only the background of a selected row).
    public mutating func modifyStyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { change(&cells[y * width + x].style) }
        }
    }

    // MARK: - Text dump

    /// Each row as text; a wide grapheme appears once (its continuation cell is skipped).
    public var lines: [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width { s += cells[y * width + x].grapheme }
            return s
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}
