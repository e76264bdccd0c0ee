// One row with left and right segments (mode, hints, counts, clock).
//
// Public API:
//   struct StatusBar(left: StyledLine, right: StyledLine, style:)
//   StatusBar.hints(_ pairs: [(key: String, label: String)], keyStyle:, labelStyle:) -> StyledLine
//   render(into: &buffer, area:)   — draws on the first row of the area

public struct StatusBar: Sendable {
    public var left: StyledLine
    public var right: StyledLine
    public var style: Style

    public init(left: StyledLine, right: StyledLine = [], style: Style = Style(reverse: true)) {
        self.left = left; self.right = right; self.style = style
    }

    /// "q quit  ? help" with keys in `keyStyle`.
    public static func hints(_ pairs: [(key: String, label: String)], keyStyle: Style, labelStyle: Style) -> StyledLine {
        var out: StyledLine = []
        for (i, p) in pairs.enumerated() {
            out.append(StyledRun((i == 0 ? " " : "  ") + Sanitizer.plain(p.key), style: keyStyle))
            out.append(StyledRun(" " + Sanitizer.plain(p.label), style: labelStyle))
        }
        return out
    }

    /// The left side wins: the right side is drawn only when it fits after the left one.
    public func render(into buf: inout Buffer, area: Rect) {
        guard area.width > 0, area.height > 0 else { return }
        let row = area.row(0)
        buf.fill(row, with: Cell(" ", style: style))
        let rw = right.displayWidth
        let lw = left.displayWidth
        if rw > 0 && lw + 1 + rw <= row.width {
            buf.write(right, x: row.maxX - rw, y: row.y, maxWidth: rw)
        }
        let leftRoom = rw > 0 && lw + 1 + rw <= row.width ? row.width - rw - 1 : row.width
        buf.write(TextLayout.truncate(left, width: leftRoom), x: row.x, y: row.y, maxWidth: leftRoom)
    }
}
