// A scrolling list of one-line items with a selected row.
//
// Public API:
//   struct ListView(items: [StyledLine], selected:offset:style:selectedStyle:)
//   ListView(strings: [String], selected:offset:theme:)       — sanitises, theme styles
//   var marker: String       — drawn before the selected item ("▌ "), spaces before others
//   var emptyText: String?   — shown dim when there are no items
//   render(into: &buffer, area:) -> Int   — the offset used; keep it for the next frame

public struct ListView: Sendable {
    public var items: [StyledLine]
    public var selected: Int?
    public var offset: Int
    public var style: Style
    public var selectedStyle: Style
    public var dimStyle: Style
    public var marker: String = ""
    public var emptyText: String?

    public init(items: [StyledLine], selected: Int? = nil, offset: Int = 0,
                style: Style = .plain, selectedStyle: Style = Style(bold: true, reverse: true),
                dimStyle: Style = Style(dim: true)) {
        self.items = items; self.selected = selected; self.offset = offset
        self.style = style; self.selectedStyle = selectedStyle; self.dimStyle = dimStyle
    }

    public init(strings: [String], selected: Int? = nil, offset: Int = 0, theme: Theme) {
        let text = theme[.text]
        self.init(items: strings.map { Sanitizer.runs($0, style: text) }, selected: selected, offset: offset,
                  style: text, selectedStyle: theme[.selected], dimStyle: theme[.textDim])
    }

    @discardableResult
    public func render(into buf: inout Buffer, area: Rect) -> Int {
        guard !area.isEmpty else { return offset }
        buf.fill(area, with: Cell(" ", style: style))
        if items.isEmpty {
            if let emptyText { buf.write(emptyText, x: area.x, y: area.y, style: dimStyle, maxWidth: area.width) }
            return 0
        }
        let top = Scroll.offset(selected: selected, current: offset, visible: area.height, count: items.count)
        let markerWidth = DisplayWidth.of(marker)
        let blankMarker = String(repeating: " ", count: markerWidth)
        for row in 0..<area.height {
            let i = top + row
            guard i < items.count else { break }
            let y = area.y + row
            let isSelected = i == selected
            var line = items[i]
            if isSelected {
                // The selected row takes one style throughout: readable whatever the item's colours.
                buf.fill(area.row(row), with: Cell(" ", style: selectedStyle))
                line = line.restyled(selectedStyle)
            }
            var x = area.x
            if markerWidth > 0 {
                x += buf.write([StyledRun(isSelected ? marker : blankMarker, style: isSelected ? selectedStyle : style)],
                               x: x, y: y, maxWidth: area.width)
            }
            let w = area.maxX - x
            buf.write(TextLayout.truncate(line, width: w), x: x, y: y, maxWidth: w)
        }
        return top
    }
}
