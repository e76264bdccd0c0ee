import Foundation
import Testing
import CLISupport

/// The dashboard binary in tmux, checked through the screen and through the CLI.
@Suite("Dashboard in tmux", .serialized) struct DashboardE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-e2e-\(UUID().uuidString)")
    var db: String { dir.appendingPathComponent("board.db").path }

    func add(_ title: String, _ status: String = "todo") throws -> Int {
        let r = try CLI.run(["task", "add", "--title", title, "--status", status, "--json"], db: db)
        #expect(r.status == 0, "\(r.stderr)")
        return (r.json as? [String: Any])?["id"] as? Int ?? -1
    }

    func titles(_ status: String) throws -> [String] {
        let list = try CLI.run(["task", "list", "--status", status, "--json"], db: db).json as? [[String: Any]] ?? []
        return list.compactMap { $0["title"] as? String }
    }

    func dashboard(width: Int = 120, height: Int = 40, extra: String = "") throws -> Tmux {
        try Tmux(width: width, height: height, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db)) \(extra)")
    }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func moveRightReorderQuitAndTheCLISeesIt() throws {
        _ = try add("Alpha"); _ = try add("Bravo"); _ = try add("Charlie"); _ = try add("Delta", "in_progress")
        let t = try dashboard()
        try t.waitFor(text: "Todo 3")
        try t.send("L")
        try t.waitFor(text: "In Progress 2")
        try t.send("J")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
        #expect(try titles("in_progress") == ["Delta", "Alpha"])
        #expect(try titles("todo") == ["Bravo", "Charlie"])
        let show = try CLI.run(["task", "show", "1", "--json"], db: db).json as? [String: Any]
        let events = (show?["events"] as? [[String: Any]])?.compactMap { $0["event_type"] as? String }
        #expect(events == ["created", "moved", "reordered"])
    }

    @Test func aTaskAddedByTheCLIAppearsWithoutAKey() throws {
        _ = try add("Existing")
        let t = try dashboard()
        try t.waitFor(text: "Todo 1")
        _ = try add("Fresh from the CLI", "blocked")
        try t.waitFor(text: "Fresh from the")
        try t.waitFor(text: "Blocked 1")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }

    @Test func resizeReLaysOutAndANarrowBoardIsUsable() throws {
        _ = try add("A card with a long enough title to wrap")
        let t = try dashboard()
        try t.waitFor(text: "Cancelled 0")
        try t.resize(width: 60, height: 20)
        // The whole frame: tmux may be read between the writes of one frame (seen once on a clean clone: the
        // borders drawn, the card not yet).
        try t.waitFor("a 60-column layout with the card") { s in
            s.split(separator: "\n").allSatisfy { $0.count <= 60 } && s.contains("Todo 1") && !s.contains("Cancelled")
                && s.contains("A card")
        }
        try t.send("L")  // still works at 60 columns
        try t.waitFor(text: "In Prog 1")
        try t.resize(width: 120, height: 40)
        try t.waitFor(text: "Cancelled 0")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
        #expect(try titles("in_progress") == ["A card with a long enough title to wrap"])
    }

    @Test("a signal restores the terminal", arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalRestoresTheTerminal(_ signal: Int32) throws {
        _ = try add("x")
        let before = dir.appendingPathComponent("before").path, after = dir.appendingPathComponent("after").path
        let t = try Tmux(width: 100, height: 30, command: """
            stty -g > \(Tmux.quote(before)); \(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db)); echo "rc=$?"; stty -g > \(Tmux.quote(after))
            """)
        try t.waitFor(text: "Todo 1")
        let shell = try t.panePid()
        var pid: Int32?
        let end = Date().addingTimeInterval(5)
        while pid == nil && Date() < end { pid = childPid(of: shell); usleep(10_000) }
        let target = try #require(pid)
        #expect(kill(target, signal) == 0)
        let screen = try t.waitFor(text: "[exited 0]")
        #expect(screen.contains("rc="))
        let a = try String(contentsOfFile: before, encoding: .utf8), b = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!a.isEmpty && a == b, "terminal settings restored after signal \(signal)")
    }

    @Test func hostileTitlesAreShownNotObeyed() throws {
        _ = try add("safe \u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[?1049l title")
        let t = try dashboard()
        let s = try t.waitFor(text: "safe")
        #expect(s.contains("^["), "the escape is shown as text")
        let title = try t.run(["display-message", "-p", "-t", t.session, "#{pane_title}"])
        #expect(!title.contains("pwned"), "OSC 0 never reached the terminal")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }

    @Test func aBadThemeIsAWarningNotACrash() throws {
        _ = try add("x")
        let bad = dir.appendingPathComponent("broken.toml").path
        try "this is = = not toml [".write(toFile: bad, atomically: true, encoding: .utf8)
        let t = try dashboard(extra: "--theme \(Tmux.quote(bad))")
        try t.waitFor(text: "Todo 1")
        try t.waitFor(text: "broken")
        try t.send(":")
        for c in "theme light" { try t.send(String(c)) }
        try t.send("Enter")
        try t.waitFor(text: "theme light")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }
}
