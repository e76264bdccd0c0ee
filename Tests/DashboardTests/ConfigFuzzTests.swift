import Foundation
import Testing
import Config
import Core
import Render
import TestSupport
@testable import Dashboard

/// Mutated TOML through the loading functions the program itself uses (ThemeLoader for `--theme`, a
/// theme by name and `:theme`; DashboardConfig.load for config.toml and keys.toml): each case gives a
/// value or a one-line warning that agrees with the parser's verdict — never a trap, never a hang.
@Suite("Config fuzz", .timeLimit(.minutes(5))) struct ConfigFuzzTests {
    static let count = 2_000

    let dir: String = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-fuzz-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    func write(_ bytes: [UInt8], _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func expectOneLine(_ warnings: [String], _ i: Int) {
        for w in warnings {
            #expect(w.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }, "case \(i): \(w.debugDescription)")
        }
    }

    /// The parser's verdict on a case, as the loaders see it (too big never reaches the parser).
    func verdict(_ bytes: [UInt8]) -> (table: TOMLTable?, error: TOMLError?) {
        guard bytes.count <= ConfigFile.sizeLimit else { return (nil, nil) }
        do { return (try TOML.parse(bytes: bytes), nil) } catch { return (nil, error) }
    }

    @Test func themes() throws {
        var fuzz = TOMLFuzz(seed: 9, seeds: ConfigSeeds.themes)
        let loader = ThemeLoader(bundledDirectory: nil, userDirectory: dir)
        var parsed = 0, refused = 0
        for (i, bytes) in fuzz.cases(Self.count).enumerated() {
            let name = "case-\(i)"
            try write(bytes, dir + "/\(name).toml")
            // Every case through both entry points: a theme by name and a theme by path.
            for r in [loader.load(name), loader.load(dir + "/\(name).toml")] {
                expectOneLine(r.warning.map { [$0] } ?? [], i)
                if bytes.count > ConfigFile.sizeLimit {
                    #expect(r.warning == "theme \(name).toml is larger than 1 MiB; using the default theme")
                    continue
                }
                do {
                    let (theme, _) = try Theme.parse(bytes: bytes, name: name)
                    #expect(r.theme == theme, "case \(i)")
                    parsed += 1
                } catch {
                    #expect(r.theme == Theme.builtinDefault, "case \(i)")
                    let at = "theme \(name).toml" + (error.line.map { ":\($0)" } ?? "") + ": "
                    #expect(r.warning?.hasPrefix(at) == true && r.warning?.hasSuffix("; using the default theme") == true,
                            "case \(i): \(r.warning ?? "no warning")")
                    refused += 1
                }
            }
        }
        // The corpus exercises both sides: enough mutants still parse, enough do not.
        #expect(parsed > Self.count / 20 && refused > Self.count / 4, "parsed \(parsed), refused \(refused)")
    }

    /// Case `i` written as `file` in a folder of its own and loaded as the dashboard does; every warning,
    /// including the key map's, is one clean line. Returns the config and the parser's verdict.
    func loadCase(_ bytes: [UInt8], as file: String, _ i: Int) throws -> (DashboardConfig, TOMLTable?, TOMLError?) {
        let folder = dir + "/\(file)-\(i)"
        try write(bytes, folder + "/" + file)
        let c = DashboardConfig.load(folder: folder)
        expectOneLine(c.warnings, i)
        var map = KeyMap()
        expectOneLine(map.remap(c.keyOverrides), i)
        let (table, error) = verdict(bytes)
        return (c, table, error)
    }

    @Test func configFiles() throws {
        var fuzz = TOMLFuzz(seed: 10, seeds: ConfigSeeds.configs)
        for (i, bytes) in fuzz.cases(Self.count).enumerated() {
            let (c, table, error) = try loadCase(bytes, as: "config.toml", i)
            if let error {
                #expect(c.warnings == [Sanitizer.plain("config.toml:\(error.line): \(error.message); using defaults")], "case \(i)")
                #expect(c.theme == "default" && c.pollIntervalMs == 250 && c.keyOverrides.isEmpty, "case \(i)")
            } else if let table {
                #expect(c.theme == table["theme"]?.string ?? "default", "case \(i)")
                #expect(!c.warnings.contains { $0.hasSuffix("; using defaults") && $0.hasPrefix("config.toml") }, "case \(i)")
            } else {
                #expect(c.warnings == ["config.toml is larger than 1 MiB; using defaults"], "case \(i)")
            }
        }
    }

    @Test func keysFiles() throws {
        var fuzz = TOMLFuzz(seed: 11, seeds: ConfigSeeds.keys)
        for (i, bytes) in fuzz.cases(Self.count).enumerated() {
            let (c, table, error) = try loadCase(bytes, as: "keys.toml", i)
            if let error {
                #expect(c.warnings == [Sanitizer.plain("keys.toml:\(error.line): \(error.message); using defaults")], "case \(i)")
                #expect(c.keyOverrides.isEmpty, "case \(i)")
            } else if let table {
                let actions = Set((table["keys"]?.table ?? table).keys)
                #expect(Set(c.keyOverrides.keys).isSubset(of: actions), "case \(i)")
            } else {
                #expect(c.warnings == ["keys.toml is larger than 1 MiB; using defaults"], "case \(i)")
            }
        }
    }
}
