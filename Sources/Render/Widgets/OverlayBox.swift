// A centred popup with a border, for help, confirmations and short forms.
//
// Public API:
//   struct OverlayBox(title:lines:style:borderStyle:titleStyle:)
//   OverlayBox(title:lines:theme:)
//     width: Int? (total, nil = fit the content), maxHeightFraction, offset (scroll), footer
//     rect(in area:) -> Rect         — where it will be drawn
//     render(into: &buffer, area:) -> Rect   — the inside, for callers that draw their own content

public struct OverlayBox: Sendable {
    public var title: String
    public var lines: [StyledLine]
    public var footer: StyledLine = []
    public var style: Style
    public var borderStyle: Style
    public var titleStyle: Style
    public var width: Int?
    public var offset = 0
    public var chars: BoxChars = .rounded

    public init(title: String, lines: [StyledLine], style: Style = .plain,
                borderStyle: Style = .plain, titleStyle: Style = Style(bold: true)) {
        self.title = title; self.lines = lines; self.style = style
        self.borderStyle = borderStyle; self.titleStyle = titleStyle
    }

    public init(title: String, lines: [StyledLine], theme: Theme) {
        let b = theme[.overlayBorder]
        self.init(title: title, lines: lines, style: theme[.overlay], borderStyle: b, titleStyle: b)
    }

    /// Content size plus border and one column of padding each side, kept inside the area
    /// with a margin so the screen behind stays recognisable.
    public func rect(in area: Rect) -> Rect {
        let contentW = max(lines.map(\.displayWidth).max() ?? 0, footer.displayWidth, DisplayWidth.of(title) + 4)
        let w = min(width ?? contentW + 4, area.width - 2)
        let footerRows = footer.isEmpty ? 0 : 2
        let h = min(lines.count + 2 + footerRows, area.height - 2)
        return area.centered(width: max(0, w), height: max(0, h))
    }

    @discardableResult
    public func render(into buf: inout Buffer, area: Rect) -> Rect {
        let r = rect(in: area)
        guard r.width >= 4, r.height >= 3 else { return Rect(x: r.x, y: r.y, width: 0, height: 0) }
        buf.fill(r, with: Cell(" ", style: style))
        let inner0 = r.inset(by: 1)
        let footerRows = footer.isEmpty ? 0 : 2
        let bodyRows = max(0, inner0.height - footerRows)
        let top = min(max(0, offset), max(0, lines.count - bodyRows))
        let more = lines.count > bodyRows ? "\(top + 1)-\(top + bodyRows)/\(lines.count)" : nil
        var border = Border(title: title, rightTitle: more, style: borderStyle, titleStyle: titleStyle, chars: chars)
        border.fill = style
        let inner = border.render(into: &buf, area: r)
        let body = inner.inset(left: 1, right: 1)
        for row in 0..<bodyRows where top + row < lines.count {
            buf.write(TextLayout.truncate(lines[top + row], width: body.width), x: body.x, y: body.y + row,
                      maxWidth: body.width)
        }
        if footerRows > 0 && inner.height >= footerRows {
            buf.write(TextLayout.truncate(footer, width: body.width), x: body.x, y: inner.maxY - 1, maxWidth: body.width)
        }
        return inner
    }
}
