import Foundation
import Testing
import CLISupport
import TestSupport
import FuzzCorpus

@Suite("CLI: sync") struct SyncCLITests {
    static func sync(_ db: CLIDatabase, _ home: AgentHome, json: Bool = true) throws -> CLIResult {
        try CLI.run(["sync"] + (json ? ["--json"] : []), db: db.url, env: home.environment)
    }

    static func total(_ r: CLIResult) -> [String: Int] {
        ((r.json as? [String: Any])?["total"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    @Test("sync --json imports the test home, then nothing; counts per source; skips named; exit 0", arguments: CLIBackend.allCases)
    func sync(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let home = try AgentHome()
        // A name a terminal would obey, on something that cannot be read as a file.
        let hostile = home.file(".claude/projects/-work-demo/\u{1B}]0;pwned\u{07}\u{1B}[2J.jsonl")
        #expect(mkfifo(hostile, 0o600) == 0)

        let first = try Self.sync(db, home)
        #expect(first.status == 0, "\(first.stderr)")
        let object = try #require(first.json as? [String: Any])
        #expect(Set(object.keys) == ["sources", "total", "skipped"])
        let claude = try #require((object["sources"] as? [String: Any])?["claude"] as? [String: Int])
        #expect(Set(claude.keys) == ["files_scanned", "files_read", "sessions_new", "sessions_updated", "messages_added", "skipped_lines"])
        #expect(Self.total(first)["sessions_new"] == AgentHome.fixtureSessions)
        #expect(Self.total(first)["messages_added"] == AgentHome.fixtureMessages)
        let skipped = try #require(object["skipped"] as? [[String: String]])
        #expect(skipped.count == 1)
        #expect(skipped.first?["path"] == hostile && skipped.first?["reason"] == "not a regular file" && skipped.first?["source"] == "claude")
        #expect(!first.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })

        let second = try Self.sync(db, home)
        #expect(second.status == 0)
        #expect(Self.total(second)["messages_added"] == 0 && Self.total(second)["files_read"] == 0)

        try home.append(AgentHome.claudeSession, AgentHome.claudeLine(session: "2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01", uuid: "u9",
                                                                     parent: "a3", role: "user", text: "one more"))
        let text = try Self.sync(db, home, json: false)
        #expect(text.status == 0)
        #expect(text.stdout.contains("claude: 2 files, 1 read; 0 new sessions, 1 updated, 1 messages added"), "\(text.stdout)")
        #expect(text.stdout.contains("skipped claude ") && text.stdout.contains("not a regular file"))
        #expect(!text.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
    }

    @Test("hostile arguments are refused in one line; hostile agent folder variables are read as paths, never a failure or raw output")
    func hostileInput() throws {
        guard let db = try CLIDatabase(.sqlite) else { return }
        let home = try AgentHome()
        for h in HostileStrings.all where !h.isEmpty && !h.contains("\0") {
            let args = try CLI.run(["sync", "--json", h], db: db.url, env: home.environment, cwd: home.dir, timeout: 30)
            // Refused in one clean line ("--json" and "--" are valid, and sync).
            #expect(args.status == 0 || (args.stderrLines.count == 1 && TerminalHazards.first(in: args.stderr) == nil),
                    "\(h.debugDescription): \(args.stderr)")
            #expect(!args.signalled && TerminalHazards.first(in: args.stdout) == nil)
            for variable in ["CLAUDE_CONFIG_DIR", "CODEX_HOME", "XDG_DATA_HOME"] {
                var env = home.environment
                env[variable] = h
                let r = try CLI.run(["sync"], db: db.url, env: env, cwd: home.dir, timeout: 30)
                #expect(r.status == 0 && !r.signalled, "\(variable)=\(h.debugDescription): \(r.stderr)")
                #expect(TerminalHazards.first(in: r.stdout) == nil, "\(variable)=\(h.debugDescription): \(r.stdout)")
            }
        }
    }

    @Test("a database that cannot be reached is one line and a non-zero exit")
    func unreachable() throws {
        let home = try AgentHome()
        expectCleanError(try CLI.run(["sync"], db: "postgresql://agentmon@127.0.0.1:1/none?connect_timeout=2", env: home.environment),
                         contains: "cannot connect to PostgreSQL")
    }
}
