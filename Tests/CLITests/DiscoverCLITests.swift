import Foundation
import Testing
import CLISupport
import Core
import Storage

/// `agentmon discover` on a PATH of stand-ins: a real-looking `claude --version`, a `codex` that hangs and a
/// `gemini` that prints garbage. Only claude is registered, with its version; the others are skipped with a
/// note, and within the 2 s timeout each.
@Suite("CLI: discover") struct DiscoverCLITests {
    @Test("only the real-looking agent is registered, with its version; a re-scan updates it", arguments: CLIBackend.allCases)
    func discover(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let bin = db.dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        func standIn(_ name: String, _ body: String) throws {
            let p = bin.appendingPathComponent(name).path
            try "#!/bin/sh\n\(body)\n".write(toFile: p, atomically: true, encoding: .utf8)
            chmod(p, 0o755)
        }
        try standIn("claude", "echo '2.0.31 (Claude Code)'")
        try standIn("codex", "exec /bin/sleep 30")
        try standIn("gemini", #"printf '\000\377\033[2J\033]2;pwned\007 9.9\n'"#)
        let env = ["PATH": bin.path]

        let started = Date()
        let r = try CLI.run(["discover", "--register", "--json"], db: db.url, env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 15, "the hang is cut at its timeout")
        let found = try #require(r.json as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: found.map { ($0["name"] as! String, $0) })
        #expect(Set(byName.keys) == ["claude", "codex", "gemini"])
        #expect(byName["claude"]?["version"] as? String == "2.0.31 (Claude Code)" && (byName["claude"]?["registered"] as? String)?.hasPrefix("registered") == true)
        #expect((byName["codex"]?["skipped"] as? String)?.contains("did not finish within 2 s") == true)
        #expect((byName["gemini"]?["skipped"] as? String)?.contains("binary or control characters") == true)
        #expect(byName["codex"]?["registered"] is NSNull && byName["gemini"]?["registered"] is NSNull)

        let agents = try #require(try db.run("agent", "list", "--json").json as? [[String: Any]])
        #expect(agents.compactMap { $0["slug"] as? String } == ["claude"])
        let claude = try #require(try db.run("agent", "show", "claude", "--json").json as? [String: Any])
        #expect(claude["version"] as? String == "2.0.31 (Claude Code)" && claude["discovery_method"] as? String == "preset")
        #expect(claude["binary_path"] as? String == bin.appendingPathComponent("claude").path)

        // A re-scan updates the version, registers nothing twice; the human table names the skips.
        try standIn("claude", "echo '2.0.40 (Claude Code)'")
        #expect(try CLI.run(["discover", "--register"], db: db.url, env: env).status == 0)
        let again = try #require(try db.run("agent", "show", "claude", "--json").json as? [String: Any])
        #expect(again["version"] as? String == "2.0.40 (Claude Code)")
        let table = try CLI.run(["discover"], db: db.url, env: env)
        #expect(table.stdout.contains("skipped: --version did not finish") && !table.stdout.contains("\u{1B}"))
    }
}
