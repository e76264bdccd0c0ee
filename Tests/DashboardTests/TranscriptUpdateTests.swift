import Foundation
import Testing
import Core
import Storage
import Render
import Terminal
@testable import Dashboard

/// The transcript screen without a terminal or a database: windows in, state and effects out, and the frames.
@Suite("Transcript screen") struct TranscriptUpdateTests {
    static let sessionId: ID = 7

    static func message(_ id: ID, _ role: MessageRole, _ kind: MessageKind = .message, _ content: String, parent: ID? = nil,
                        error: Bool = false, tokens: (Int64, Int64) = (0, 0)) -> Message {
        Message(id: id, sessionId: sessionId, parentId: parent, seq: id, role: role, kind: kind, content: content,
                inputTokens: tokens.0, outputTokens: tokens.1, isError: error, createdAt: Fixture.now)
    }

    /// A call with its result (and optionally a sub-agent), as the repository assembles it.
    static func call(_ id: ID, _ tool: String, input: String, result: String, error: Bool = false, sub: SubSessionSummary? = nil) -> TranscriptItem {
        let t = ToolCall(id: id, sessionId: sessionId, messageId: id, toolName: tool, input: input, output: result,
                         status: error ? .error : .success, durationMs: 1200)
        let r = message(id + 1, .tool, .observation, result, parent: id, error: error)
        return TranscriptItem(message: message(id, .assistant, .action, "\(tool) \(input)", tokens: (5200, 310)), contentLength: 0,
                              toolCall: t, results: [TranscriptItem(message: r, contentLength: r.content.count)], subSession: sub)
    }

    static func text(_ id: ID, _ role: MessageRole, _ content: String, kind: MessageKind = .message) -> TranscriptItem {
        TranscriptItem(message: message(id, role, kind, content), contentLength: content.count)
    }

    static let sub = SubSessionSummary(id: 9, title: "Survey views", status: .completed, messageCount: 2, tokens: 1200, costUsd: 0.02)
    static let items: [TranscriptItem] = [
        text(1, .user, "Find the N+1 queries."),
        text(2, .assistant, "Probably a loop over projects.\nCheck the views.\nThen the serializers.\nAnd the templates.", kind: .thought),
        call(3, "Grep", input: "{\n  \"pattern\": \".all()\"\n}", result: (1...20).map { "app/views/v\($0).py:\($0)" }.joined(separator: "\n")),
        call(5, "Task", input: "{\"prompt\": \"survey\"}", result: "two more", sub: sub),
        call(7, "Bash", input: "{\"command\": \"pytest\"}", result: "1 failed, 17 passed", error: true),
        text(9, .assistant, "Fixed: three queries now."),
    ]

    static func header(pending: ToolCall? = nil) -> TranscriptHeader {
        TranscriptHeader(session: Session(id: sessionId, title: "Remove N+1 queries", agentId: 1, status: .completed, inputTokens: 26_800,
                                          outputTokens: 970, costUsd: 0.131),
                         agentSlug: "claude", taskTitle: "N+1 on the dashboard", pendingConfirmation: pending, messageCount: 9)
    }

    static func opened(width: Int = 80, height: Int = 24, hasAfter: Bool = false, items: [TranscriptItem] = items) -> (Updater, AppState) {
        var u = Updater()
        var s = Fixture.state(width: width, height: height)
        s.sessions.rows = [SessionRow(session: header().session, agentSlug: "claude", taskTitle: nil, messageCount: 9)]
        s.screen = .sessions
        #expect(u.keys(&s, "enter") == [.loadTranscript(sessionId, anchor: .start)])
        #expect(s.screen == .transcript)
        _ = u.update(&s, .transcriptLoaded(TranscriptLoad(header: header(), page: TranscriptPage(items: items, hasBefore: false, hasAfter: hasAfter),
                                                          anchor: .start, focusSeq: nil)))
        return (u, s)
    }

    static func screen(_ s: AppState) -> String {
        DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined(separator: "\n")
    }

    @Test func opensFromTheSessionsScreenWithTheTreeAndTotals() throws {
        let (_, s) = Self.opened(width: 100, height: 40)
        let text = Self.screen(s)
        #expect(s.transcript.selected == .message(1))
        #expect(text.contains("#7 claude · Remove N+1 queries") && text.contains("in 26.8k · out 970 · $0.13"))
        #expect(text.contains("● Grep ✓ 1.2s") && text.contains("↑5.2k ↓310"), "per-turn usage on the call")
        #expect(text.contains("  ▾ ↳ result") || text.contains("  ▸ ↳ result"), "the result is nested under its call")
        #expect(text.contains("… 14 more lines"), "a long result is folded to a few lines with a count")
        #expect(text.contains("▸ ⤷ sub-agent Survey views"), "the sub-agent hangs under its call, folded")
        #expect(text.contains("✗ failed") && text.contains("✗ error"))
        try expectSnapshot(DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer, named: "transcript-100x40")
    }

    @Test func spaceFoldsOneNodeAndZFoldsAll() {
        var (u, s) = Self.opened(width: 100, height: 40)
        _ = u.keys(&s, "]")
        #expect(s.transcript.selected == .message(3))
        _ = u.keys(&s, "space")
        var text = Self.screen(s)
        #expect(text.contains("▸ ● Grep") && !text.contains("app/views/v1.py"), "folded: the call's input and result are hidden")
        _ = u.keys(&s, "space")
        text = Self.screen(s)
        #expect(text.contains("app/views/v1.py") && !text.contains("app/views/v20.py"), "unfolded: the result as it was, folded to a few lines")
        _ = u.keys(&s, "j", "space")
        #expect(Self.screen(s).contains("app/views/v20.py"), "Space on the result shows all of it")
        _ = u.keys(&s, "z")
        text = Self.screen(s)
        #expect(!text.contains("↳ result") && text.contains("▸ you  Find the N+1 queries."))
        _ = u.keys(&s, "Z")
        #expect(u.keys(&s, "Z").contains(.loadSubTranscript(9)), "unfolding everything loads the sub-agent")
        _ = u.update(&s, .subTranscriptLoaded(9, SubTranscript(items: [Self.text(20, .user, "list the lazy loads")], more: 0)))
        let sub = TranscriptTree.visible(s.transcript).first { $0.key == .message(20) }
        #expect(sub?.depth == 2 && sub?.parent == .subSession(9), "nested under the sub-agent, under its call")
    }

    @Test func jumpsBetweenToolCallsAndErrorsInTheWindow() {
        var (u, s) = Self.opened()
        #expect(u.keys(&s, "]").isEmpty)
        #expect(s.transcript.selected == .message(3))
        _ = u.keys(&s, "]")
        #expect(s.transcript.selected == .message(5))
        _ = u.keys(&s, "[")
        #expect(s.transcript.selected == .message(3))
        _ = u.keys(&s, "e")
        #expect(s.transcript.selected == .message(7), "the call that failed")
        _ = u.keys(&s, "e")
        #expect(s.transcript.selected == .message(8), "then its result")
        _ = u.keys(&s, "e")
        #expect(s.transcript.notice == "no more errors")
        _ = u.keys(&s, "E")
        #expect(s.transcript.selected == .message(7))
    }

    @Test func beyondTheWindowTheDataThreadSeeksAndTheMatchIsSelected() {
        var (u, s) = Self.opened(hasAfter: true)
        _ = u.keys(&s, "G")  // more after: G asks for the end
        #expect(s.transcript.loading)
        s.transcript.loading = false
        s.transcript.selected = .message(9)
        #expect(u.keys(&s, "]") == [.loadTranscript(Self.sessionId, anchor: .seek(.toolCall, from: 9, forward: true))])
        let far = Self.call(500, "Edit", input: "{}", result: "ok")
        _ = u.update(&s, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: [Self.text(499, .user, "x"), far], hasBefore: true, hasAfter: false),
                                                          anchor: .seek(.toolCall, from: 9, forward: true), focusSeq: 500)))
        #expect(s.transcript.selected == .message(500))
        // A search whose match is in a result selects the result and opens its call.
        _ = u.keys(&s, "/")
        for c in "ok" { _ = u.update(&s, .key(.char(c))) }
        _ = u.keys(&s, "enter")
        #expect(s.transcript.selected == .message(501) && s.transcript.search == "ok")
        // A match in the hidden part of a folded thought: the thought opens so the match shows.
        let thought = Self.text(600, .assistant, "one\ntwo\nthree\nfour\nfive: the needle", kind: .thought)
        _ = u.update(&s, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: [far, thought], hasBefore: false, hasAfter: false),
                                                          anchor: .around(500), focusSeq: nil)))
        #expect(!Self.screen(s).contains("the needle"), "folded to a preview at first")
        _ = u.keys(&s, "g", "/", "backspace", "backspace")  // the line starts with the last search
        for c in "needle" { _ = u.update(&s, .key(.char(c))) }
        _ = u.keys(&s, "enter")
        #expect(s.transcript.selected == .message(600) && Self.screen(s).contains("five: the needle"))
    }

    /// `/` from the end goes on from the top, as in vim, and says so; in the window when it holds the other end,
    /// else through the data thread (from seq 0, or from the last for `N`).
    @Test func aTextSearchWrapsAroundTheSession() {
        var (u, s) = Self.opened()
        _ = u.keys(&s, "/")
        for c in "queries" { _ = u.update(&s, .key(.char(c))) }
        _ = u.keys(&s, "enter")
        #expect(s.transcript.selected == .message(9) && s.transcript.notice == nil, "\"three queries now.\"")
        _ = u.keys(&s, "n")
        #expect(s.transcript.selected == .message(1) && s.transcript.notice == "search hit BOTTOM, continuing at TOP")
        _ = u.keys(&s, "N")
        #expect(s.transcript.selected == .message(9) && s.transcript.notice == "search hit TOP, continuing at BOTTOM")
        _ = u.keys(&s, "n")
        #expect(s.transcript.selected == .message(1))
        _ = u.keys(&s, "n")
        #expect(s.transcript.selected == .message(9) && s.transcript.notice == nil)
        // Errors and tool calls do not wrap.
        _ = u.keys(&s, "e")
        #expect(s.transcript.notice == "no more errors")

        // A window that does not hold the start: the data thread looks from the top.
        var (u2, s2) = Self.opened()
        s2.transcript.page.hasBefore = true
        s2.transcript.selected = .message(9)
        _ = u2.keys(&s2, "/")
        for c in "queries" { _ = u2.update(&s2, .key(.char(c))) }
        #expect(u2.keys(&s2, "enter") == [.loadTranscript(Self.sessionId, anchor: .seek(.text("queries"), from: 0, forward: true))])
        let first = Self.text(1, .user, "Find the N+1 queries.")
        _ = u2.update(&s2, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: [first], hasBefore: false, hasAfter: true),
                                                            anchor: .seek(.text("queries"), from: 0, forward: true), focusSeq: 1)))
        #expect(s2.transcript.selected == .message(1) && s2.transcript.notice == "search hit BOTTOM, continuing at TOP")
        // Beyond the window nothing more: the same search from the top; nothing there either: said once, no loop.
        let more = u2.update(&s2, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: [first], hasBefore: false, hasAfter: true),
                                                                   anchor: .seek(.text("zebra"), from: 40, forward: true), focusSeq: nil)))
        #expect(more == [.loadTranscript(Self.sessionId, anchor: .seek(.text("zebra"), from: 0, forward: true))])
        let none = u2.update(&s2, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: [first], hasBefore: false, hasAfter: true),
                                                                   anchor: .seek(.text("zebra"), from: 0, forward: true), focusSeq: nil)))
        #expect(none.isEmpty && s2.transcript.notice == "no more matches for \"zebra\"")
    }

    @Test func scrollingNearTheEdgeLoadsTheNextWindowAndKeepsTheSelection() {
        let many = (1...120).map { Self.text(Int64($0), .assistant, "line \($0)") }
        var (u, s) = Self.opened(hasAfter: true, items: many)
        var effects: [Effect] = []
        for _ in 0..<85 { effects += u.keys(&s, "j") }
        #expect(effects == [.loadTranscript(Self.sessionId, anchor: .around(81))], "one request, at the margin")
        #expect(s.transcript.selected == .message(86))
        let next = (40...200).map { Self.text(Int64($0), .assistant, "line \($0)") }
        _ = u.update(&s, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: next, hasBefore: true, hasAfter: true),
                                                          anchor: .around(81), focusSeq: nil)))
        #expect(s.transcript.selected == .message(86))
        #expect(Self.screen(s).contains("line 86"))
        // The view shows only what fits, and the selected header is on it.
        _ = u.keys(&s, "ctrl-d")
        #expect(Self.screen(s).contains("line \(s.transcript.selected.map { if case .message(let id) = $0 { return id }; return 0 }!)"))
    }

    @Test func theEndFillsThePaneUpToTheLastLine() {
        let many = (1...120).map { Self.text(Int64($0), .assistant, "line \($0)") }
        var (u, s) = Self.opened(hasAfter: true, items: many)
        #expect(u.keys(&s, "G") == [.loadTranscript(Self.sessionId, anchor: .end)])
        let last = (900...1000).map { Self.text(Int64($0), .assistant, "line \($0)") }
        _ = u.update(&s, .transcriptLoaded(TranscriptLoad(header: Self.header(), page: TranscriptPage(items: last, hasBefore: true, hasAfter: false),
                                                          anchor: .end, focusSeq: nil)))
        #expect(s.transcript.selected == .message(1000))
        // As `G` in less: the last line on the pane's last row, the pane full above it (not the last message
        // alone at the top of an empty pane).
        let pane = Self.screen(s).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let shown = pane.filter { $0.contains("line 9") || $0.contains("line 1000") }
        #expect(shown.count >= 8, "\(Self.screen(s))")
        #expect(pane.contains { $0.contains("line 992") }, "\(Self.screen(s))")
        // Within one window too: G at its end keeps the pane full.
        _ = u.keys(&s, "g"); _ = u.keys(&s, "G")
        #expect(Self.screen(s).contains("line 992") && Self.screen(s).contains("line 1000"))
    }

    @Test func escapeGoesBackFromASubAgentToItsParentThenToTheList() {
        var (u, s) = Self.opened()
        _ = u.keys(&s, "]", "]", "j")
        #expect(s.transcript.selected == .subSession(9), "the sub-agent comes right under its call, before the result")
        // Space opens it inline; the line standing in while it loads gives way to its first message.
        #expect(u.keys(&s, "space") == [.loadSubTranscript(9)])
        _ = u.keys(&s, "j")
        #expect(s.transcript.selected == .more(9))
        _ = u.update(&s, .subTranscriptLoaded(9, SubTranscript(items: [Self.text(20, .user, "list the lazy loads")], more: 0)))
        #expect(s.transcript.selected == .message(20))
        _ = u.keys(&s, "k")
        #expect(u.keys(&s, "enter") == [.loadTranscript(9, anchor: .start)], "Enter opens the sub-agent's own transcript")
        #expect(s.transcript.back == [Self.sessionId])
        #expect(u.keys(&s, "escape") == [.loadTranscript(Self.sessionId, anchor: .start)])
        #expect(s.transcript.back.isEmpty && s.screen == .transcript)
        #expect(u.keys(&s, "escape") == [.loadSessions(filter: ""), .loadUsage])
        #expect(s.screen == .sessions)
    }

    @Test func hostileTextIsShownHarmlessly() throws {
        let evil = Self.text(1, .assistant, "hi \u{1B}]0;pwned\u{07}\u{1B}[2J there")
        let (_, s) = Self.opened(items: [evil])
        let text = Self.screen(s)
        #expect(!text.contains("\u{1B}") && text.contains("hi ^[]0…^[[2J there"), "escapes made visible, the title payload dropped")
        // A tool's colours are kept as styles, as in the log tail.
        let coloured = Self.call(3, "Bash", input: "{}", result: "plain \u{1B}[31mred\u{1B}[0m plain")
        let (_, t) = Self.opened(width: 60, height: 12, items: [coloured])
        let buffer = DashboardView.render(t, keymap: KeyMap(), theme: Fixture.theme).buffer
        let row = try #require(buffer.lines.firstIndex { $0.contains("plain red plain") })
        let x = try #require(buffer.lines[row].range(of: "red")).lowerBound.utf16Offset(in: buffer.lines[row])
        #expect(buffer[x, row].style.fg == .ansi(1) && buffer[x - 2, row].style.fg != .ansi(1))
    }

    @Test func pendingConfirmationIsNamedAtTheTop() {
        var (u, s) = Self.opened()
        let pending = ToolCall(id: 40, sessionId: Self.sessionId, toolName: "Bash", input: "{\"command\": \"migrate\"}", requiresConfirmation: true)
        _ = u.update(&s, .transcriptLoaded(TranscriptLoad(header: Self.header(pending: pending), page: TranscriptPage(items: Self.items, hasBefore: false, hasAfter: false),
                                                          anchor: .around(1), focusSeq: nil)))
        #expect(Self.screen(s).contains("⚠ waiting for you: Bash {\"command\": \"migrate\"}"))
    }

    @Test func sessionsFilterNarrowsAsTyped() {
        var u = Updater()
        var s = Fixture.state()
        s.screen = .sessions
        let a = Session(id: 1, title: "Refresh endpoint", agentId: 1, status: .running)
        let b = Session(id: 2, title: "Webhook retries", agentId: 2, status: .failed)
        let ra = SessionRow(session: a, agentSlug: "claude", taskTitle: nil, messageCount: 2)
        let rb = SessionRow(session: b, agentSlug: "codex", taskTitle: "Retry", messageCount: 3)
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [ra, rb], total: 1500, filter: "")))
        #expect(Self.screen(s).contains("Sessions 2 newest of 1500"))
        _ = u.keys(&s, "/")
        var asked: [Effect] = []
        for c in "codex" { asked += u.update(&s, .key(.char(c))) }
        #expect(s.sessions.shown.map(\.session.id) == [2], "the loaded rows narrow at once")
        #expect(asked.last == .loadSessions(filter: "codex"), "and the database is asked (older sessions too)")
        // An answer to an older filter is dropped; the current one replaces the rows.
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [ra, rb], total: 2, filter: "cod")))
        #expect(s.sessions.shown.map(\.session.id) == [2] && s.sessions.total == 1500)
        let old = SessionRow(session: Session(id: 99, title: "Older codex run", agentId: 2, status: .completed), agentSlug: "codex",
                             taskTitle: nil, messageCount: 1)
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [rb, old], total: 2, filter: "codex")))
        #expect(s.sessions.shown.map(\.session.id) == [2, 99])
        _ = u.keys(&s, "enter")
        #expect(u.keys(&s, "enter") == [.loadTranscript(2, anchor: .start)])
    }

    @Test func everySizeDrawsWithinTheScreenAndKeysKeepTheSelectionOnIt() {
        for (w, h) in [(20, 5), (40, 10), (60, 20), (80, 24), (200, 60)] {
            var (u, s) = Self.opened(width: w, height: h)
            for key in ["j", "j", "ctrl-d", "space", "]", "e", "Z", "ctrl-d", "ctrl-d", "G", "ctrl-u", "k", "z", "g"] {
                _ = u.keys(&s, key)
                let buffer = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer
                let lines = buffer.lines
                #expect(lines.count == h && lines.allSatisfy { DisplayWidth.of($0) <= w }, "\(w)x\(h) after \(key)")
                // The selected node's header is on screen: one pane row drawn in the selection style…
                guard h >= 8 else { continue }
                let selectedRows = (3..<(h - 2)).filter { y in (2..<(w - 2)).allSatisfy { buffer[$0, y].style == Fixture.theme[.selected] } }
                // …or, reading inside a node taller than the pane, that node is the selected one.
                let insideTall = s.transcript.top == s.transcript.selected && s.transcript.topRow > 0 && selectedRows.isEmpty
                #expect(selectedRows.count == 1 || insideTall, "\(w)x\(h) after \(key)")
            }
        }
    }

    @Test func tokenCountsReadShort() {
        let cases: [(Int64, String)] = [(0, "0"), (999, "999"), (1000, "1.0k"), (5249, "5.2k"), (26_800, "26.8k"), (999_949, "999.9k"),
                                        (999_950, "1.0M"), (1_250_000, "1.3M"), (120_000_000, "120.0M")]
        for (n, text) in cases { #expect(TranscriptLines.tokens(n) == text, "\(n)") }
    }

    @Test func oneHugeLineIsPreviewedInAFewRowsAndShownWhole() {
        let minified = "{" + (1...5000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        let big = Self.call(3, "Read", input: "{}", result: minified)
        var (u, s) = Self.opened(width: 80, height: 24, items: [big])
        let result = TranscriptTree.visible(s.transcript).first { $0.key == .message(4) }!
        let preview = TranscriptLines.lines(result, s.transcript, width: 76, theme: Fixture.theme)
        #expect(preview.count == 1 + TranscriptTree.autoResultLines + 1, "header, a few rows, and what is left")
        #expect(preview.last.map { $0.map(\.text).joined() }?.contains("the rest of this line") == true)
        _ = u.keys(&s, "j", "j", "space")
        #expect(s.transcript.selected == .message(4))
        let whole = TranscriptLines.lines(result, s.transcript, width: 76, theme: Fixture.theme)
        #expect(whole.count > 500, "Space shows all of it: \(whole.count) rows")
        #expect(TranscriptLines.height(result, s.transcript, width: 76, limit: 30) == 30, "measuring stops at the limit")
    }
}
