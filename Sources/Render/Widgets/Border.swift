// A box around an area, with a title on the top edge (and an optional one on the right).
//
// Public API:
//   struct BoxChars — .rounded, .single, .double, .heavy, .heavyRules, .ascii
//   struct Border(title:rightTitle:style:titleStyle:chars:fill:)   sideStyle — the left and right edges' own style
//     render(into: &buffer, area:) -> Rect   (the inside)
//     Border.inner(_ area:) -> Rect

public struct BoxChars: Sendable, Equatable {
    public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: String
    public init(_ tl: String, _ tr: String, _ bl: String, _ br: String, _ h: String, _ v: String) {
        topLeft = tl; topRight = tr; bottomLeft = bl; bottomRight = br; horizontal = h; vertical = v
    }
    public static let rounded = BoxChars("╭", "╮", "╰", "╯", "─", "│")
    public static let single = BoxChars("┌", "┐", "└", "┘", "─", "│")
    public static let double = BoxChars("╔", "╗", "╚", "╝", "═", "║")
    public static let heavy = BoxChars("┏", "┓", "┗", "┛", "━", "┃")
    /// Heavy top and bottom rules on light sides (a focused board column: its sides stay as they were).
    public static let heavyRules = BoxChars("┍", "┑", "┕", "┙", "━", "│")
    public static let ascii = BoxChars("+", "+", "+", "+", "-", "|")
}

public struct Border: Sendable {
    public var title: StyledLine
    public var rightTitle: StyledLine
    public var style: Style
    public var chars: BoxChars
    /// When set, the inside is cleared with this style first.
    public var fill: Style?
    /// The left and right edges' style, when not `style`.
    public var sideStyle: Style?

    /// `title` and `rightTitle` are untrusted text: they are sanitised.
    public init(title: String? = nil, rightTitle: String? = nil, style: Style = .plain,
                titleStyle: Style? = nil, chars: BoxChars = .rounded, fill: Style? = nil) {
        let ts = titleStyle ?? style
        self.title = title.map { Sanitizer.runs($0, style: ts) } ?? []
        self.rightTitle = rightTitle.map { Sanitizer.runs($0, style: ts) } ?? []
        self.style = style
        self.chars = chars
        self.fill = fill
    }

    /// With already-styled titles.
    public init(titleRuns: StyledLine, rightTitleRuns: StyledLine = [], style: Style = .plain,
                chars: BoxChars = .rounded, fill: Style? = nil) {
        title = titleRuns; rightTitle = rightTitleRuns
        self.style = style; self.chars = chars; self.fill = fill
    }

    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    @discardableResult
    public func render(into buf: inout Buffer, area: Rect) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let inner = Border.inner(area)
        if let fill { buf.fill(inner, with: Cell(" ", style: fill)) }
        let c = chars
        let top = area.y, bottom = area.maxY - 1, left = area.x, right = area.maxX - 1
        // Edges as fills: the character is checked once per edge, not once per cell (a board frame has ~1,000
        // border cells). A wide edge character would become a blank, as `fill` makes any.
        let rule = Cell(c.horizontal, style: style), side = Cell(c.vertical, style: sideStyle ?? style)
        if right > left + 1 {
            buf.fill(Rect(x: left + 1, y: top, width: right - left - 1, height: 1), with: rule)
            buf.fill(Rect(x: left + 1, y: bottom, width: right - left - 1, height: 1), with: rule)
        }
        if bottom > top + 1 {
            buf.fill(Rect(x: left, y: top + 1, width: 1, height: bottom - top - 1), with: side)
            buf.fill(Rect(x: right, y: top + 1, width: 1, height: bottom - top - 1), with: side)
        }
        buf.set(x: left, y: top, cell: Cell(c.topLeft, style: style))
        buf.set(x: right, y: top, cell: Cell(c.topRight, style: style))
        buf.set(x: left, y: bottom, cell: Cell(c.bottomLeft, style: style))
        buf.set(x: right, y: bottom, cell: Cell(c.bottomRight, style: style))

        // Titles sit on the top edge with a space on each side: "╭─ Title ──── 3 ─╮".
        let room = area.width - 4
        var rightUsed = 0
        if !rightTitle.isEmpty && room > 8 {
            let rt = TextLayout.truncate(rightTitle, width: min(room / 2, rightTitle.displayWidth))
            rightUsed = rt.displayWidth + 2
            let rx = right - 1 - rightUsed
            buf.write(pad(rt), x: rx, y: top, maxWidth: rightUsed)
        }
        if !title.isEmpty && room - rightUsed > 2 {
            let tt = TextLayout.truncate(title, width: room - rightUsed - (rightUsed > 0 ? 1 : 0) - 2)
            buf.write(pad(tt), x: left + 2, y: top, maxWidth: room)
        }
        return inner
    }

    private func pad(_ runs: StyledLine) -> StyledLine {
        let s = runs.first?.style ?? style
        return [StyledRun(" ", style: s)] + runs + [StyledRun(" ", style: runs.last?.style ?? s)]
    }
}
