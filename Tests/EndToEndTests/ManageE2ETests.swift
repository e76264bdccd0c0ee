import Foundation
import Testing
import CLISupport
import Core
import Storage

/// Issue 13 item 7 in the real binary in tmux: a session renamed with `R` and closed with `x` on screen 5, a
/// capability switched off and removed (asked, with its count) in its popup, a setting written with `:set`;
/// each change read back from the database.
@Suite("Managing from the dashboard in tmux", .serialized) struct ManageE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-manage-e2e-\(UUID().uuidString.prefix(8))")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func renameCloseSwitchRemoveAndSet() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(db)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "git", name: "git", binaryPath: "/usr/bin/git"))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "log", label: "Log", mode: .template, commandTokens: ["log"]))
        let session = try store.sessions.create(Session(title: "Old title", agentId: agent.id, status: .running))

        let t = try Tmux(width: 120, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))")
        try t.waitFor(text: "Todo 0")
        try t.send("5")
        try t.waitFor(text: "Old title")
        try t.send("R")
        try t.waitFor(text: "Rename session #\(session.id)")
        try t.send("C-u")
        try t.send("-l", "Fresh name")
        try t.send("Enter")
        try t.waitFor(text: "Fresh name")
        try t.send("x")
        #expect(try pollUntil(10) { try store.sessions.get(session.id).status == .completed && store.sessions.get(session.id).title == "Fresh name" })

        try t.send("2")
        try t.waitFor(text: "Agents")
        try t.send("Enter")
        try t.waitFor(text: "git:log")
        try t.send("a")
        #expect(try pollUntil(10) { try store.agents.capability(cap.id).isEnabled == false })
        try t.send("d")
        try t.waitFor(text: "Remove capability 'git:log'?")
        try t.send("y")
        #expect(try pollUntil(10) { try store.agents.capability(agentId: agent.id, key: "log") == nil })

        try t.send(":")
        try t.send("-l", "set review.max 3")
        try t.send("Enter")
        #expect(try pollUntil(10) { try store.settings.get("review.max") == .number(3) })
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }
}
