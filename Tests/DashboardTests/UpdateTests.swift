import Foundation
import Testing
import Core
import Render
import Terminal
@testable import Dashboard

@Suite("Dashboard update") struct UpdateTests {
    var u = Updater()

    @Test mutating func selectionMovesWithVimKeysAndArrows() {
        var s = Fixture.state()
        #expect(s.board.selectedCard?.task.id == 1)
        _ = u.keys(&s, "j", "down")
        #expect(s.board.selectedCard?.task.id == 3)
        _ = u.keys(&s, "j")  // stays on the last card
        #expect(s.board.selectedCard?.task.id == 3)
        _ = u.keys(&s, "k", "l")
        #expect(s.board.focused == 1 && s.board.selectedCard?.task.id == 4)
        _ = u.keys(&s, "right", "right", "right", "right", "l")
        #expect(s.board.focused == 4 && s.board.selectedCard == nil)
        _ = u.keys(&s, "h", "G")
        #expect(s.board.selectedCard?.task.id == 7)
        _ = u.keys(&s, "g")
        #expect(s.board.selectedCard?.task.id == 6)
    }

    @Test mutating func moveRightIsOptimisticAndTheSelectionFollows() {
        var s = Fixture.state()
        _ = u.keys(&s, "j")  // card 2 in Todo
        let effects = u.keys(&s, "L")
        #expect(effects == [.moveTask(2, to: .inProgress, position: 1)])
        #expect(s.board.focused == 1)
        #expect(s.board.selectedCard?.task.id == 2, "the selection follows the moved card")
        #expect(s.board.columns[1].cards.map(\.task.id) == [4, 2])
        #expect(s.board.columns[0].cards.map(\.task.id) == [1, 3])
        #expect(s.board.columns[0].total == 2 && s.board.columns[1].total == 2)
        #expect(s.pendingWrites == 1)
        // The write lands: a reload follows, anchored on the moved card.
        let after = u.update(&s, .written(nil))
        #expect(s.pendingWrites == 0)
        guard case .loadBoard(let anchors, _)? = after.first else { Issue.record("no reload"); return }
        #expect(anchors[.inProgress] == .task(2))
    }

    @Test mutating func reorderInsideAColumn() {
        var s = Fixture.state()
        #expect(u.keys(&s, "J") == [.moveTask(1, to: .todo, position: 1)])
        #expect(s.board.columns[0].cards.map(\.task.id) == [2, 1, 3])
        #expect(s.board.selectedCard?.task.id == 1)
        #expect(u.keys(&s, "K") == [.moveTask(1, to: .todo, position: 0)])
        #expect(u.keys(&s, "K").isEmpty, "already first")
        #expect(s.board.columns[0].cards.map(\.task.id) == [1, 2, 3])
    }

    @Test mutating func startingATaskWithUnmetDependenciesAsksFirst() {
        var s = Fixture.state()
        _ = u.keys(&s, "j", "j")  // card 3 has an unmet dependency
        #expect(u.keys(&s, "L").isEmpty)
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no confirmation"); return }
        #expect(c.message.contains("depends on 1 task"))
        #expect(u.keys(&s, "n").isEmpty)
        #expect(s.overlays.isEmpty && s.board.columns[0].total == 3, "no: nothing moved")
        _ = u.keys(&s, "L")
        #expect(u.keys(&s, "y") == [.moveTask(3, to: .inProgress, position: 1)])
        #expect(s.overlays.isEmpty)
    }

    @Test mutating func aFormKeepsWhatWasTypedUntilItIsSaved() {
        var s = Fixture.state()
        _ = u.keys(&s, "n")
        guard case .form? = s.topOverlay else { Issue.record("no form"); return }
        for c in "Write docs" { _ = u.update(&s, .key(.char(c))) }
        _ = u.keys(&s, "tab")
        for c in "line one" { _ = u.update(&s, .key(.char(c))) }
        _ = u.update(&s, .key(.alt("\r")))
        for c in "line two" { _ = u.update(&s, .key(.char(c))) }
        let effects = u.keys(&s, "enter")
        #expect(effects == [.createTask(NewTaskInput(title: "Write docs", description: "line one\nline two", status: .todo,
                                                     priority: 3, assigneeSlug: nil, due: nil))])
        // The database refuses: the form stays, with the words and the reason.
        _ = u.update(&s, .writeFailed("no agent with slug 'x'"))
        guard case .form(let f)? = s.topOverlay else { Issue.record("form lost"); return }
        #expect(f.value(.title) == "Write docs" && f.error == "no agent with slug 'x'" && !f.saving)
        // Esc on a changed form asks; yes discards.
        _ = u.keys(&s, "esc")
        guard case .confirm? = s.topOverlay else { Issue.record("discard not asked"); return }
        _ = u.keys(&s, "y")
        #expect(s.overlays.isEmpty)
    }

    @Test mutating func savedFormCloses() {
        var s = Fixture.state()
        _ = u.keys(&s, "e")
        guard case .form(let f)? = s.topOverlay else { Issue.record("no form"); return }
        #expect(f.value(.title) == "Rate limit the public search API" && f.value(.assignee) == "codex")
        _ = u.keys(&s, "tab", "tab", "backspace", "1")
        let effects = u.keys(&s, "enter")
        guard case .updateTask(1, let input)? = effects.first else { Issue.record("no update"); return }
        #expect(input.priority == 1)
        _ = u.keys(&s, "x")  // ignored while saving
        _ = u.update(&s, .written("saved task #1"))
        #expect(s.overlays.isEmpty && s.status?.text == "saved task #1")
    }

    @Test mutating func invalidFormInputIsExplainedNotSent() {
        var s = Fixture.state()
        _ = u.keys(&s, "n", "enter")
        guard case .form(let f)? = s.topOverlay else { Issue.record("no form"); return }
        #expect(f.error == "a task needs a title")
    }

    @Test mutating func deleteAsksFirst() {
        var s = Fixture.state()
        #expect(u.keys(&s, "d").isEmpty)
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no question"); return }
        #expect(c.message.contains("audit trail will be deleted") && c.message.contains("lose that link"))
        #expect(u.keys(&s, "y") == [.deleteTask(1)])
    }

    @Test mutating func filterNarrowsLiveAndEscClears() {
        var s = Fixture.state()
        _ = u.keys(&s, "/")
        let e1 = u.keys(&s, "d")
        #expect(s.board.filter == "d")
        guard case .loadBoard(_, "d")? = e1.first else { Issue.record("no filtered load"); return }
        _ = u.keys(&s, "a", "enter")
        #expect(s.board.filter == "da" && s.overlays.isEmpty)
        // With a filter on, n and N walk the matches instead of creating a task.
        _ = u.keys(&s, "n")
        #expect(s.overlays.isEmpty)
        let clear = u.keys(&s, "esc")
        #expect(s.board.filter.isEmpty)
        guard case .loadBoard(_, "")? = clear.first else { Issue.record("no reload"); return }
    }

    @Test mutating func commandLine() {
        var s = Fixture.state()
        _ = u.keys(&s, ":", "t", "h", "e", "m", "e", "space", "l", "i", "g", "h", "t", "enter")
        #expect(s.themeName == "light")
        _ = u.keys(&s, ":", "a", "g", "e", "n", "t", "s", "enter")
        #expect(s.screen == .agents)
        _ = u.keys(&s, ":", "n", "o", "p", "e", "enter")
        #expect(s.status?.kind == .error)
        #expect(u.keys(&s, ":", "q", "enter") == [.quit])
        #expect(!s.running)
    }

    @Test mutating func screensAndQuit() {
        var s = Fixture.state()
        #expect(u.keys(&s, "2") == [.loadAgents])
        #expect(s.screen == .agents)
        _ = u.keys(&s, "1")
        #expect(s.screen == .board)
        _ = u.keys(&s, "?")
        guard case .help? = s.topOverlay else { Issue.record("no help"); return }
        #expect(u.keys(&s, "q").isEmpty && s.running, "q closes the help first")
        #expect(u.keys(&s, "q") == [.quit])
    }

    @Test mutating func anotherProcessChangesTheBoard() {
        var s = Fixture.state()
        _ = u.keys(&s, "j")  // card 2
        let effects = u.update(&s, .dataChanged)
        guard case .loadBoard(let anchors, _)? = effects.first else { Issue.record("no reload"); return }
        #expect(anchors[.todo] == .task(2))
        // The reload shows card 2 moved down by someone else: the selection stays on it.
        var snap = Fixture.snapshot
        snap.columns[0].cards = [snap.columns[0].cards[0], snap.columns[0].cards[2], snap.columns[0].cards[1]]
        _ = u.update(&s, .boardLoaded(snap))
        #expect(s.board.selectedCard?.task.id == 2 && s.board.columns[0].selected == 2)
    }

    @Test mutating func agentsToggleIsOptimistic() {
        var s = Fixture.state()
        _ = u.keys(&s, "2")
        let agent = Agent(id: 9, slug: "git", name: "git", binaryPath: "/usr/bin/git")
        _ = u.update(&s, .agentsLoaded([AgentRow(agent: agent, capabilities: [], running: 0)]))
        #expect(u.keys(&s, "space") == [.setAgentActive(9, false)])
        #expect(s.agents.rows[0].agent.isActive == false)
    }

    @Test func taskDeletionSaysWhatGoes() {
        let t = TaskItem(id: 4, title: "Parser", status: .todo, priority: 3, sortOrder: 1000)
        #expect(Updater.deleteMessage(CardInfo(task: t)) == "\"Parser\" and its audit trail will be deleted. Tasks that depend on it lose that link.")
        #expect(Updater.deleteMessage(CardInfo(task: t, subtasksTotal: 2, latestExecution: .failed))
                == "\"Parser\" and its audit trail will be deleted, with its executions and their logs. Its 2 subtasks stay on the board, without a parent. Tasks that depend on it lose that link.")
    }

    @Test mutating func agentRemovalAsksWithWhatGoes() {
        var s = Fixture.state()
        _ = u.keys(&s, "2")
        let agent = Agent(id: 9, slug: "git", name: "git", binaryPath: "/usr/bin/git")
        _ = u.update(&s, .agentsLoaded([AgentRow(agent: agent, capabilities: [], running: 0)]))
        #expect(u.keys(&s, "d") == [.loadAgentRemoval(9)], "counts first, then asks")
        _ = u.update(&s, .agentRemovalLoaded(AgentRemoval(agentId: 9, slug: "git", executions: 12, running: 0, sessions: 3,
                                                          capabilities: 2, rules: 0, assignedTasks: 4)))
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no question"); return }
        #expect(c.title == "Remove agent 'git'?")
        #expect(c.message == "Its 2 capabilities, 12 executions (with their logs) and 3 sessions (with their transcripts) go with it. 4 tasks stay on the board, unassigned.")
        #expect(u.keys(&s, "n").isEmpty && s.overlays.isEmpty, "no: nothing removed")
        _ = u.keys(&s, "d")
        _ = u.update(&s, .agentRemovalLoaded(AgentRemoval(agentId: 9, slug: "git", executions: 1, running: 1, sessions: 0,
                                                          capabilities: 1, rules: 0, assignedTasks: 0)))
        #expect(s.overlays.isEmpty && s.status?.text.contains("running execution") == true, "a running agent is not offered")
        _ = u.keys(&s, "d")
        _ = u.update(&s, .agentRemovalLoaded(AgentRemoval(agentId: 9, slug: "git", executions: 0, running: 0, sessions: 0,
                                                          capabilities: 1, rules: 0, assignedTasks: 0)))
        #expect(u.keys(&s, "y") == [.removeAgent(9, slug: "git")])
    }

    @Test mutating func keysFileRemapsAndHelpFollows() {
        var map = KeyMap()
        let warnings = map.remap(["move_right": ["ctrl-l", "M"], "nonsense": ["x"], "quit": ["Q", "not-a-key"]])
        #expect(warnings.contains("unknown action 'nonsense'"))
        #expect(warnings.contains("unknown key 'not-a-key' for quit"))
        #expect(map.action(for: .ctrl("l"), on: .board) == .moveRight)
        #expect(map.action(for: .char("L"), on: .board) == nil)
        #expect(map.action(for: .char("Q"), on: .board) == .quit)
        #expect(map.action(for: .char("q"), on: .board) == nil)
        #expect(map.action(for: .ctrl("l"), on: .agents) != .redraw, "the key moved away from redraw")
        var up = Updater(keymap: map)
        var s = Fixture.state()
        #expect(up.keys(&s, "ctrl-l") == [.moveTask(1, to: .inProgress, position: 0)])
    }

    @Test mutating func staleFilterAnswersAreIgnored() {
        var s = Fixture.state()
        s.board.filter = "new"
        var snap = Fixture.snapshot
        snap.filter = "old"
        snap.columns[0].cards = []
        _ = u.update(&s, .boardLoaded(snap))
        #expect(s.board.columns[0].cards.count == 3)
    }
}
