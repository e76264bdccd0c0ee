import Foundation
import Testing
import Core
import Render
@testable import Dashboard

@Suite("Search everything (S)") struct SearchAllTests {
    static let hit = SearchHit(sessionId: 4, sessionTitle: "Webhook \u{1B}]0;pwned\u{7}retry", agent: "codex", messageId: 120, seq: 9, kind: .toolOutput,
                               createdAt: Fixture.now.addingTimeInterval(-60), snippet: "…the retry schedule fails", highlights: [5..<10])

    @Test func typeSearchChooseAndOpenAtTheMessage() {
        var u = Updater()
        var s = Fixture.state()
        #expect(u.keys(&s, "S").isEmpty)
        guard case .searchAll? = s.topOverlay else { Issue.record("no search overlay"); return }
        #expect(u.keys(&s, "enter").isEmpty, "nothing to search for")
        guard case .searchAll(let empty)? = s.topOverlay else { return }
        #expect(empty.error?.contains("nothing to search for") == true)
        for c in "retry" { _ = u.update(&s, .key(.char(c))) }
        #expect(u.keys(&s, "enter") == [.searchAll("retry", limit: SearchAllModel.limit)])
        _ = u.update(&s, .searchLoaded(query: "old", .success([])))  // a stale answer is ignored
        _ = u.update(&s, .searchLoaded(query: "retry", .success([Self.hit, Self.hit])))
        guard case .searchAll(let m)? = s.topOverlay else { return }
        #expect(m.hits.count == 2 && !m.loading)
        let screen = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
        #expect(screen.contains("Search everything") && screen.contains("the retry schedule fails") && !screen.contains("\u{1B}"))
        _ = u.keys(&s, "down")
        #expect(u.keys(&s, "enter") == [.loadTranscript(4, anchor: .around(9))])
        #expect(s.screen == .transcript && s.overlays.isEmpty && s.transcript.sessionId == 4 && s.transcript.selected == .message(120))
    }

    /// Imported rows still waiting for the index (migration 019): the answer says the newest may hold more.
    @Test func anAnswerBeforeTheIndexCaughtUpSaysSo() {
        var u = Updater()
        var s = Fixture.state()
        _ = u.keys(&s, "S")
        for c in "retry" { _ = u.update(&s, .key(.char(c))) }
        _ = u.keys(&s, "enter")
        func screen() -> String { DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n") }
        var other = Self.hit, older = Self.hit
        other.messageId = 7; other.snippet = "…an older retry"
        older.messageId = 3
        #expect(u.update(&s, .searchLoaded(query: "retry", .success([Self.hit, older]), complete: false)) == [.searchAll("retry", limit: SearchAllModel.limit)],
                "the same search again: the data thread indexes a stretch more")
        #expect(screen().contains("Indexing imported transcripts") && screen().contains("the retry schedule fails"))
        func selected() -> Int { if case .searchAll(let m)? = s.topOverlay { return m.selected }; return -1 }
        _ = u.update(&s, .searchLoaded(query: "retry", .success([other, Self.hit, older]), complete: false))
        #expect(selected() == 0, "untouched, the choice stays on the first")
        _ = u.keys(&s, "down"); _ = u.keys(&s, "down")
        _ = u.update(&s, .searchLoaded(query: "retry", .success([other, Self.hit, other, older]), complete: false))
        #expect(selected() == 3, "a hit moved to stays chosen as hits fill in")
        #expect(u.update(&s, .searchLoaded(query: "retry", .success([other, Self.hit]))).isEmpty)
        #expect(!screen().contains("Indexing imported") && screen().contains("an older retry"))
        // An answer to a query no longer asked starts nothing.
        _ = u.update(&s, .key(.char("s")))
        _ = u.keys(&s, "enter")
        #expect(u.update(&s, .searchLoaded(query: "retry", .success([]), complete: false)).isEmpty)
    }

    @Test func anUnsearchableQueryFromTheDataThreadIsOneLine() {
        var u = Updater()
        var s = Fixture.state()
        _ = u.keys(&s, "S")
        for c in "x" { _ = u.update(&s, .key(.char(c))) }
        _ = u.keys(&s, "enter")
        _ = u.update(&s, .searchLoaded(query: "x", .failure(SearchFailure("the search is too long"))))
        guard case .searchAll(let m)? = s.topOverlay else { Issue.record("closed"); return }
        #expect(m.error == "the search is too long" && m.hits.isEmpty)
        _ = u.keys(&s, "escape")
        #expect(s.overlays.isEmpty)
    }

    @Test func snippetRunsHighlightTheMatches() {
        let runs = SearchAllView.snippet(Self.hit, plain: Style(), match: Style().with(bold: true))
        #expect(runs.map(\.text).joined() == Self.hit.snippet)
        #expect(runs.filter { $0.style.bold }.map(\.text) == ["retry"])
    }
}
