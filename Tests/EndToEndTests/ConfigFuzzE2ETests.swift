import Foundation
import Testing
import CLISupport
import TestSupport

/// Mutated config files through the real binary in a real terminal: for each file the dashboard must
/// draw, leave on `q` within a second with exit code 0, and give the terminal back as it found it.
/// One tmux pane per entry point runs every launch in turn (a driver script), and the four entry points
/// (`--theme PATH`, `--theme NAME` from the user's themes folder, config.toml, keys.toml) run side by side.
@Suite("Config fuzz in tmux") struct ConfigFuzzE2ETests {
    enum Entry: String, CaseIterable, Sendable { case theme, themeName, config, keys }

    struct Case { var label: String; var setUp: (_ folder: String) throws -> String }

    static let perEntry = 50
    static let exitWithin = 1.0

    /// Special files that used to hang, then known crashes and mutants. A keys file may legitimately
    /// rebind `q`, so keys and config mutants that could name it (a `q`, or its \u escape) are left out.
    static func cases(_ entry: Entry) -> [Case] {
        func file(_ name: String, _ bytes: [UInt8]) -> Case {
            Case(label: String(decoding: bytes.prefix(60), as: UTF8.self).debugDescription) { folder in
                let path = folder + "/agentmon/" + name
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                return path
            }
        }
        func fifo(_ name: String) -> Case {
            Case(label: "a FIFO as \(name)") { folder in
                try FileManager.default.createDirectory(atPath: ((folder + "/agentmon/" + name) as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                _ = mkfifo(folder + "/agentmon/" + name, 0o600)
                return folder + "/agentmon/" + name
            }
        }
        var out: [Case]
        var fuzz: TOMLFuzz
        let name: String
        switch entry {
        case .theme:
            name = "mine.toml"
            out = [fifo(name), Case(label: "/dev/zero") { _ in "/dev/zero" }, Case(label: "a directory") { $0 }]
            fuzz = TOMLFuzz(seed: 90, seeds: ConfigSeeds.themes)
        case .themeName:
            // `--theme fuzz` finds $XDG_CONFIG_HOME/agentmon/themes/fuzz.toml.
            name = "themes/fuzz.toml"
            out = [fifo(name), Case(label: "a directory as the named theme") { folder in
                try FileManager.default.createDirectory(atPath: folder + "/agentmon/themes/fuzz.toml", withIntermediateDirectories: true)
                return folder + "/agentmon/themes/fuzz.toml"
            }]
            fuzz = TOMLFuzz(seed: 93, seeds: ConfigSeeds.themes)
        case .config:
            name = "config.toml"
            out = [fifo(name), file(name, Array("keys_file = \"/dev/zero\"\n".utf8)), file(name, Array("theme = \"/dev/zero\"\n".utf8))]
            fuzz = TOMLFuzz(seed: 91, seeds: ConfigSeeds.configs)
        case .keys:
            name = "keys.toml"
            out = [fifo(name), file(name, Array("[keys]\nhelp = \"F1\"\n".utf8) + [0xC3, 0x28])]
            fuzz = TOMLFuzz(seed: 92, seeds: ConfigSeeds.keys)
        }
        func fits(_ b: [UInt8]) -> Bool {
            entry == .theme || entry == .themeName || !(b.contains(UInt8(ascii: "q")) || String(decoding: b, as: UTF8.self).lowercased().contains("0071"))
        }
        var bytes = TOMLFuzz.knownCrashes.filter(fits)
        while bytes.count < perEntry {
            let b = fuzz.next()
            if fits(b) { bytes.append(b) }
        }
        out += bytes.map { file(name, $0) }
        return out
    }

    @Test(arguments: Entry.allCases)
    func everyFileDrawsAndQuitsCleanly(_ entry: Entry) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-cfgfuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/board.db"
        #expect(try CLI.run(["task", "list"], db: db).status == 0)  // migrated before the launches
        let results = dir + "/results"
        let cases = Self.cases(entry)
        var script = "before=$(stty -g)\n"
        for (i, c) in cases.enumerated() {
            let folder = dir + "/\(i)"
            let path = try c.setUp(folder)
            let theme = switch entry {
            case .theme: " --theme \(Tmux.quote(path))"
            case .themeName: " --theme fuzz"
            default: ""
            }
            script += """
                clear; echo '[launch \(i)]'
                XDG_CONFIG_HOME=\(Tmux.quote(folder)) \(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))\(theme) 2>>\(Tmux.quote(dir + "/stderr"))
                rc=$?; if [ "$(stty -g)" = "$before" ]; then r=restored; else r=changed; stty "$before"; fi
                echo "\(i) $rc $r" >> \(Tmux.quote(results))

                """
        }
        try script.write(toFile: dir + "/driver.sh", atomically: true, encoding: .utf8)
        let t = try Tmux(width: 120, height: 30, command: "sh " + Tmux.quote(dir + "/driver.sh"))

        for (i, c) in cases.enumerated() {
            let what = "\(entry) case \(i) (\(c.label))"
            let drawn = try t.waitFor("the board for \(what)") { $0.contains("Todo 0") && !$0.contains("[launch") }
            // One that never drew is killed (and fails below); a `q` now would be read by the next launch.
            if drawn.contains("Todo 0") { try t.send("q") } else { kill(agentmon(in: t)) }
            let sent = Date()
            var line = finished(i, results)
            while line == nil && Date().timeIntervalSince(sent) < Self.exitWithin { usleep(10_000); line = finished(i, results) }
            if line == nil {
                Issue.record("\(what) did not exit within \(Self.exitWithin) s of q")
                kill(agentmon(in: t))
                while line == nil && Date().timeIntervalSince(sent) < 10 { usleep(20_000); line = finished(i, results) }
            }
            #expect(line == [String(i), "0", "restored"], "\(what): \(line ?? [])")
        }
        let ended = (try? String(contentsOfFile: results, encoding: .utf8))?.split(separator: "\n").count
        #expect(ended == cases.count, "every launch ran to its end")
        let stderr = (try? String(contentsOfFile: dir + "/stderr", encoding: .utf8)) ?? ""
        for trap in ["Fatal error", "Backtrace", "Swift runtime failure", "Assertion"] { #expect(!stderr.contains(trap)) }
    }

    @Test func aBadFileIsOneWarningOnTheStatusBarThenOnStderr() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-cfgwarn-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/config/agentmon", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[styles]\n[#]\n".write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        try "theme = \"light\"\n\npoll_interval_ms 5\n".write(toFile: dir + "/config/agentmon/config.toml", atomically: true, encoding: .utf8)
        let warning = "theme bad.toml:2: syntax error: expected a key, found '#'; using the default theme"
        let t = try Tmux(width: 140, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(dir + "/b.db")) --theme \(Tmux.quote(dir + "/bad.toml"))",
                         env: ["XDG_CONFIG_HOME": dir + "/config"])
        try t.waitFor(text: "config.toml:3: expected '=' after a key, found '5'; using defaults")
        // `:theme PATH` while running: the same one-line warning, and the dashboard carries on.
        try t.send(":", "theme /dev/zero", "Enter")
        try t.waitFor(text: "theme zero is a device, not a regular file; using the default theme")
        try t.send(":", "theme " + dir + "/bad.toml", "Enter")
        try t.waitFor(text: warning)
        try t.send("q")
        let after = try t.waitFor(text: "[exited 0]")
        let lines = after.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("agentmon: ") } == [
            "agentmon: config.toml:3: expected '=' after a key, found '5'; using defaults",
            "agentmon: \(warning)",
        ])
    }

    /// "i rc restored" once launch i has ended.
    func finished(_ i: Int, _ results: String) -> [String]? {
        let text = (try? String(contentsOfFile: results, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.first { $0.first == String(i) }
    }

    /// The pane's shell → the driver script → agentmon.
    func agentmon(in t: Tmux) -> Int32 {
        guard let shell = try? t.panePid(), let driver = childPid(of: shell), let app = childPid(of: driver) else { return 0 }
        return app
    }

    func kill(_ pid: Int32) { if pid > 0 { _ = Foundation.kill(pid, SIGKILL) } }
}
