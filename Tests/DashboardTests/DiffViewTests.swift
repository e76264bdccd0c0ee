import Foundation
import Testing
import Core
import Render
@testable import Dashboard

/// `v`: the diff of a worktree run, its keys (n/N hunks, c comment, M merge) and how it is drawn.
@Suite("Diff view") struct DiffViewTests {
    /// Two files, the second with a hostile line (an escape sequence that would clear the screen).
    static let text = """
        diff --git a/notes.txt b/notes.txt
        --- a/notes.txt
        +++ b/notes.txt
        @@ -1,2 +1,2 @@
        -original
        +changed by the agent
         kept
        @@ -10 +10,2 @@ func tail()
         ten
        +eleven
        diff --git a/evil\u{1B}[2J.txt b/evil\u{1B}[2J.txt
        new file mode 100644
        --- /dev/null
        +++ b/evil\u{1B}[2J.txt
        @@ -0,0 +1 @@
        +\u{1B}]0;pwned\u{07}boom
        """

    static func load(status: ExecutionStatus = .succeeded) -> DiffLoad {
        DiffLoad(executionId: 21, taskId: 1, taskTitle: "Rate limit the public search API", status: status,
                 branch: "agentmon/task-1-rate-limit-the-public-search-api", baseBranch: "main", files: UnifiedDiff.parse(text))
    }

    /// The board with `v` pressed on its first card and the diff loaded.
    static func opened(status: ExecutionStatus = .succeeded) -> (AppState, [Effect]) {
        var s = Fixture.state(width: 100, height: 30)
        var u = Updater()
        let effects = u.keys(&s, "v")
        _ = u.update(&s, .diffLoaded(taskId: 1, executionId: nil, load(status: status), error: nil))
        return (s, effects)
    }

    static func diff(_ s: AppState) -> DiffModel? { if case .diff(let m)? = s.topOverlay { return m }; return nil }

    @Test("v on a card asks the data thread for its task's diff; the answer fills the view")
    func opens() throws {
        let (s, effects) = Self.opened()
        #expect(effects == [.loadDiff(taskId: 1, executionId: nil)])
        let m = try #require(Self.diff(s))
        #expect(m.load?.files.map(\.path) == ["notes.txt", "evil\u{1B}[2J.txt"])
        #expect(m.hunkRows.count == 3)
        // An answer for another task leaves the view alone.
        var other = s
        _ = Updater().update(&other, .diffLoaded(taskId: 9, executionId: nil, nil, error: "nope"))
        #expect(Self.diff(other) == m)
    }

    @Test("v on a run asks for that run's diff; no worktree is said in the view")
    func onARun() throws {
        var s = Fixture.state(width: 100, height: 30)
        var u = Updater()
        s.screen = .executions
        s.executions.rows = [ExecutionSummary(execution: Execution(id: 21, taskId: 1, agentId: 1, capabilityId: 1, status: .succeeded),
                                              taskTitle: "t", agentSlug: "a", capabilityKey: "k", dangerLevel: 0)]
        #expect(u.keys(&s, "v") == [.loadDiff(taskId: nil, executionId: 21)])
        _ = u.update(&s, .diffLoaded(taskId: nil, executionId: 21, nil, error: "run #21 did not run in a worktree"))
        #expect(Self.diff(s)?.error == "run #21 did not run in a worktree")
        #expect(DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.joined().contains("did not run in a worktree"))
    }

    @Test("n and N walk the hunks; past the last one is refused with why")
    func hunks() throws {
        var (s, _) = Self.opened()
        var u = Updater()
        let rows = try #require(Self.diff(s)).hunkRows
        _ = u.keys(&s, "n")
        #expect(Self.diff(s)?.offset == rows[0])
        _ = u.keys(&s, "n", "n")
        #expect(Self.diff(s)?.offset == rows[2])
        _ = u.keys(&s, "n")
        #expect(Self.diff(s)?.offset == rows[2] && s.status == StatusMessage("no later hunk", .refused))
        _ = u.keys(&s, "N")
        #expect(Self.diff(s)?.offset == rows[1])
        _ = u.keys(&s, "q")
        #expect(s.overlays.isEmpty)
    }

    @Test("c: a message to a live run, a continuation of an ended one")
    func comment() {
        var u = Updater()
        var (ended, _) = Self.opened(status: .succeeded)
        _ = u.keys(&ended, "c")
        #expect(ended.topOverlay == .continuePrompt(executionId: 21, LineEditor()))
        for ch in "rename x" { _ = u.update(&ended, .key(.char(ch))) }
        #expect(u.keys(&ended, "enter") == [.continueExecution(21, prompt: "rename x")])
        var (live, _) = Self.opened(status: .running)
        _ = u.keys(&live, "c")
        #expect(live.topOverlay == .messagePrompt(executionId: 21, LineEditor()))
        for ch in "use y" { _ = u.update(&live, .key(.char(ch))) }
        #expect(u.keys(&live, "enter") == [.sendInput(21, .message, body: "use y")])
    }

    @Test("M asks, then merges the task's branch and closes the view")
    func merge() {
        var (s, _) = Self.opened()
        var u = Updater()
        _ = u.keys(&s, "M")
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no confirmation"); return }
        #expect(c.onYes == [.mergeTask(1)] && c.message.contains("agentmon/task-1-rate-limit-the-public-search-api into main"))
        #expect(u.keys(&s, "y") == [.mergeTask(1)])
        #expect(s.overlays.isEmpty && s.pendingWrites == 1)  // the status line will say how it went
    }

    @Test("drawn: file list with counts, hunks, colours of the theme, hostile text made harmless")
    func rendered() throws {
        let (s, _) = Self.opened()
        let buf = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer
        try expectSnapshot(buf, named: "diff-100x30")
        let lines = buf.lines
        #expect(lines.contains { $0.contains("M notes.txt  +2 -1") })
        for y in 0..<buf.height {
            for x in 0..<buf.width {
                #expect(!buf[x, y].grapheme.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "control character at \(x),\(y)")
            }
        }
        let y = try #require(lines.firstIndex { $0.contains("+changed by the agent") })
        let x = try #require(lines[y].firstRange(of: "+changed")).lowerBound.utf16Offset(in: lines[y])
        #expect(buf[x, y].style.fg == Fixture.theme[.diffAdded].fg)
        let ry = try #require(lines.firstIndex { $0.contains("-original") })
        let rx = try #require(lines[ry].firstRange(of: "-original")).lowerBound.utf16Offset(in: lines[ry])
        #expect(buf[rx, ry].style.fg == Fixture.theme[.diffRemoved].fg)
    }
}
