import Foundation
import Testing
import Render
import Config
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

    @Test("[sync] is on by default; enabled and interval_ms are read, clamped, and a wrong type is a warning")
    func syncTable() throws {
        #expect(DashboardConfig.load(folder: try folder([:])).sync == .init(enabled: true, intervalMs: 2000))
        let off = DashboardConfig.load(folder: try folder(["config.toml": "[sync]\nenabled = false\ninterval_ms = 5\n"]))
        #expect(off.sync == .init(enabled: false, intervalMs: 200) && off.warnings.isEmpty)
        let wrong = DashboardConfig.load(folder: try folder(["config.toml": "[sync]\nenabled = \"no\"\ninterval_ms = 900\n"]))
        #expect(wrong.sync == .init(enabled: true, intervalMs: 900))
        #expect(wrong.warnings == ["config.toml:2: sync.enabled must be true or false, not a string; using the default"])
    }

    @Test func brokenFilesAreOneLineWarnings() throws {
        let dir = try folder(["config.toml": "theme = = broken\n", "keys.toml": "[keys\n"])
        let c = DashboardConfig.load(folder: dir)
        #expect(c.theme == "default")
        #expect(c.warnings.count == 2)
        #expect(c.warnings.allSatisfy { !$0.contains("\n") })
    }

    @Test func warningsNameTheFileAndLine() throws {
        let dir = try folder([
            "config.toml": "theme = \"light\"\n\npoll_interval_ms 5\n",
            "keys.toml": "[keys]\nquit = \"Q\"\nhelp = 3\n",
        ])
        let c = DashboardConfig.load(folder: dir)
        #expect(c.warnings == [
            "config.toml:3: expected '=' after a key, found '5'; using defaults",
            "keys.toml:3: help must be a key name or a list of key names; ignored",
        ])
        #expect(c.theme == "default" && c.keyOverrides == ["quit": ["Q"]])
    }

    @Test func wrongTypesFallBackToTheDefaultOfThatSetting() throws {
        let dir = try folder(["config.toml": "theme = 3\npoll_interval_ms = 400\n"])
        let c = DashboardConfig.load(folder: dir)
        #expect(c.warnings == ["config.toml:1: theme must be a string, not an integer; using the default"])
        #expect(c.theme == "default" && c.pollIntervalMs == 400)
    }

    @Test func invalidUTF8AndNulKeysAreReportedNotIgnoredOrFatal() throws {
        let dir = try folder(["keys.toml": "[keys]\n\"\\u0000\" = \"x\"\n"])
        try Data(Array("theme = \"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)).write(to: URL(fileURLWithPath: dir + "/config.toml"))
        let c = DashboardConfig.load(folder: dir)
        #expect(c.warnings == ["config.toml:1: invalid UTF-8 (byte 0xC3); using defaults"])
        #expect(c.keyOverrides == ["\u{0}": ["x"]])
        var map = KeyMap()
        #expect(map.remap(c.keyOverrides) == ["unknown action '\\u0000'"])
    }

    @Test func aKeysFileThatIsADeviceOrAFIFOIsRefusedNotWaitedOn() throws {
        let dir = try folder(["config.toml": "keys_file = \"/dev/zero\"\n"])
        #expect(DashboardConfig.load(folder: dir).warnings == ["/dev/zero is a device, not a regular file; using defaults"])
        let fifo = try folder([:])
        #expect(mkfifo(fifo + "/keys.toml", 0o600) == 0)
        #expect(DashboardConfig.load(folder: fifo).warnings == ["keys.toml is a FIFO, not a regular file; using defaults"])
        let missing = try folder(["config.toml": "keys_file = \"/nonexistent/k.toml\"\n"])
        #expect(DashboardConfig.load(folder: missing).warnings == ["/nonexistent/k.toml not found; using defaults"])
    }

    @Test func missingFilesAreFine() {
        let c = DashboardConfig.load(folder: "/nonexistent/agentmon")
        #expect(c.warnings.isEmpty && c.theme == "default" && c.pollIntervalMs == 250)
    }
}
