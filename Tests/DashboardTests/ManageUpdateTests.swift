import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Dashboard

/// Issue 13 item 7 in the dashboard: a capability switched, relabelled and removed in its popup, a session
/// renamed and closed, a message deleted in its transcript, settings read and written from `:`. The pure
/// part (keys in, state and effects out) and the data thread's part on both backends.
@Suite("Managing capabilities, sessions, messages and settings") struct ManageUpdateTests {
    var u = Updater()

    static func agentsScreen(_ u: inout Updater) -> AppState {
        var s = Fixture.state()
        _ = u.keys(&s, "2")
        let agent = Agent(id: 9, slug: "git", name: "git", binaryPath: "/usr/bin/git")
        let caps = [Capability(id: 21, agentId: 9, key: "log", label: "Log", mode: .template, commandTokens: ["log"]),
                    Capability(id: 22, agentId: 9, key: "push", label: "Push", mode: .template, commandTokens: ["push"])]
        _ = u.update(&s, .agentsLoaded([AgentRow(agent: agent, capabilities: caps, running: 0)]))
        #expect(u.keys(&s, "enter").isEmpty)
        return s
    }

    @Test mutating func capabilityPopupSwitchesRelabelsAndRemoves() {
        var s = Self.agentsScreen(&u)
        #expect(u.keys(&s, "j", "a") == [.setCapabilityEnabled(22, agentId: 9, key: "push", false)])
        #expect(s.agents.rows[0].capabilities[1].isEnabled == false, "shown off at once")
        #expect(u.keys(&s, "space") == [.setCapabilityEnabled(22, agentId: 9, key: "push", true)])

        #expect(u.keys(&s, "e").isEmpty)
        guard case .textPrompt(let p)? = s.topOverlay else { Issue.record("no label prompt"); return }
        #expect(p.editor.string == "Push" && p.title == "Capability git:push")
        _ = u.keys(&s, "backspace", "backspace", "backspace", "backspace")
        #expect(u.keys(&s, "enter").isEmpty && s.status?.kind == .refused, "an empty label is refused in place")
        #expect(u.keys(&s, "P", "u", "b", "l", "i", "s", "h", "enter") == [.setCapabilityLabel(22, label: "Publish")])
        guard case .capability? = s.topOverlay else { Issue.record("back in the popup"); return }

        #expect(u.keys(&s, "d") == [.loadCapabilityRemoval(22)], "counts first, then asks")
        _ = u.update(&s, .capabilityRemovalLoaded(CapabilityRemoval(capabilityId: 22, name: "git:push", executions: 1, running: 1)))
        #expect(s.status?.text == "capability 'git:push' has 1 running execution: cancel them before removing it")
        _ = u.update(&s, .capabilityRemovalLoaded(CapabilityRemoval(capabilityId: 22, name: "git:push", executions: 3, running: 0)))
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no question"); return }
        #expect(c.title == "Remove capability 'git:push'?" && c.message == "Its 3 executions (with their logs) go with it.")
        #expect(u.keys(&s, "y") == [.removeCapability(22, name: "git:push")])
        #expect(s.overlays.isEmpty, "the popup of the removed capability closes with the question")
    }

    @Test mutating func sessionsRenameAndClose() {
        var s = Fixture.state()
        let session = Session(id: 4, title: "Old", agentId: 1, status: .running)
        _ = u.keys(&s, "5")
        _ = u.update(&s, .sessionsLoaded(SessionList(rows: [SessionRow(session: session, agentSlug: "claude", taskTitle: nil, messageCount: 3)],
                                                     total: 1, filter: "")))
        #expect(u.keys(&s, "R").isEmpty)
        _ = u.keys(&s, "backspace", "backspace", "backspace")
        #expect(u.keys(&s, "N", "e", "w", "enter") == [.renameSession(4, title: "New")])
        #expect(u.keys(&s, "x") == [.closeSession(4)])
        #expect(s.sessions.rows[0].session.status == .completed)
        #expect(u.keys(&s, "x").isEmpty && s.status?.text == "session #4 is already completed")
    }

    @Test mutating func transcriptDeletesTheSelectedMessage() {
        var (u, s) = TranscriptUpdateTests.opened()
        s.transcript.selected = .message(9)
        #expect(u.keys(&s, "d").isEmpty)
        guard case .confirm(let c)? = s.topOverlay else { Issue.record("no question"); return }
        #expect(c.title == "Delete message #9?" && c.message.contains("Fixed: three queries now."))
        #expect(u.keys(&s, "y") == [.deleteMessage(9)])
        s.transcript.selected = .subSession(9)
        #expect(u.keys(&s, "d").isEmpty && s.status?.kind == .refused, "only a message")
    }

    @Test mutating func settingsFromTheCommandLine() {
        var s = Fixture.state()
        func command(_ line: String) -> [Effect] {
            var effects = u.keys(&s, ":")
            for ch in line { effects += u.update(&s, .key(.char(ch))) }
            return effects + u.keys(&s, "enter")
        }
        #expect(command("set worker.max 3") == [.setSetting(key: "worker.max", value: "3")])
        #expect(command("set greeting hello world") == [.setSetting(key: "greeting", value: "hello world")])
        #expect(command("set lonely").isEmpty && s.status?.kind == .error)
        #expect(command("get worker.max") == [.loadSettings(only: "worker.max")])
        _ = u.update(&s, .settingsLoaded([SettingRow(key: "worker.max", value: "3")], only: "worker.max"))
        #expect(s.status?.text == "worker.max = 3")
        _ = u.update(&s, .settingsLoaded([], only: "nope"))
        #expect(s.status?.text == "no setting 'nope'" && s.status?.kind == .error)
        #expect(command("settings") == [.loadSettings(only: nil)])
        _ = u.update(&s, .settingsLoaded([SettingRow(key: "a", value: "1"), SettingRow(key: "b\u{1B}[2J", value: "\"x\"")], only: nil))
        guard case .settings(let rows, _)? = s.topOverlay else { Issue.record("no settings popup"); return }
        #expect(rows?.count == 2)
        let screen = TranscriptUpdateTests.screen(s)
        #expect(screen.contains("Settings") && screen.contains("\"x\""))
        #expect(!screen.contains("\u{1B}"), "a hostile key is drawn sanitised")
        #expect(u.keys(&s, "q").isEmpty && s.overlays.isEmpty)
    }

    /// The data thread's writes and loads on a real database, both backends.
    @Test(arguments: [false, true]) func dataThreadWritesThrough(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "manage") { db in
            let store = try db.store()
            defer { store.close() }
            let agent = try store.agents.create(Agent(slug: "git", name: "git", binaryPath: "/usr/bin/git"))
            let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "log", label: "Log", mode: .template, commandTokens: ["log"]))
            let task = try store.tasks.create(NewTask(title: "t"))
            _ = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            let session = try store.sessions.create(Session(title: "Old", agentId: agent.id, status: .running))
            let m1 = try store.messages.append(Message(sessionId: session.id, seq: 1, role: .user, content: "hello"))
            _ = try store.messages.append(Message(sessionId: session.id, seq: 2, role: .assistant, content: "hi"))

            #expect(try DataService.manageWrite(.renameSession(session.id, title: "New"), store) == "renamed session #\(session.id)")
            #expect(try DataService.manageWrite(.closeSession(session.id), store) == "closed session #\(session.id)")
            let s = try store.sessions.get(session.id)
            #expect(s.title == "New" && s.status == .completed)
            _ = try DataService.manageWrite(.deleteMessage(m1.id), store)
            #expect(try store.messages.all(sessionId: session.id).map(\.content) == ["hi"])
            #expect(try store.messages.count(sessionId: session.id) == 1)

            _ = try DataService.manageWrite(.setCapabilityEnabled(cap.id, agentId: agent.id, key: "log", false), store)
            #expect(try store.agents.capability(cap.id).isEnabled == false)
            _ = try DataService.manageWrite(.setCapabilityLabel(cap.id, label: "History"), store)
            #expect(try store.agents.capability(cap.id).label == "History")
            guard case .capabilityRemovalLoaded(let r)? = try DataService.manageLoad(.loadCapabilityRemoval(cap.id), store) else {
                Issue.record("no removal counts"); return
            }
            #expect(r == CapabilityRemoval(capabilityId: cap.id, name: "git:log", executions: 1, running: 0))
            _ = try DataService.manageWrite(.removeCapability(cap.id, name: "git:log"), store)
            #expect(try store.agents.capability(agentId: agent.id, key: "log") == nil)
            #expect(try store.executions.countsByStatus().values.reduce(0, +) == 0, "its execution went with it")

            #expect(try DataService.manageWrite(.setSetting(key: "n", value: "3"), store) == "n = 3")
            _ = try DataService.manageWrite(.setSetting(key: "who", value: "a b"), store)
            guard case .settingsLoaded(let rows, nil)? = try DataService.manageLoad(.loadSettings(only: nil), store) else {
                Issue.record("no settings"); return
            }
            #expect(rows.contains(SettingRow(key: "n", value: "3")) && rows.contains(SettingRow(key: "who", value: "\"a b\"")))
            #expect(try store.settings.get("n") == .number(3))
        }
    }
}
