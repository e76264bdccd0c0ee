// Rows and columns with a header, a selected row and width-aware truncation ("…").
//
// Public API:
//   struct TableColumn(_ title:, width: Constraint, alignment:)
//   struct Table(columns:, rows: [[StyledLine]], selected:offset:)
//     Table(columns:, strings: [[String]], selected:offset:theme:)   — sanitises, theme styles
//     style, headerStyle, selectedStyle, columnSpacing, showHeader
//     render(into: &buffer, area:) -> Int   — the offset used
//     columnRects(in:) -> [Rect]           — where each column lands (for hit-testing / tests)

public struct TableColumn: Sendable {
    public var title: String
    public var width: Constraint
    public var alignment: Alignment
    public init(_ title: String, width: Constraint = .fill(1), alignment: Alignment = .left) {
        self.title = title; self.width = width; self.alignment = alignment
    }
}

public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [[StyledLine]]
    public var selected: Int?
    public var offset: Int
    public var style: Style = .plain
    public var headerStyle: Style = Style(bold: true, underline: true)
    public var selectedStyle: Style = Style(bold: true, reverse: true)
    public var columnSpacing: Int = 1
    public var showHeader = true

    public init(columns: [TableColumn], rows: [[StyledLine]], selected: Int? = nil, offset: Int = 0) {
        self.columns = columns; self.rows = rows; self.selected = selected; self.offset = offset
    }

    public init(columns: [TableColumn], strings: [[String]], selected: Int? = nil, offset: Int = 0, theme: Theme) {
        let text = theme[.text]
        self.init(columns: columns, rows: strings.map { $0.map { Sanitizer.runs($0, style: text) } },
                  selected: selected, offset: offset)
        style = text
        headerStyle = theme[.header]
        selectedStyle = theme[.selected]
    }

    public func columnRects(in area: Rect) -> [Rect] {
        Layout.split(area, .horizontal, columns.map(\.width), spacing: columnSpacing)
    }

    @discardableResult
    public func render(into buf: inout Buffer, area: Rect) -> Int {
        guard !area.isEmpty else { return offset }
        buf.fill(area, with: Cell(" ", style: style))
        let cols = columnRects(in: area)
        var body = area
        if showHeader {
            for (c, rect) in zip(columns, cols) where rect.width > 0 {
                let t = TextLayout.align(Sanitizer.runs(c.title, style: headerStyle), width: rect.width,
                                         alignment: c.alignment, fill: headerStyle)
                buf.write(t, x: rect.x, y: area.y, maxWidth: rect.width)
            }
            body = area.inset(top: 1)
        }
        guard !body.isEmpty else { return offset }
        let top = Scroll.offset(selected: selected, current: offset, visible: body.height, count: rows.count)
        for r in 0..<body.height {
            let i = top + r
            guard i < rows.count else { break }
            let y = body.y + r
            let isSelected = i == selected
            if isSelected { buf.fill(body.row(r), with: Cell(" ", style: selectedStyle)) }
            for (k, rect) in cols.enumerated() where rect.width > 0 && k < rows[i].count {
                var cell = rows[i][k]
                if isSelected { cell = cell.restyled(selectedStyle) }
                let fill = isSelected ? selectedStyle : style
                let t = TextLayout.align(cell, width: rect.width, alignment: columns[k].alignment, fill: fill)
                buf.write(t, x: rect.x, y: y, maxWidth: rect.width)
            }
        }
        return top
    }
}
