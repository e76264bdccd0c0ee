/// Command lines mutated from valid ones: hostile strings, control characters, empty strings, huge and
/// negative numbers, unknown flags, bad dates and bad database URLs in the places real ones go. No template
/// starts a worker, follows a log or opens the dashboard, so every case ends by itself.
public struct ArgvMutator {
    public static let templates: [[String]] = [
        ["task", "add", "--title", "Write the parser", "--priority", "2", "--due", "2026-12-01", "--assignee", "git"],
        ["task", "add", "--title", "Ship", "--status", "in_progress", "--description", "notes", "--json"],
        ["task", "list", "--json"], ["task", "list", "--status", "todo"], ["task", "show", "1"], ["task", "show", "1", "--json"],
        ["task", "move", "1", "--to", "in_progress", "--position", "0"], ["task", "depend", "2", "--on", "1"],
        ["agent", "add", "--slug", "codex", "--name", "Codex", "--binary", "/usr/bin/codex", "--kind", "ai-agent", "--max-concurrent", "2"],
        ["agent", "list"], ["agent", "list", "--json"],
        ["capability", "add", "--agent", "git", "--key", "log", "--label", "History", "--command", "log", "--oneline",
         "--timeout", "30", "--danger", "1"],
        ["capability", "add", "--agent", "git", "--key", "explain", "--label", "Explain", "--prompt", "Explain {{path}}", "--json"],
        ["run", "--task", "1", "--capability", "git:log", "--arg", "count=3", "--max-retries", "1"],
        ["exec", "list", "--limit", "5"], ["exec", "show", "1"], ["exec", "cancel", "1"], ["exec", "retry", "1", "--json"],
        ["exec", "logs", "1"], ["exec", "approve", "1"], ["session", "list"], ["session", "show", "1", "--json"],
        ["cost", "--by", "day", "--since", "2026-01-01"], ["cost", "--by", "block", "--breakdown", "--json", "--now", "2026-03-02T11:00:00Z"],
        ["cost", "--by", "week", "--breakdown"], ["import", "claude", "/nonexistent/agentmon-fuzz"],
        ["db", "status"], ["db", "migrate", "--dry-run", "--limit", "1"], ["db", "validate"],
        ["agent", "add", "--preset", "claude", "--slug", "c2", "--binary", "/bin/true"], ["agent", "show", "git", "--json"],
        ["agent", "edit", "git", "--protocol", "tmux", "--arg=-p", "--arg", "log", "--env", "HOME", "--max-concurrent", "3"],
        ["inbox", "list", "--json"], ["inbox", "approve", "c1"], ["inbox", "deny", "a1", "--reason", "not now"],
        ["inbox", "history", "--json", "--limit", "3"], ["exec", "send", "1", "rebase first", "--timeout", "0"],
        ["exec", "interrupt", "1", "--timeout", "0"], ["rule", "add", "--agent", "git", "--tool", "Bash", "--match", "rm -rf", "--decision", "deny"],
        ["rule", "add", "--tool", "Read", "--decision", "allow", "--json"], ["rule", "list", "--json"], ["rule", "remove", "1"], ["discover", "--json"],
        ["task", "edit", "1", "--title", "Renamed", "--priority", "1", "--due", "2026-12-24", "--assignee", "git", "--json"],
        ["task", "edit", "1", "--auto-run", "git:log", "--json"], ["task", "edit", "1", "--auto-run", "none"],
        ["task", "edit", "2", "--parent", "1", "--description", ""], ["task", "undepend", "2", "--on", "1", "--json"],
        ["task", "delete", "2"], ["task", "delete", "1", "--force", "--json"],
        ["agent", "enable", "git", "--json"], ["agent", "disable", "git"], ["agent", "remove", "git"], ["agent", "remove", "git", "--force", "--json"],
        ["capability", "edit", "git:log", "--label", "Log", "--danger", "2", "--requires-approval", "on", "--timeout", "60", "--json"],
        ["capability", "enable", "git:log"], ["capability", "disable", "git:log", "--json"], ["capability", "remove", "git:log", "--force"],
        ["session", "rename", "1", "A title", "--json"], ["session", "close", "1"], ["session", "delete", "1", "--force", "--json"],
        ["message", "delete", "1", "--json"], ["settings", "set", "worker.poll_ms", "250", "--json"], ["settings", "get", "worker.poll_ms"],
        ["settings", "list", "--json"], ["agent", "edit", "git", "--mcp", "on", "--json"], ["mcp", "--agent", "git"],
        ["capability", "edit", "git:log", "--isolation", "worktree"], ["task", "edit", "1", "--isolation", "inherit", "--json"],
        ["task", "merge", "1", "--json"], ["exec", "diff", "1"], ["worktree", "list", "--json"], ["worktree", "prune"],
    ]

    public enum Mutation: String, CaseIterable, Sendable {
        case hostileValue, emptyValue, hugeNumber, negativeNumber, badDate, badURL, unknownFlag, dropToken,
             duplicateToken, swapTokens, controlInFlag, truncateToken
    }

    public init() {}

    public func generate(_ rng: inout SeededRandom) -> (argv: [String], mutations: [Mutation]) {
        var argv = rng.pick(Self.templates)
        var applied: [Mutation] = []
        for _ in 0..<(1 + rng.below(3)) {
            let m = rng.pick(Mutation.allCases)
            applied.append(m)
            // Values are the tokens after the subcommand names that do not start with "--".
            let values = argv.indices.filter { $0 >= 2 && !argv[$0].hasPrefix("--") }
            let at = values.isEmpty ? argv.count : rng.pick(values)
            func set(_ v: String) { if at < argv.count { argv[at] = v } else { argv.append(v) } }
            switch m {
            case .hostileValue: set(rng.pick(HostileStrings.all))
            case .emptyValue: set("")
            case .hugeNumber: set(rng.pick(["99999999999999999999999", "9223372036854775808", "1e400", String(repeating: "9", count: 400)]))
            case .negativeNumber: set(rng.pick(["-1", "-0", "-9223372036854775808", "-99999999999999999999"]))
            case .badDate:
                let flag = rng.pick(["--due", "--since"])
                if let i = argv.firstIndex(of: flag), i + 1 < argv.count { argv[i + 1] = rng.pick(HostileStrings.badDates) }
                else { argv += [flag, rng.pick(HostileStrings.badDates)] }
            case .badURL: argv.insert(contentsOf: ["--db", rng.pick(HostileStrings.badURLs)], at: rng.below(argv.count + 1))
            case .unknownFlag:
                argv.insert(rng.pick(["--frobnicate", "-Z", "--\u{1B}]2;pwned\u{07}", "--pri\u{9B}ority", "---", "--=x", "-\u{202E}"]),
                            at: 1 + rng.below(argv.count))
            case .dropToken: if argv.count > 1 { argv.remove(at: 1 + rng.below(argv.count - 1)) }
            case .duplicateToken: let i = rng.below(argv.count); argv.insert(argv[i], at: i)
            case .swapTokens: argv.swapAt(rng.below(argv.count), rng.below(argv.count))
            case .controlInFlag:
                let flags = argv.indices.filter { argv[$0].hasPrefix("--") }
                if let f = flags.isEmpty ? nil : rng.pick(flags) { argv[f] += rng.pick(["\u{1B}", "\u{9B}", "\u{0}", "\u{202E}", "\n"]) }
            case .truncateToken:
                let i = rng.below(argv.count)
                argv[i] = String(argv[i].prefix(rng.below(argv[i].count + 1)))
            }
        }
        // A generated `worker`, `demo` or bare command would run until stopped: keep the subcommand a known one.
        if argv.first.map({ !["task", "agent", "capability", "run", "exec", "session", "cost", "import", "db", "inbox", "rule", "discover", "message", "settings", "worktree"].contains($0) }) ?? true {
            argv.insert("task", at: 0)
        }
        if argv.contains("--follow") || argv.contains("-f") { argv.removeAll { $0 == "--follow" || $0 == "-f" } }
        return (argv, applied)
    }
}
