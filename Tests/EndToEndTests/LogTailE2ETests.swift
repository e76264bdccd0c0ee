import Foundation
import Testing
import CLISupport
import Core

/// The log tail screen in tmux, fed by a real worker running a real process.
@Suite("Log tail in tmux", .serialized) struct LogTailE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-logtail-\(UUID().uuidString)")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    func cli(_ args: String...) throws -> CLIResult {
        let r = try CLI.run(args, db: db)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return r
    }

    /// A shell agent whose capability runs `script`, queued on a task; returns the execution id.
    func queue(_ script: String) throws -> Int {
        _ = try cli("agent", "add", "--slug", "sh", "--name", "shell", "--binary", "/bin/sh", "--max-concurrent", "4")
        _ = try cli("capability", "add", "--agent", "sh", "--key", "script", "--label", "Script", "--command", "-c", script)
        _ = try cli("task", "add", "--title", "Watch the log")
        let run = try cli("run", "--task", "1", "--capability", "sh:script", "--json")
        return (run.json as? [String: Any])?["id"] as? Int ?? -1
    }

    /// A worker process for the test; stopped (SIGTERM) when the returned closure runs.
    func startWorker() throws -> () -> Void {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["--db", db, "worker", "--poll-interval", "100", "--log-dir", dir.appendingPathComponent("logs").path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return { p.terminate(); p.waitUntilExit() }
    }

    func lineCount(_ id: Int) throws -> Int {
        (try CLI.run(["exec", "show", "\(id)", "--json"], db: db).json as? [String: Any])?["log_line_count"] as? Int ?? 0
    }

    @Test func newLinesAppearAsWrittenAndFollowOffHoldsTheView() throws {
        let id = try queue("i=1; while [ $i -le 40 ]; do echo \"tick $i\"; i=$((i+1)); sleep 0.15; done")
        let stop = try startWorker()
        defer { stop() }
        let t = try Tmux(width: 100, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))")
        try t.waitFor(text: "Todo")
        try t.send("3")
        try t.waitFor(text: "sh:script")
        try t.send("Enter")
        try t.waitFor(text: "tick 3")
        try t.waitFor(text: "tick 8", within: 15)  // new lines arrive without a key press
        try t.send("F")
        let paused = try t.waitFor(text: "paused")
        let before = try lineCount(id)
        let end = Date().addingTimeInterval(10)
        while try lineCount(id) < before + 3, Date() < end { usleep(50_000) }
        #expect(try lineCount(id) >= before + 3, "the log kept growing")
        let still = try t.screen()
        #expect(still.split(separator: "\n").dropFirst(2).prefix(10) == paused.split(separator: "\n").dropFirst(2).prefix(10),
                "follow off keeps the view still")
        try t.send("G")
        try t.waitFor(text: "following")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }

    @Test func escapeSequencesInALogChangeNothingOutsideItsPane() throws {
        let id = try queue("printf 'before\\n\\033[2J\\033[H\\033]0;pwned\\007\\033[?1049h\\033[31mred\\033[0m\\rCR\\n\\033[10;10Hjump\\nafter\\n'")
        let stop = try startWorker()
        defer { stop() }
        let end = Date().addingTimeInterval(15)
        while (try CLI.run(["exec", "show", "\(id)", "--json"], db: db).json as? [String: Any])?["status"] as? String != "succeeded",
              Date() < end { usleep(50_000) }
        let t = try Tmux(width: 100, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))")
        try t.waitFor(text: "Todo")
        try t.send("3")
        try t.waitFor(text: "sh:script")
        try t.send("Enter")
        let s = try t.waitFor(text: "after")
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains("agentmon") == true, "the title bar is still there")
        #expect(lines.contains { $0.contains("before") })
        #expect(s.contains("^["), "escapes are shown, not obeyed")
        let title = try t.run(["display-message", "-p", "-t", t.session, "#{pane_title}"])
        #expect(!title.contains("pwned"))
        #expect(lines.contains { $0.contains("jump") && $0.contains("^[") }, "a cursor move is text inside the pane")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
        _ = id
    }
}
