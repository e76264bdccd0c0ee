import Foundation
import Testing
import Core

/// Reading `--version` and `--help` output (discovery): a version banner is accepted, garbage and usage
/// screens are not, and only an unambiguous subcommand listing becomes capabilities.
@Suite("Discovery rules") struct DiscoveryRulesTests {
    @Test func versions() {
        func v(_ s: String, _ status: Int32 = 0) -> String? { try? DiscoveryRules.version(fromOutput: s, status: status).get() }
        #expect(v("2.0.31 (Claude Code)\n") == "2.0.31 (Claude Code)")
        #expect(v("\n  git version 2.43.0\n") == "git version 2.43.0")
        #expect(v("codex-cli 0.46.0") == "codex-cli 0.46.0")
        #expect(v("2.0.31", 1) == nil, "a failing --version")
        #expect(v("") == nil)
        #expect(v("usage: tool [options]\n") == nil, "no version number")
        #expect(v("\u{0}\u{FFFD}\u{1B}[2J 1.2") == nil, "binary garbage and escapes")
        #expect(v(String(repeating: "1.2 ", count: 100)) == nil, "a line far too long for a banner")
    }

    @Test func subcommandListings() {
        let cargo = """
            Rust's package manager

            Usage: cargo [OPTIONS] [COMMAND]

            Commands:
                build, b    Compile the current package
                check, c    Analyze the current package and report errors
                new         Create a new cargo package
                help        Show help

            See 'cargo help <command>' for more information on a specific command.
            """
        let subs = DiscoveryRules.subcommands(fromHelp: cargo)
        #expect(subs.map(\.name) == ["build", "check", "new"])
        #expect(subs.first?.summary == "Compile the current package")
        let goHelp = "Go is a tool.\n\nThe commands are:\n\n\tbug         start a bug report\n"
        #expect(DiscoveryRules.subcommands(fromHelp: goHelp).isEmpty, "a blank line after the heading: not the expected shape")
        #expect(DiscoveryRules.subcommands(fromHelp: "Commands:\n  only  one\n").isEmpty, "one entry is not a listing")
        #expect(DiscoveryRules.subcommands(fromHelp: "usage: make [options] [target] ...\nOptions:\n  -b, -m   Ignored.\n").isEmpty)
        #expect(DiscoveryRules.subcommands(fromHelp: "Commands:\n  Run   x\n  Stop   y\n").isEmpty, "capitalised words are not commands")
    }

    @Test func catalogueNamesEveryAgentTheIssueNames() {
        let names = Set(DiscoveryRules.known.map(\.name))
        #expect(names.isSuperset(of: ["claude", "codex", "gemini", "opencode", "aider", "goose", "amp", "cursor-agent", "copilot",
                                     "git", "make", "npm", "pytest", "cargo", "go", "docker"]))
        #expect(DiscoveryRules.known.filter { $0.preset != nil }.map(\.name) == ["claude", "codex", "gemini"])
    }
}
