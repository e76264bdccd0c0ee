import Foundation
import Testing
import CLISupport
import Core
import Storage

/// `[notify] command` in the real binary, in tmux: a script that appends its stdin to a file.
@Suite("Notifications in tmux", .serialized) struct NotifyE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-notify-e2e-\(UUID().uuidString)")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func aNewConfirmationRunsTheCommandWithNeedsInput() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = dir.appendingPathComponent("events.jsonl").path
        let script = dir.appendingPathComponent("notify").path
        try "#!/bin/sh\ncat >> \"$1\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let config = dir.appendingPathComponent("config/agentmon")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[notify]\ndesktop = true\ncommand = [\(jsonQuote(script)), \(jsonQuote(events))]\n"
            .write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)

        let store = try Store.open(db)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        let session = try store.sessions.create(Session(title: "s", agentId: agent.id))
        _ = try store.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Read", input: "{}", userMessage: nil)

        let t = try Tmux(width: 120, height: 40, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))",
                         env: ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
        try t.waitFor(text: "! 1 needs input")  // the baseline: what waited at start is not announced
        let other = try store.sessions.create(Session(title: "t", agentId: agent.id))
        _ = try store.toolCalls.savePendingConfirmation(sessionId: other.id, toolName: "Bash", input: "{\"command\": \"make\"}", userMessage: nil)
        try t.waitFor(text: "! 2 need input")
        let end = Date().addingTimeInterval(10)
        while Date() < end, !((try? String(contentsOfFile: events, encoding: .utf8)) ?? "").hasSuffix("\n") { usleep(20_000) }
        let lines = ((try? String(contentsOfFile: events, encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(lines.count == 1, "one event, for the new confirmation only: \(lines)")
        let json = lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]
        #expect(json?["event"] as? String == "needs_input" && json?["tool"] as? String == "Bash" && json?["agent"] as? String == "claude")
        let screen = try t.screen()
        #expect(!screen.contains("notify command"), "no failure on the status bar")
        #expect(!screen.contains("777") && !screen.contains("needs input;"), "the desktop notification is not drawn as text: \(screen)")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }

    func jsonQuote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
}
