import Foundation
import Importers
import SystemSupport

/// Where the agents keep their sessions on this machine, from the environment:
/// - Claude Code: `~/.claude/projects`, and `<dir>/projects` for each dir of the comma-separated `CLAUDE_CONFIG_DIR`
///   (sub-agent files under `<session>/subagents/` included);
/// - Codex: `$CODEX_HOME/sessions`, by default `~/.codex/sessions` (`rollout-*.jsonl` in dated folders);
/// - Gemini CLI: `~/.gemini/tmp/<project hash>/chats/` (`session-*.json` and `.jsonl`);
/// - OpenCode: its data folder `$XDG_DATA_HOME/opencode` (by default `~/.local/share/opencode`: sst/opencode
///   `global/index.ts` joins xdg-basedir's data folder and "opencode"), which holds `storage/` and `opencode.db`.
public struct SyncLocations: Sendable, Equatable {
    public var claude: [String]
    public var codex: [String]
    public var gemini: [String]
    public var opencode: [String]

    public init(claude: [String] = [], codex: [String] = [], gemini: [String] = [], opencode: [String] = []) {
        self.claude = claude; self.codex = codex; self.gemini = gemini; self.opencode = opencode
    }

    public static func from(environment env: [String: String] = ProcessInfo.processInfo.environment) -> SyncLocations {
        let home = AppPaths.home(env)
        func under(_ base: String, _ rest: String) -> String { URL(fileURLWithPath: base).appendingPathComponent(rest).path }
        var claude = [under(home, ".claude/projects")]
        for dir in (env["CLAUDE_CONFIG_DIR"] ?? "").split(separator: ",") {
            let d = dir.trimmingCharacters(in: .whitespaces)
            guard !d.isEmpty else { continue }
            let p = under(expand(d, home: home), "projects")
            if !claude.contains(p) { claude.append(p) }
        }
        let codexHome = nonEmpty(env["CODEX_HOME"]).map { expand($0, home: home) } ?? under(home, ".codex")
        let data = AppPaths.dataHome(environment: env)
        return SyncLocations(claude: claude, codex: [under(codexHome, "sessions")], gemini: [under(home, ".gemini/tmp")],
                             opencode: [under(data, "opencode")])
    }

    /// The folders of one source.
    public func roots(_ source: ImportSource) -> [String] {
        switch source {
        case .claude: claude
        case .codex: codex
        case .gemini: gemini
        case .opencode: opencode
        }
    }

    static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
    static func expand(_ p: String, home: String) -> String {
        p == "~" ? home : p.hasPrefix("~/") ? home + p.dropFirst(1) : p
    }
}
