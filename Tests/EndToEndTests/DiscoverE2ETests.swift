import Foundation
import Testing
import CLISupport
import Core
import Storage

/// The newcomer's first minute, in the real binary in tmux: an empty agents screen, `D` finds the stand-in
/// `claude` on PATH with its version, Enter registers it, and it is on the screen.
@Suite("Discovery in tmux", .serialized) struct DiscoverE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-discover-e2e-\(UUID().uuidString.prefix(8))")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func dFindsAndRegisters() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let claude = bin.appendingPathComponent("claude").path
        try "#!/bin/sh\necho '2.0.31 (Claude Code)'\n".write(toFile: claude, atomically: true, encoding: .utf8)
        chmod(claude, 0o755)
        #expect(try CLI.run(["db", "migrate"], db: db).status == 0)

        let t = try Tmux(width: 120, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))",
                         env: ["PATH": bin.path + ":/usr/bin:/bin"])
        try t.waitFor(text: "Todo 0")
        try t.send("2")
        try t.waitFor(text: "Agents")
        try t.send("D")
        let popup = try t.waitFor(text: "2.0.31 (Claude Code)")
        #expect(popup.contains("Discovered on PATH") && popup.contains("new (preset claude)"))
        try t.send("Enter")
        try t.waitFor(text: "Claude Code")
        let store = try Store.open(db)
        defer { store.close() }
        #expect(try pollUntil(10) { try store.agents.find(slug: "claude")?.version == "2.0.31 (Claude Code)" })
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }
}
