// Scrollable styled text: logs, transcripts, descriptions.
//
// Public API:
//   struct TextView(lines: [StyledLine], style:)
//     wrap: Bool, topLine: Int, horizontalOffset: Int (ignored when wrapping)
//     followTail: Bool — the last line ends on the bottom row (log tail follow mode)
//     render(into: &buffer, area:) -> Range<Int>   — the logical lines that were visible

public struct TextView: Sendable {
    public var lines: [StyledLine]
    public var style: Style
    public var wrap = false
    public var topLine = 0
    public var horizontalOffset = 0
    public var followTail = false

    public init(lines: [StyledLine], style: Style = .plain, wrap: Bool = false, topLine: Int = 0,
                horizontalOffset: Int = 0, followTail: Bool = false) {
        self.lines = lines; self.style = style; self.wrap = wrap; self.topLine = topLine
        self.horizontalOffset = horizontalOffset; self.followTail = followTail
    }

    /// Plain strings, sanitised (tabs expanded, SGR colours kept).
    public init(text: [String], style: Style = .plain) {
        var s = Sanitizer(style: style, options: .log)
        self.init(lines: text.map { s.sanitize($0) }, style: style)
    }

    @discardableResult
    public func render(into buf: inout Buffer, area: Rect) -> Range<Int> {
        guard !area.isEmpty else { return 0..<0 }
        buf.fill(area, with: Cell(" ", style: style))
        guard !lines.isEmpty else { return 0..<0 }
        let rows = visibleRows(width: area.width, height: area.height)
        for (r, row) in rows.rows.enumerated() {
            buf.write(row, x: area.x, y: area.y + r, maxWidth: area.width)
        }
        return rows.range
    }

    /// The display rows for the area, and which logical lines they come from.
    func visibleRows(width: Int, height: Int) -> (rows: [StyledLine], range: Range<Int>) {
        func shape(_ line: StyledLine) -> [StyledLine] {
            wrap ? TextLayout.wrap(line, width: width, words: false)
                 : [TextLayout.slice(line, from: horizontalOffset, width: width)]
        }
        if followTail {
            // Walk back from the end until the area is full; keep the bottom rows of the
            // topmost (partly visible) line.
            var out: [StyledLine] = []
            var first = lines.count
            while first > 0 && out.count < height {
                first -= 1
                out.insert(contentsOf: shape(lines[first]), at: 0)
            }
            if out.count > height { out.removeFirst(out.count - height) }
            return (out, first..<lines.count)
        }
        var out: [StyledLine] = []
        var i = min(max(0, topLine), lines.count - 1)
        let start = i
        while i < lines.count && out.count < height {
            out += shape(lines[i])
            i += 1
        }
        return (Array(out.prefix(height)), start..<i)
    }
}
