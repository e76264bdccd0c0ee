import Foundation
import Testing
import CLISupport
import TestSupport

/// The dashboard's background sync in the real binary, in tmux, on a test home filled from the fixtures.
@Suite("Background sync in tmux", .serialized) struct SyncE2ETests {
    @Test("a Claude session written by another process shows on screen 5 within 2 seconds")
    func newSessionAppears() throws {
        let home = try AgentHome()
        let db = home.file("agentmon.db")
        let t = try Tmux(width: 140, height: 40, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))",
                         env: ["HOME": home.path, "XDG_CONFIG_HOME": home.file(".config")])
        try t.waitFor(text: "Todo")
        try t.send("5")
        // The fixtures, imported by the dashboard's first pass.
        try t.waitFor(text: "Sessions \(AgentHome.fixtureSessions)")

        let started = Date()
        try home.append(".claude/projects/-work-new/5b0f7c1a-0d7e-4f6b-9a9e-2c1d3e4f5a6b.jsonl",
                        AgentHome.claudeLine(session: "5b0f7c1a-0d7e-4f6b-9a9e-2c1d3e4f5a6b", uuid: "n1", parent: nil, role: "user",
                                             text: "Zebra latency probe"))
        try t.waitFor("the new session on screen 5", within: 2) { $0.contains("Zebra latency probe") }
        let latency = Date().timeIntervalSince(started)
        print("sync latency: new session on screen 5 after \(Int(latency * 1000)) ms")
        #expect(latency < 2)
    }
}
