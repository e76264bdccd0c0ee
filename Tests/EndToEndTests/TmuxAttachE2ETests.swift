import Foundation
import Testing
import CLISupport
import Core
import Storage

/// `A` in the real dashboard, in a real terminal (the test's own tmux), on a run that a real worker process
/// hosts in agentmon's tmux server (its own socket, here in the test's folder): the terminal shows the
/// agent's session and takes keys; prefix d (C-b d, sent into the outer pane, which hands it to the inner
/// client: send-keys bypasses the outer server's own prefix) brings the same screen back, the run going on.
@Suite("Attach to a tmux-hosted run", .serialized) struct TmuxAttachE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-attach-e2e-\(UUID().uuidString.prefix(8))")
    var db: String { dir.appendingPathComponent("board.db").path }
    var socket: String { dir.appendingPathComponent("tmux/sock").path }
    static let standIn = OwnPostgres.repository + "/Tests/StandIns/interactive-agent"

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func attachTypeDetachAndTheDashboardIsBack() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(db)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "gemini-standin", name: "stand-in", binaryPath: Self.standIn,
                                                  sessionConfig: ["bidirectionalProtocol": "tmux"]))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "chat", label: "Chat", mode: .template,
                                                            commandTokens: ["--wait"], argsSchema: .object([:])))
        let task = try store.tasks.create(NewTask(title: "attach me"))
        let e = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))

        let worker = try BackgroundCLI(["worker", "--id", "w-attach", "--log-dir", dir.appendingPathComponent("logs").path],
                                       url: db, dir: dir, env: ["AGENTMON_TMUX_SOCKET": socket])
        defer {
            worker.stop()
            _ = try? spawn(["tmux", "-S", socket, "kill-server"], capture: true)
        }
        var session: String?
        #expect(try pollUntil(20) {
            let now = try store.executions.get(e.id)
            session = now.tmuxSessionName
            return now.status == .running && session != nil
        }, "the run never started in tmux: \(worker.stderr)")
        guard let session else { return }

        let t = try Tmux(width: 120, height: 36, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))",
                         env: ["AGENTMON_TMUX_SOCKET": socket])
        try t.waitFor(text: "Todo 1")
        try t.send("3")
        try t.waitFor("the run on the executions screen") { $0.contains("Executions 1") && $0.contains("running") }
        try t.send("A")
        // The inner tmux draws the agent's screen, with its status line (the session's name, cut at 10
        // characters) where the dashboard was.
        try t.waitFor("the agent's session") {
            $0.contains("ready: interactive stand-in") && $0.contains("[agentmon-") && !$0.contains("Executions 1")
        }
        try t.send("-l", "typed while attached")
        try t.send("Enter")
        try t.waitFor(text: "got: typed while attached")
        try t.send("C-b", "d")
        let back = try t.waitFor("the executions screen again") { $0.contains("Executions 1") && $0.contains("detached from run #\(e.id)") }
        #expect(back.contains("attach me") && back.contains("running") && !back.contains("[agentmon-"))
        #expect(try store.executions.get(e.id).status == .running, "detaching leaves the run going")
        #expect(String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: dir.appendingPathComponent("logs/execution-\(e.id).log").path))) ?? Data(),
                       as: UTF8.self).contains("got: typed while attached"), "what was typed while attached is in the log")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
        _ = try store.executions.requestCancel(e.id)
        #expect(try pollUntil(20) { try store.executions.get(e.id).status == .cancelled })
        #expect(spawnStatus(["tmux", "-S", socket, "has-session", "-t", "=" + session]) != 0, "the session is gone after the cancel")
    }

    func spawnStatus(_ argv: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try? p.run(); p.waitUntilExit()
        return p.terminationStatus
    }
}
