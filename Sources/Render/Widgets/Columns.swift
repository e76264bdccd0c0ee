// Side-by-side columns, each with a header, its own cards and its own scroll: the Kanban board.
//
// Public API:
//   struct BoardCard(lines: [StyledLine])            — one card, one or more rows
//   struct BoardColumn(title:cards:selected:offset:total:)
//   struct BoardColumn(title:count:card:selected:offset:total:) — cards made on demand: only those that
//                                                    may be seen are asked for (see `render(into:area:laidOut:)`)
//   struct Columns(columns:focused:theme:)
//     minColumnWidth — below this, only a window of columns around the focused one is shown
//     cardGap        — blank rows between cards
//     render(into: &buffer, area:) -> [Int]   — each column's offset (first visible card)
//     render(into: &buffer, area:, laidOut: &n) — the same, counting the cards it asked for
//     visibleRange(width:) -> Range<Int>       — which columns fit
//     cardAreas(_ area:) -> [Rect]             — each visible column's inside (regions that scroll as a whole)
//     drawCache                                — a ColumnsDrawCache: a column drawn as last time is copied, not drawn
//   final class ColumnsDrawCache              — what each column drew last, and with what

public struct BoardCard: Sendable {
    public var lines: [StyledLine]
    public init(lines: [StyledLine]) { self.lines = lines }
    /// A one-line card from untrusted text.
    public init(_ text: String, style: Style = .plain) { lines = [Sanitizer.runs(text, style: style)] }
}

public struct BoardColumn {
    public var title: String
    /// How many cards the column has (loaded), and each card by index, made when the widget needs it.
    public var count: Int
    public var card: (Int) -> BoardCard
    public var selected: Int?
    public var offset: Int
    /// Count shown in the header when more cards exist than were loaded.
    public var total: Int?
    public var titleStyle: Style?
    /// When set, equal revisions promise the same cards (count and every card's lines): a column whose
    /// revision, scroll, selection, focus, area and styles are the last frame's is copied without asking for
    /// a single card.
    public var revision: CardsRevision?

    public init(title: String, cards: [BoardCard], selected: Int? = nil, offset: Int = 0, total: Int? = nil,
                titleStyle: Style? = nil) {
        self.init(title: title, count: cards.count, card: { cards[$0] }, selected: selected, offset: offset, total: total,
                  titleStyle: titleStyle)
    }

    public init(title: String, count: Int, card: @escaping (Int) -> BoardCard, selected: Int? = nil, offset: Int = 0,
                total: Int? = nil, titleStyle: Style? = nil) {
        self.title = title; self.count = count; self.card = card; self.selected = selected; self.offset = offset
        self.total = total; self.titleStyle = titleStyle
    }
}

/// What a column's cards were made from, as up to four numbers the caller derives them from.
public struct CardsRevision: Hashable, Sendable {
    public var a: Int, b: Int, c: Int, d: Int
    public init(_ a: Int, _ b: Int = 0, _ c: Int = 0, _ d: Int = 0) { self.a = a; self.b = b; self.c = c; self.d = d }
}

public struct Columns {
    public var columns: [BoardColumn]
    public var focused: Int
    public var text: Style
    public var dim: Style
    public var border: Style
    public var borderFocused: Style
    public var title: Style
    public var selected: Style
    public var selectedInactive: Style
    public var minColumnWidth = 18
    public var cardGap = 0
    public var emptyText = "(empty)"
    /// Clear each column's inside first (off when the caller drew on a cleared buffer: a board column's inside
    /// was 2,000 cell writes per frame for nothing).
    public var fillInside = true
    /// When set, a column whose visible cards, scroll, selection, focus, area and styles are those of the last
    /// frame is copied from it instead of drawn: a selection step draws one column, not five.
    public var drawCache: ColumnsDrawCache?

    public init(columns: [BoardColumn], focused: Int, theme: Theme) {
        self.columns = columns; self.focused = focused
        text = theme[.text]; dim = theme[.textDim]; border = theme[.border]
        borderFocused = theme[.borderFocused]; title = theme[.title]
        selected = theme[.selected]; selectedInactive = theme[.selectedInactive]
    }

    /// The columns that fit at `minColumnWidth`, a window that contains the focused one.
    public func visibleRange(width: Int) -> Range<Int> {
        let n = columns.count
        let fit = max(1, min(n, width / max(1, minColumnWidth)))
        guard fit < n else { return 0..<n }
        let f = min(max(0, focused), n - 1)
        let start = min(max(0, f - fit / 2), n - fit)
        return start..<(start + fit)
    }

    /// Where each visible column's cards are drawn (inside its border): regions that move as a whole when
    /// the column scrolls or a card leaves or joins it.
    public func cardAreas(_ area: Rect) -> [Rect] {
        guard !area.isEmpty, !columns.isEmpty else { return [] }
        return Layout.equal(area, .horizontal, count: visibleRange(width: area.width).count).map(Border.inner)
    }

    @discardableResult
    public func render(into buf: inout Buffer, area: Rect) -> [Int] {
        var n = 0
        return render(into: &buf, area: area, laidOut: &n)
    }

    /// The same, adding to `laidOut` the cards it asked for: a measure of its work, bounded by the visible
    /// rows whatever the number of cards.
    @discardableResult
    public func render(into buf: inout Buffer, area: Rect, laidOut: inout Int) -> [Int] {
        var offsets = columns.map(\.offset)
        guard !area.isEmpty, !columns.isEmpty else { return offsets }
        let range = visibleRange(width: area.width)
        let rects = Layout.equal(area, .horizontal, count: range.count)
        for (k, rect) in zip(range, rects) {
            offsets[k] = renderColumn(columns[k], index: k, focused: k == focused, into: &buf, area: rect, laidOut: &laidOut)
        }
        return offsets
    }

    private func renderColumn(_ col: BoardColumn, index: Int, focused isFocused: Bool, into buf: inout Buffer, area: Rect, laidOut: inout Int) -> Int {
        let count = col.total ?? col.count
        let ts = col.titleStyle ?? title
        // Each card is made once per frame, and only when the scroll or the drawing needs it.
        var made: [Int: BoardCard] = [:]
        func card(_ i: Int) -> BoardCard {
            if let c = made[i] { return c }
            let c = col.card(i)
            made[i] = c
            return c
        }
        let gap = cardGap
        let inside = area.width >= 2 && area.height >= 2 ? Border.inner(area) : Rect(x: area.x, y: area.y, width: 0, height: 0)
        func scrollTop() -> Int {
            Scroll.offset(selected: col.selected, current: col.offset, count: col.count, visible: inside.height) {
                max(1, card($0).lines.count) + gap
            }
        }
        // A column drawn from what it was drawn from last time is copied (the key: see ColumnsDrawCache).
        var key: ColumnsDrawCache.Key?
        var quick: ColumnsDrawCache.QuickKey?
        let styles = [text, dim, border, borderFocused, ts, selected, selectedInactive]
        let cacheable = col.count > 0 && !inside.isEmpty && area.x >= 0 && area.y >= 0 && area.maxX <= buf.width && area.maxY <= buf.height
        let look = ColumnsDrawCache.Look(area: area, focused: isFocused, title: col.title, count: col.count, total: col.total,
                                         selected: col.selected, styles: styles, fillInside: fillInside, gap: cardGap,
                                         under: buf[area.x, area.y])
        if let cache = drawCache, cacheable, let revision = col.revision {
            let q = ColumnsDrawCache.QuickKey(look: look, revision: revision, offset: col.offset)
            if let top = cache.copy(column: index, quick: q, into: &buf) { return top }
            quick = q
        }
        if let cache = drawCache, cacheable {
            let top = scrollTop()
            var shown: [[StyledLine]] = []
            var rows = inside.y
            for i in top..<col.count {
                guard rows < inside.maxY else { break }
                let lines = card(i).lines
                shown.append(lines)
                rows += max(1, lines.count) + gap
            }
            let k = ColumnsDrawCache.Key(look: look, top: top, cards: shown)
            if cache.copy(column: index, key: k, quick: quick, into: &buf) {
                laidOut += made.count
                return top
            }
            key = k
        }
        defer { if let key, let cache = drawCache { cache.keep(column: index, key: key, quick: quick, from: buf) } }
        // Focus shows on the top and bottom rules, never on the sides: moving the focus (or a card) to the
        // next column then rewrites two rules, not two whole columns of border cells.
        var b = Border(titleRuns: Sanitizer.runs(col.title, style: ts) + [StyledRun(" \(count)", style: dim)],
                       style: isFocused ? borderFocused : border, chars: isFocused ? .heavyRules : .rounded)
        b.sideStyle = border
        b.fill = fillInside ? text : nil
        let inner = b.render(into: &buf, area: area)
        guard !inner.isEmpty else { return col.offset }
        if col.count == 0 {
            buf.write(emptyText, x: inner.x + 1, y: inner.y, style: dim, maxWidth: inner.width - 1)
            return 0
        }
        let top = key?.top ?? scrollTop()
        var y = inner.y
        let hi = isFocused ? selected : selectedInactive
        var shownWhole = 0
        for i in top..<col.count {
            guard y < inner.maxY else { break }
            let c = card(i)
            let isSel = i == col.selected
            let lines = c.lines.isEmpty ? [[]] : c.lines
            if y + lines.count + gap <= inner.maxY { shownWhole += 1 }
            for line in lines {
                guard y < inner.maxY else { break }
                let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
                var l = line
                if isSel {
                    buf.fill(row, with: Cell(" ", style: hi))
                    l = l.restyled(hi)
                }
                // One column of padding on each side inside the border.
                let w = max(0, inner.width - 2)
                buf.write(TextLayout.truncate(l, width: w), x: inner.x + 1, y: y, maxWidth: w)
                y += 1
            }
            y += gap
        }
        laidOut += made.count
        // Cards hidden above or below: a hint on the border, like a scrollbar would give.
        if top > 0 { buf.write("▲", x: area.maxX - 2, y: area.y, style: b.style) }
        if top + shownWhole < col.count {
            buf.write("▼", x: area.maxX - 2, y: area.maxY - 1, style: b.style)
        }
        return top
    }
}

/// What each column of a `Columns` drew in the last frame and from what. A column whose key is the same draws
/// the same cells (drawing reads nothing else: the key holds its area, the cell under it, its visible cards'
/// lines, scroll, selection, focus, title, counts and styles), so they are copied instead. Owned by one loop.
public final class ColumnsDrawCache {
    /// Everything a column is drawn from but its cards and scroll.
    struct Look: Equatable {
        var area: Rect
        var focused: Bool
        var title: String
        var count: Int
        var total: Int?
        var selected: Int?
        var styles: [Style]
        var fillInside: Bool
        var gap: Int
        var under: Cell
    }

    struct Key: Equatable {
        var look: Look
        var top: Int
        var cards: [[StyledLine]]
        var area: Rect { look.area }
    }

    /// The same column drawn from the same revision of its cards (`BoardColumn.revision`): the cards are not
    /// asked for at all. Its scroll is the input one (`offset`), the top drawn is kept with the entry.
    struct QuickKey: Equatable {
        var look: Look
        var revision: CardsRevision
        var offset: Int
    }

    private var entries: [Int: (key: Key, quick: QuickKey?, cells: [Cell])] = [:]
    /// Columns copied instead of drawn since the cache was made.
    public private(set) var hits = 0
    /// Of those, the ones copied by their cards' revision, without asking for a card.
    public private(set) var quickHits = 0

    public init() {}

    /// Copies the column's last cells into `buf` when they were drawn from the same revision of the same
    /// cards with the same scroll and looks; returns the top card drawn.
    func copy(column: Int, quick: QuickKey, into buf: inout Buffer) -> Int? {
        guard let e = entries[column], e.quick == quick else { return nil }
        put(e.cells, area: e.key.area, into: &buf)
        quickHits += 1
        return e.key.top
    }

    /// Copies the column's last cells into `buf` when `key` is the one they were drawn with (and, drawn from
    /// another revision of the same cards, remembers this one).
    func copy(column: Int, key: Key, quick: QuickKey?, into buf: inout Buffer) -> Bool {
        guard let e = entries[column], e.key == key else { return false }
        put(e.cells, area: key.area, into: &buf)
        if let quick { entries[column]?.quick = quick }
        return true
    }

    private func put(_ cells: [Cell], area a: Rect, into buf: inout Buffer) {
        let w = buf.width
        // Cells are plain data: rows are copied as bytes.
        cells.withUnsafeBufferPointer { src in
            buf.cells.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for row in 0..<a.height { (d + (a.y + row) * w + a.x).update(from: s + row * a.width, count: a.width) }
            }
        }
        hits += 1
    }

    /// Keeps what the column drew in `buf` under `key` (and `quick`, when its cards have a revision).
    func keep(column: Int, key: Key, quick: QuickKey?, from buf: Buffer) {
        let a = key.area, w = buf.width
        let cells = [Cell](unsafeUninitializedCapacity: a.width * a.height) { out, made in
            buf.cells.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress, let d = out.baseAddress else { return }
                for row in 0..<a.height { (d + row * a.width).initialize(from: s + (a.y + row) * w + a.x, count: a.width) }
            }
            made = a.width * a.height
        }
        entries[column] = (key, quick, cells)
    }
}
