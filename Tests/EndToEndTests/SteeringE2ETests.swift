import Foundation
import Testing
import CLISupport
import Core
import Storage

/// The inbox answering a live agent, in the real binary in tmux: a worker process runs the stand-in Claude
/// (Tests/StandIns), its permission request shows in the dashboard's inbox, `a` answers it, the agent goes
/// on and the run succeeds.
@Suite("Steering in tmux", .serialized) struct SteeringE2ETests {
    static let standIn = OwnPostgres.repository + "/Tests/StandIns/claude-stream-json"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-steer-e2e-\(UUID().uuidString)")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func theInboxAnswersALiveRequest() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("standin.log").path
        #expect(try CLI.run(["agent", "add", "--preset", "claude", "--binary", Self.standIn], db: db).status == 0)
        #expect(try CLI.run(["agent", "edit", "claude", "--env", "STANDIN_LOG"], db: db).status == 0)
        #expect(try CLI.run(["task", "add", "--title", "ask Bash: make test"], db: db).status == 0)
        #expect(try CLI.run(["run", "--task", "1", "--capability", "claude:implement"], db: db).status == 0)
        let worker = try BackgroundCLI(["worker", "--id", "w-e2e", "--log-dir", dir.appendingPathComponent("logs").path],
                                       url: db, dir: dir, env: ["STANDIN_LOG": log])
        defer { worker.stop() }

        let t = try Tmux(width: 120, height: 40, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))",
                         env: ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
        try t.waitFor(text: "1 needs input", within: 20)
        try t.send("!")
        let inbox = try t.waitFor(text: "make test")
        #expect(inbox.contains("Bash"))
        try t.send("a")
        try t.waitFor(text: "Nothing is waiting for you.")

        let store = try Store.open(db)
        defer { store.close() }
        #expect(try pollUntil(20) { try store.executions.get(1).status == .succeeded })
        let answer = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
            .first { $0.contains("control_response") }
        #expect(answer?.contains("\"behavior\":\"allow\"") == true, "the agent got the allow: \(answer ?? "nothing")")
        try t.send("escape")
        try t.waitFor("the inbox closed") { !$0.contains("Attention") }  // else Esc and 3 arrive together, as Alt-3
        try t.send("3")
        try t.waitFor(text: "succeeded")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }
}
