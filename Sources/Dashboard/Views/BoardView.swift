import Foundation
import Core
import Render

/// The Kanban board: five columns, each a window of its cards, the selected card unmistakable.
enum BoardView {
    /// Draws and returns each column's first visible card (absolute), kept so scrolling is stable.
    static let minColumnWidth = 15

    /// Only the cards that may be seen are laid out (the widget asks for them one by one), each through
    /// `cache`, so a frame's work depends on the terminal's rows, not on the loaded windows.
    static func render(_ s: AppState, theme: Theme, cache: CardLayoutCache, into buf: inout Buffer, area: Rect) -> [Int] {
        render(s, theme: theme, cache: cache, into: &buf, area: area).offsets
    }

    /// The same, with the columns' card areas (regions the terminal may scroll as a whole).
    static func render(_ s: AppState, theme: Theme, cache: CardLayoutCache, into buf: inout Buffer,
                       area: Rect) -> (offsets: [Int], cardAreas: [Rect]) {
        let visible = max(1, min(s.board.columns.count, area.width / minColumnWidth))
        let textWidth = max(4, area.width / visible - 4)  // border and one column of padding each side
        let titleBudget = area.width / visible - 6  // corners, rules and spaces around the title
        cache.startFrame(theme: theme)
        let now = s.now
        let columns = s.board.columns.map { c -> BoardColumn in
            let cards = c.cards
            var column = BoardColumn(title: title(c.status, count: c.total, budget: titleBudget), count: cards.count,
                                     card: { cache.card(cards[$0], width: textWidth, now: now) { card($0, theme: theme, now: now, width: textWidth) } },
                                     selected: c.selectedCard != nil ? c.selected - c.windowStart : nil,
                                     offset: max(0, c.offset - c.windowStart), total: c.total,
                                     titleStyle: theme.taskStatus(c.status.rawValue).with(bold: true))
            // A card is drawn from its task, the text width, the theme, and whether it is overdue, which only
            // time changes: the overdue cards are counted (a count that only grows while the cards stay the same).
            let overdue = cards.reduce(0) { n, card in card.task.dueAt.map { $0 < now } == true ? n + 1 : n }
            column.revision = CardsRevision(c.cardsRevision, overdue, cache.themeGeneration, textWidth)
            return column
        }
        var widget = Columns(columns: columns, focused: s.board.focused, theme: theme)
        widget.minColumnWidth = minColumnWidth
        // The dashboard's buffer starts cleared with the theme's background; the insides need no second clear
        // unless the text style has a background of its own.
        widget.fillInside = theme[.text].bg != theme[.background].bg
        widget.emptyText = s.board.loaded ? (s.board.filter.isEmpty ? "(empty)" : "(no match)") : "loading…"
        widget.drawCache = cache.columns
        var laidOut = 0
        let offsets = widget.render(into: &buf, area: area, laidOut: &laidOut)
        cache.laidOut = laidOut
        return (offsets.enumerated().map { i, o in o + s.board.columns[i].windowStart }, widget.cardAreas(area))
    }

    /// A line without its trailing blanks (before an ellipsis is added).
    static func trimmed(_ line: StyledLine) -> StyledLine {
        var l = line
        while let last = l.last {
            let t = String(last.text.reversed().drop { $0 == " " }.reversed())
            if t.isEmpty { l.removeLast(); continue }
            l[l.count - 1].text = t
            break
        }
        return l
    }

    /// The column's name, shortened when its name and count would not fit on the border.
    static func title(_ status: TaskStatus, count: Int, budget: Int) -> String {
        let full = status.title
        if full.count + 1 + String(count).count <= budget { return full }
        switch status {
        case .inProgress: return "In Prog"
        case .cancelled: return "Cancel"
        default: return full
        }
    }

    /// Priority and title (wrapped to two lines at most), then assignee, due date, subtasks, dependencies, last run.
    static func card(_ c: CardInfo, theme: Theme, now: Date, width: Int) -> BoardCard {
        let t = c.task
        let head: StyledLine = [Styled.literal("P\(t.priority) ", theme.priority(t.priority))] + Styled.untrusted(t.title, theme[.text])
        var titleLines = TextLayout.wrap(head, width: max(4, width))
        if titleLines.count > 2 {
            titleLines = [titleLines[0], TextLayout.truncate(trimmed(titleLines[1]) + [Styled.literal(" …", theme[.text])], width: width)]
        }
        var meta: StyledLine = []
        let dim = theme[.textDim]
        func add(_ runs: StyledLine) {
            if !meta.isEmpty { meta.append(Styled.literal("  ", dim)) }
            meta += runs
        }
        if let e = c.latestExecution, c.awaitsDecision && e.isActive {
            add(ExecutionsView.needsInput(theme))
        } else if let e = c.latestExecution {
            let mark = e == .running || e == .cancelling ? "▶ " : (e == .succeeded ? "✓ " : (e == .queued ? "◷ " : "✗ "))
            let label = e == .queued && c.waitsUntil != nil ? "waits for limit reset \(Dates.clock(c.waitsUntil!))"
                : e.rawValue.replacingOccurrences(of: "_", with: " ")
            add([Styled.literal(mark + label, theme.executionStatus(e.rawValue))])
        }
        // Most urgent first: the line is cut at the column's edge.
        if let due = t.dueAt {
            let overdue = due < now && t.status != .done && t.status != .cancelled
            add([Styled.literal((overdue ? "! due " : "due ") + Dates.day(due), overdue ? theme[.overdue] : dim)])
        }
        if c.unmetDependencies > 0 { add([Styled.literal("⛓ \(c.unmetDependencies)", theme[.warning])]) }
        if let auto = c.autoRun, t.autoRunExecutionId == nil { add([Styled.literal("⏵ ", theme[.execQueued])] + Styled.untrusted(auto, dim)) }
        if c.subtasksTotal > 0 { add([Styled.literal("☰ \(c.subtasksDone)/\(c.subtasksTotal)", dim)]) }
        // Cost before the assignee (who is usually the agent of the last run anyway), but only when it fits
        // whole: it never clips the facts before it, and narrow columns stay as they were.
        // (Formatted only when there is a cost: String(format:) on every card of every frame showed in the key
        // to frame time.)
        if c.costUsd > 0 {
            let cost = String(format: "$%.2f", c.costUsd)
            if meta.displayWidth + (meta.isEmpty ? 0 : 2) + cost.count <= width { add([Styled.literal(cost, dim)]) }
        }
        if let a = t.assigneeSlug { add(Styled.untrusted("@" + a, dim)) }
        return BoardCard(lines: titleLines + [meta.isEmpty ? [Styled.literal("#\(t.id)", dim)] : meta])
    }
}

/// Cards already laid out, kept until the card (or the width, the theme, or whether it is overdue) changes:
/// a selection step or a card move lays out again only the cards that changed. Owned by the loop (one
/// thread); a view given a fresh one draws the same, only slower. It remembers at most `limit` cards.
public final class CardLayoutCache {
    struct Entry {
        var info: CardInfo
        var width: Int
        var overdue: Bool
        var card: BoardCard
    }

    static let limit = 4096
    private var entries: [ID: Entry] = [:]
    /// The columns as last drawn: a column whose cards, scroll and selection did not change is copied.
    public let columns = ColumnsDrawCache()
    private var theme: Theme?
    /// Cards the last board frame asked for (visible, or looked at to scroll): bounded by the visible rows.
    public internal(set) var laidOut = 0
    /// Cards laid out anew (not found in the cache) since the cache was made.
    public private(set) var misses = 0

    public init() {}

    /// Changes with the theme (cards draw in its styles).
    private(set) var themeGeneration = 0

    func startFrame(theme t: Theme) {
        if theme != t { entries.removeAll(); theme = t; themeGeneration += 1 }
        if entries.count > Self.limit { entries.removeAll() }
    }

    /// Whether two versions of a card draw the same: only what `BoardView.card` shows is compared (the whole
    /// task, with its input context and dates, cost more than the layout it saved).
    static func looksSame(_ a: CardInfo, _ b: CardInfo) -> Bool {
        let x = a.task, y = b.task
        return x.id == y.id && x.priority == y.priority && x.status == y.status && x.dueAt == y.dueAt
            && x.title == y.title && x.assigneeSlug == y.assigneeSlug && a.unmetDependencies == b.unmetDependencies
            && a.subtasksDone == b.subtasksDone && a.subtasksTotal == b.subtasksTotal
            && a.latestExecution == b.latestExecution && a.costUsd == b.costUsd && a.waitsUntil == b.waitsUntil && a.autoRun == b.autoRun
            && a.awaitsDecision == b.awaitsDecision
    }

    func card(_ info: CardInfo, width: Int, now: Date, make: (CardInfo) -> BoardCard) -> BoardCard {
        let overdue = info.task.dueAt.map { $0 < now } ?? false
        if let e = entries[info.task.id], e.width == width, e.overdue == overdue, Self.looksSame(e.info, info) { return e.card }
        misses += 1
        let c = make(info)
        entries[info.task.id] = Entry(info: info, width: width, overdue: overdue, card: c)
        return c
    }
}
