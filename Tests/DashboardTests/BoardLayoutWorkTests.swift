import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// A frame's work on the board depends on the terminal's rows, never on how many cards are loaded.
@Suite("Board layout work") struct BoardLayoutWorkTests {
    /// Five columns of `total` cards each, a window of `window` of them loaded from the top, the focused
    /// column's selection at `selected`.
    func state(window: Int, total: Int = 100_000, selected: Int = 0, width: Int = 200, height: Int = 60) -> AppState {
        var s = AppState()
        s.width = width; s.height = height; s.now = Fixture.now
        var id: ID = 0
        let snap = BoardSnapshot(columns: TaskStatus.allCases.map { status in
            let cards = (0..<window).map { i -> CardInfo in
                id += 1
                // Titles of different lengths: cards of two and three rows.
                let title = i % 3 == 0 ? "Refactor the worker pool so that claims never starve #\(i)" : "Fix login #\(i)"
                return CardInfo(task: Fixture.task(id, title, status, priority: 1 + i % 5, assignee: i % 2 == 0 ? "codex" : nil))
            }
            return BoardSnapshot.Column(status: status, cards: cards, windowStart: 0, total: total, selectIndex: nil)
        }, filter: "")
        _ = Updater().update(&s, .boardLoaded(snap))
        var u = Updater()
        for _ in 0..<selected { _ = u.keys(&s, "j") }
        return s
    }

    func laidOut(_ s: AppState, cache: CardLayoutCache = CardLayoutCache()) -> Int {
        _ = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme, cache: cache)
        return cache.laidOut
    }

    @Test("cards laid out per frame stay bounded by the visible rows, whatever the window's size")
    func boundedByVisibleRows() {
        for (w, h) in [(120, 40), (200, 60)] {
            let rows = h - 4  // title and status bars, the columns' borders
            for selected in [0, 15, 60] {
                let small = laidOut(state(window: 30 + selected, selected: selected, width: w, height: h))
                let large = laidOut(state(window: 200, selected: selected, width: w, height: h))
                let huge = laidOut(state(window: 2000, selected: selected, width: w, height: h))
                #expect(large == small, "\(w)x\(h), selection \(selected): 200-card windows lay out \(large), 30-card ones \(small)")
                #expect(huge == large, "\(w)x\(h), selection \(selected): 2000-card windows lay out \(huge), 200-card ones \(large)")
                // Each column: the cards on screen, and at most as many again above them to find the scroll.
                #expect(large <= 5 * 2 * (rows + 1), "\(w)x\(h): \(large) cards laid out for \(rows) rows")
                #expect(large >= 5 * rows / 3, "\(w)x\(h): every visible card is drawn")
            }
        }
    }

    @Test("a selection step lays out no card again; the cache follows a changed card")
    func cachedUntilTheCardChanges() {
        let cache = CardLayoutCache()
        var s = state(window: 200)
        _ = laidOut(s, cache: cache)
        let first = cache.misses
        var u = Updater()
        _ = u.keys(&s, "j")
        _ = laidOut(s, cache: cache)
        #expect(cache.misses == first, "moving the selection inside the screen made no card anew")
        let plain = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer
        #expect(DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme, cache: cache).buffer == plain,
                "a cached frame is the frame")
        s.board.columns[0].cards[0].task.title = "Renamed"
        let renamed = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme, cache: cache).buffer
        #expect(cache.misses == first + 1)
        #expect(renamed.description.contains("Renamed"))
    }

    @Test("a frame with columns copied from the last one is the frame drawn whole, step after step")
    func copiedColumnsDrawTheSame() {
        let cache = CardLayoutCache()
        var s = state(window: 200)
        var u = Updater()
        var theme = Fixture.theme
        var frames = 0
        func check(_ what: String) {
            let copied = DashboardView.render(s, keymap: KeyMap(), theme: theme, cache: cache).buffer
            let drawn = DashboardView.render(s, keymap: KeyMap(), theme: theme, cache: CardLayoutCache()).buffer
            #expect(copied == drawn, "after \(what)")
            frames += 1
        }
        check("the first frame")
        for _ in 0..<3 { _ = u.keys(&s, "j"); check("j") }
        let hitsAfterSteps = cache.columns.hits
        #expect(hitsAfterSteps >= 3 * 4, "a selection step copies the four other columns (\(hitsAfterSteps) copies)")
        _ = u.keys(&s, "l"); check("focus to the next column")
        for i in 0..<40 { _ = u.keys(&s, "j"); check("j #\(i) in the second column, scrolling") }
        for _ in 0..<5 { _ = u.keys(&s, "k"); check("k") }
        _ = u.keys(&s, "h"); check("focus back")
        s.board.columns[1].cards[s.board.columns[1].offset].task.title = "Renamed on another machine"
        check("a visible card renamed in an unfocused column")
        s.board.columns[2].cards[0].latestExecution = .running
        check("a run started on a card")
        let quickBefore = cache.columns.quickHits
        s.board.columns[2].cards[1].task.dueAt = s.now.addingTimeInterval(30)
        check("a due date set on a visible card")
        s.now = s.now.addingTimeInterval(5)
        check("time passed, the card not due yet")
        #expect(cache.columns.quickHits > quickBefore + 4, "unchanged columns are copied by their cards' revision")
        s.now = s.now.addingTimeInterval(60)
        check("time passed: the card is overdue, its column drawn again although its cards did not change")
        s.board.columns[2].cards[1].task.title = "\u{1B}]0;owned\u{7}\u{1B}[2J 日本語👨‍👩‍👧‍👦 e\u{301}\u{0}\u{202E}" + String(repeating: "界", count: 300)
        check("a hostile, wide, overlong title in an unfocused column")
        _ = u.keys(&s, "L"); check("a card moved to the next column")
        s.board.columns[3].total += 1
        check("a column's count grew")
        theme = Fixture.theme.adapted(to: .c16)
        check("another theme")
        _ = u.update(&s, .resized(width: 150, height: 45)); check("a resize")
        _ = u.keys(&s, "j"); check("j after the resize")
        #expect(cache.columns.hits > hitsAfterSteps + 4 * 40, "columns were copied all along (\(cache.columns.hits) in \(frames) frames)")
    }
}

@Suite("Column model revision") struct ColumnRevisionTests {
    @Test("every change of a column's cards gives a new revision; equality ignores it")
    func revisions() {
        var a = ColumnModel(status: .todo)
        let b = ColumnModel(status: .todo)
        #expect(a == b && a.cardsRevision != b.cardsRevision, "two columns never share a revision")
        var seen: Set<Int> = [a.cardsRevision, b.cardsRevision]
        a.cards.append(CardInfo(task: TaskItem(id: 1, title: "one")))
        #expect(seen.insert(a.cardsRevision).inserted)
        a.cards[0].task.title = "renamed in place"
        #expect(seen.insert(a.cardsRevision).inserted)
        let same = a.cards
        a.cards = same
        #expect(seen.insert(a.cardsRevision).inserted, "a new revision even for the same cards (only equal revisions promise equal cards)")
        let before = a.cardsRevision
        a.selected = 0; a.offset = 0; a.total = 9
        #expect(a.cardsRevision == before, "the scroll and counts are not the cards")
        // `==` is written by hand (to leave the revision out): a new field must join it.
        #expect(Mirror(reflecting: a).children.compactMap(\.label)
                == ["status", "cards", "cardsRevision", "windowStart", "total", "selected", "offset", "selectedId"])
    }
}
