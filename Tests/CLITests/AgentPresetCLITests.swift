import Foundation
import Core
import Testing
import CLISupport

@Suite("CLI: agent presets, show and edit") struct AgentPresetCLITests {
    @Test("agent add --preset fills in every field, for each preset", arguments: CLIBackend.allCases)
    func addEachPreset(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        for p in AgentPresets.all {
            let r = try db.run("agent", "add", "--preset", p.name, "--binary", "/bin/true", "--json")
            #expect(r.status == 0, "\(r.stderr)")
            let a = try #require(r.json as? [String: Any])
            #expect(a["slug"] as? String == p.name)
            #expect(a["name"] as? String == p.displayName)
            #expect(a["tool_type"] as? String == "ai-agent" && a["kind"] as? String == "builtin")
            #expect(a["binary_path"] as? String == "/bin/true")
            #expect(a["base_args"] as? [String] == p.baseArgs)
            #expect(a["env_allowlist"] as? [String] == p.envAllowlist)
            #expect(a["discovery_method"] as? String == "preset")
            let config = try #require(a["session_config"] as? [String: Any])
            #expect(config["bidirectionalProtocol"] as? String == p.sessionConfig["bidirectionalProtocol"]?.stringValue)
            #expect((a["capabilities"] as? [[String: Any]])?.map { $0["key"] as? String } == ["implement"])
        }
        // Another slug for the same preset; the default slug is taken now.
        let second = try db.run("agent", "add", "--preset", "claude", "--slug", "claude-2", "--binary", "/bin/true")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("added agent claude-2"))
        expectCleanError(try db.run("agent", "add", "--preset", "claude", "--binary", "/bin/true"), contains: "already exists")
        expectCleanError(try db.run("agent", "add", "--preset", "cursor"), contains: "unknown --preset 'cursor'")
        expectCleanError(try db.run("agent", "add", "--slug", "x"), contains: "agent add needs --name, --binary")
        let agents = try #require(try db.run("agent", "list", "--json").json as? [[String: Any]])
        #expect(agents.count == 4, "the refused adds left nothing behind")
    }

    @Test("--preset without --binary looks the program up on PATH, and says so clearly when it is not there")
    func binaryFromPath() throws {
        guard let db = try CLIDatabase(.sqlite) else { return }
        let bin = db.dir.appendingPathComponent("bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("claude")
        try "#!/bin/sh\nexit 0\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let found = try CLI.run(["agent", "add", "--preset", "claude", "--json"], db: db.url, env: ["PATH": bin.path])
        #expect(found.status == 0, "\(found.stderr)")
        #expect((found.json as? [String: Any])?["binary_path"] as? String == fake.path)

        let empty = db.dir.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let missing = try CLI.run(["agent", "add", "--preset", "gemini"], db: db.url, env: ["PATH": empty.path])
        expectCleanError(missing, contains: "'gemini' was not found on PATH; give its location with --binary PATH")
    }

    @Test("agent show --json returns the session config and the implement capability; the human form is aligned",
          arguments: CLIBackend.allCases)
    func show(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--preset", "claude", "--binary", "/bin/true").status == 0)
        let a = try #require(try db.run("agent", "show", "claude", "--json").json as? [String: Any])
        let config = try #require(a["session_config"] as? [String: Any])
        #expect(config["bidirectionalProtocol"] as? String == "stream-json")
        #expect(config["resumeFlags"] as? [String] == ["--resume", "{{sessionRef}}"])
        #expect(config["continueFlags"] as? [String] == ["--continue"])
        for key in ["id", "slug", "name", "kind", "tool_type", "binary_path", "base_args", "working_dir", "env_allowlist", "is_active",
                    "max_concurrent", "discovery_method", "version", "model", "permission_mode", "instructions", "max_steps",
                    "metadata", "running", "created_at", "updated_at"] {
            #expect(a.keys.contains(key), "agent show --json has \(key)")
        }
        let caps = try #require(a["capabilities"] as? [[String: Any]])
        #expect(caps.count == 1)
        #expect(caps[0]["key"] as? String == "implement" && caps[0]["interaction_mode"] as? String == "prompt")
        #expect(caps[0]["prompt_template"] as? String == AgentPresets.implementTemplate)

        let human = try db.run("agent", "show", "claude")
        #expect(human.status == 0, "\(human.stderr)")
        let lines = human.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("slug:") && $0.hasSuffix(" claude") })
        #expect(lines.contains { $0.hasPrefix("session_config:") && $0.contains("\"bidirectionalProtocol\":\"stream-json\"") })
        #expect(lines.contains { $0.hasPrefix("  implement (prompt") })
        let valueColumns = Set(lines.prefix { !$0.hasPrefix("capabilities:") }.compactMap { l in
            l.range(of: ": ").map { r in l[r.upperBound...].prefix { $0 == " " }.count + l.distance(from: l.startIndex, to: r.upperBound) }
        })
        #expect(valueColumns.count == 1, "values start in one column")
        expectCleanError(try db.run("agent", "show", "nobody"), contains: "no agent with slug 'nobody'")
    }

    @Test("queuing the preset's implement renders the prompt from the task's title and description", arguments: CLIBackend.allCases)
    func implementRendersPrompt(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--preset", "codex", "--binary", "/bin/true").status == 0)
        let t = try #require(try db.run("task", "add", "--title", "Fix the parser", "--description", "It drops the last line.",
                                        "--json").json as? [String: Any])
        let r = try db.run("run", "--task", "\(t["id"]!)", "--capability", "codex:implement", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let e = try #require(r.json as? [String: Any])
        let prompt = try #require(e["prompt"] as? String)
        #expect(prompt.hasPrefix("Fix the parser\n\nIt drops the last line."))
        #expect(!prompt.contains("{{"), "every placeholder is filled (prompt additions render empty)")
    }

    @Test("agent edit changes protocol, args and other fields; --protocol none removes the protocol", arguments: CLIBackend.allCases)
    func edit(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--preset", "claude", "--binary", "/bin/true").status == 0)
        let r = try db.run("agent", "edit", "claude", "--protocol", "tmux", "--arg=-p", "--arg", "--verbose", "--arg", "plain",
                           "--name", "Claude (tmux)", "--max-concurrent", "3", "--active", "off", "--env", "HOME", "--env", "ANTHROPIC_*",
                           "--model", "opus", "--permission-mode", "acceptEdits", "--working-dir", "/tmp")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "updated agent claude: name, working_dir, max_concurrent, is_active, model, permission_mode, env_allowlist, base_args, session_config\n")
        var a = try #require(try db.run("agent", "show", "claude", "--json").json as? [String: Any])
        #expect(a["base_args"] as? [String] == ["-p", "--verbose", "plain"])
        #expect(a["name"] as? String == "Claude (tmux)" && a["max_concurrent"] as? Int == 3 && a["is_active"] as? Bool == false)
        #expect(a["env_allowlist"] as? [String] == ["HOME", "ANTHROPIC_*"])
        #expect(a["model"] as? String == "opus" && a["permission_mode"] as? String == "acceptEdits" && a["working_dir"] as? String == "/tmp")
        var config = try #require(a["session_config"] as? [String: Any])
        #expect(config["bidirectionalProtocol"] as? String == "tmux")
        #expect(config["resumeFlags"] as? [String] == ["--resume", "{{sessionRef}}"], "the rest of the session config stays")

        #expect(try db.run("agent", "edit", "claude", "--protocol", "none", "--clear-args", "--model", "").status == 0)
        a = try #require(try db.run("agent", "show", "claude", "--json").json as? [String: Any])
        config = try #require(a["session_config"] as? [String: Any])
        #expect(config["bidirectionalProtocol"] == nil)
        #expect(config["sessionIdSource"] as? String == "json_field")
        #expect(a["base_args"] as? [String] == [] && a["model"] is NSNull)
        #expect(a["discovery_method"] as? String == "preset" && a["slug"] as? String == "claude", "edit leaves slug and discovery alone")
    }

    @Test("agent edit refuses an unknown slug, a bad protocol and an empty change with one line", arguments: CLIBackend.allCases)
    func editRefusals(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--preset", "gemini", "--binary", "/bin/true").status == 0)
        expectCleanError(try db.run("agent", "edit", "nobody", "--name", "x"), contains: "no agent with slug 'nobody'")
        expectCleanError(try db.run("agent", "edit", "gemini", "--protocol", "grpc"),
                         contains: "unknown --protocol 'grpc' (expected stream-json, app-server, tmux, none)")
        expectCleanError(try db.run("agent", "edit", "gemini", "--active", "maybe"), contains: "--active must be on or off")
        expectCleanError(try db.run("agent", "edit", "gemini"), contains: "nothing to change")
        expectCleanError(try db.run("agent", "edit", "gemini", "--max-concurrent", "0"), contains: "--max-concurrent must be at least 1")
        expectCleanError(try db.run("agent", "edit", "gemini", "--env", "A=B"), contains: "--env 'A=B' is not a variable name")
        let a = try #require(try db.run("agent", "show", "gemini", "--json").json as? [String: Any])
        #expect((a["session_config"] as? [String: Any])?["bidirectionalProtocol"] as? String == "tmux", "refusals changed nothing")
    }
}
