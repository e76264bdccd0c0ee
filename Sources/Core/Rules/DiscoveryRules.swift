import Foundation

/// What discovery looks for and how it reads what it finds (`agentmon discover`). Pure: the scanner in the
/// Discovery module runs the programs; these rules decide what their output means.
public enum DiscoveryRules {
    public struct Known: Sendable, Equatable {
        /// The program's name on PATH, and the agent's slug.
        public let name: String
        public let displayName: String
        public let toolType: ToolType
        /// The preset that applies (claude, codex, gemini), if any.
        public let preset: String?
    }

    /// AI coding agents first, then common tools (issue 13).
    public static let known: [Known] = [
        Known(name: "claude", displayName: "Claude Code", toolType: .aiAgent, preset: "claude"),
        Known(name: "codex", displayName: "Codex CLI", toolType: .aiAgent, preset: "codex"),
        Known(name: "gemini", displayName: "Gemini CLI", toolType: .aiAgent, preset: "gemini"),
        Known(name: "opencode", displayName: "OpenCode", toolType: .aiAgent, preset: nil),
        Known(name: "aider", displayName: "Aider", toolType: .aiAgent, preset: nil),
        Known(name: "goose", displayName: "Goose", toolType: .aiAgent, preset: nil),
        Known(name: "amp", displayName: "Amp", toolType: .aiAgent, preset: nil),
        Known(name: "cursor-agent", displayName: "Cursor Agent", toolType: .aiAgent, preset: nil),
        Known(name: "copilot", displayName: "GitHub Copilot CLI", toolType: .aiAgent, preset: nil),
        Known(name: "git", displayName: "git", toolType: .cliTool, preset: nil),
        Known(name: "make", displayName: "make", toolType: .cliTool, preset: nil),
        Known(name: "npm", displayName: "npm", toolType: .cliTool, preset: nil),
        Known(name: "pytest", displayName: "pytest", toolType: .cliTool, preset: nil),
        Known(name: "cargo", displayName: "cargo", toolType: .cliTool, preset: nil),
        Known(name: "go", displayName: "go", toolType: .cliTool, preset: nil),
        Known(name: "docker", displayName: "docker", toolType: .cliTool, preset: nil),
    ]

    /// The version a `--version` printed: its first line, when it is short, printable text holding a version
    /// number (`2.0.31 (Claude Code)`, `git version 2.43.0`, `codex-cli 0.46.0`). Anything else (a hang, binary
    /// garbage, a usage screen) is nil, with the reason.
    public static func version(fromOutput output: String, status: Int32) -> Result<String, Refusal> {
        guard status == 0 else { return .failure(Refusal("--version exited with \(status)")) }
        if output.unicodeScalars.contains(where: { $0.value == 0xFFFD || ($0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r") }) {
            return .failure(Refusal("--version printed binary or control characters"))
        }
        guard let first = output.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { !$0.isEmpty }) else { return .failure(Refusal("--version printed nothing")) }
        guard first.count <= 120 else { return .failure(Refusal("--version printed a line of \(first.count) characters")) }
        guard first.range(of: #"\d+\.\d+"#, options: .regularExpression) != nil else {
            return .failure(Refusal("--version printed no version number"))
        }
        return .success(first)
    }

    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ d: String) { description = d }
    }

    /// Subcommands listed by a `--help`, when the listing is unambiguous: a heading of its own line
    /// ("Commands:", "Available Commands:", "The commands are:", "Management Commands:" …) followed by indented
    /// `name  description` lines. Names are lower-case words (`-` allowed); a listing that is not in that shape
    /// gives nothing rather than a guess.
    public static func subcommands(fromHelp help: String) -> [(name: String, summary: String)] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let heading = try! NSRegularExpression(pattern: #"^\s*((available|management|common|main|other)\s+)?(sub)?commands( are)?\s*:?\s*$|^\s*the commands are\s*:?\s*$"#,
                                               options: [.caseInsensitive])
        let entry = try! NSRegularExpression(pattern: #"^\s{1,8}([a-z][a-z0-9-]{0,31})(?:,\s*[a-z][a-z0-9-]*)?\s{2,}(\S.*)$"#)
        var out: [(String, String)] = []
        var seen = Set<String>()
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if heading.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)) != nil {
                i += 1
                while i < lines.count {
                    let e = lines[i]
                    if e.trimmingCharacters(in: .whitespaces).isEmpty { break }
                    guard let m = entry.firstMatch(in: e, range: NSRange(e.startIndex..., in: e)),
                          let n = Range(m.range(at: 1), in: e), let d = Range(m.range(at: 2), in: e) else { break }
                    let name = String(e[n])
                    if seen.insert(name).inserted, name != "help" { out.append((name, String(e[d]).trimmingCharacters(in: .whitespaces))) }
                    i += 1
                }
            }
            i += 1
        }
        return out.count >= 2 ? out.prefix(64).map { $0 } : []
    }
}
