import Foundation
import Testing
import Terminal
@testable import Dashboard

@Suite("Dashboard config") struct ConfigTests {
    func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    @Test func configAndKeysFilesAreRead() throws {
        let dir = try folder([
            "config.toml": "theme = \"light\"\npoll_interval_ms = 500\n",
            "keys.toml": "[keys]\nmove_right = [\"ctrl-l\", \"M\"]\nquit = \"Q\"\n",
        ])
        let c = DashboardConfig.load(folder: dir)
        #expect(c.theme == "light" && c.pollIntervalMs == 500 && c.warnings.isEmpty)
        var map = KeyMap()
        #expect(map.remap(c.keyOverrides).isEmpty)
        #expect(map.action(for: .char("M"), on: .board) == .moveRight)
        #expect(map.action(for: .char("Q"), on: .board) == .quit)
    }

    @Test func brokenFilesAreOneLineWarnings() throws {
        let dir = try folder(["config.toml": "theme = = broken\n", "keys.toml": "[keys\n"])
        let c = DashboardConfig.load(folder: dir)
        #expect(c.theme == "default")
        #expect(c.warnings.count == 2)
        #expect(c.warnings.allSatisfy { !$0.contains("\n") })
    }

    @Test func missingFilesAreFine() {
        let c = DashboardConfig.load(folder: "/nonexistent/agentmon")
        #expect(c.warnings.isEmpty && c.theme == "default" && c.pollIntervalMs == 250)
    }
}
