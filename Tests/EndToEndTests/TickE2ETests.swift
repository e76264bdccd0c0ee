import Foundation
import Testing
import CLISupport
import Core
import Storage

/// A running run's elapsed time moves on screen 3 every second, in the real binary, while the database does
/// not change (issue 12: nothing on screen 3 is frozen).
@Suite("Elapsed times tick in tmux", .serialized) struct TickE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-tick-e2e-\(UUID().uuidString.prefix(8))")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func elapsedMovesEverySecond() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(db)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "sleeper", name: "sleeper", binaryPath: "/bin/sleep"))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "nap", label: "Nap", mode: .template,
                                                            commandTokens: ["30"], argsSchema: .object([:])))
        let task = try store.tasks.create(NewTask(title: "nap"))
        let e = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
        let worker = try BackgroundCLI(["worker", "--id", "w-tick", "--log-dir", dir.appendingPathComponent("logs").path], url: db, dir: dir)
        defer { worker.stop() }
        #expect(try pollUntil(20) { try store.executions.get(e.id).status == .running })

        let t = try Tmux(width: 120, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))")
        try t.waitFor(text: "Todo 1")
        try t.send("3")
        let first = try t.waitFor(text: "sleeper:nap")
        func runLine(_ screen: String) -> String { screen.split(separator: "\n").first { $0.contains("sleeper:nap") }.map(String.init) ?? "" }
        let line = runLine(first)
        // The run writes nothing and the database does not change: only the clock can move this line.
        try t.waitFor("the elapsed time to move", within: 3) { runLine($0) != line && runLine($0).contains("running") }
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }
}
