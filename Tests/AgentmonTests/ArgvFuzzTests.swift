import Foundation
import Testing
import FuzzCorpus
@testable import agentmon

/// Mutated command lines through the program's own parsing (ArgumentNormalizer, then Agentmon.parseAsRoot
/// with every command's validate()): the parse never traps, and a refusal is one clean line.
@Suite("Fuzz: command lines through the argument parser") struct ArgvFuzzTests {
    static let cases = 3_000
    static let baseSeed = SeededRandom.baseSeed(fallback: 0xC11_F022, environment: ProcessInfo.processInfo.environment)

    @Test func mutatedCommandLinesParseOrFailInOneCleanLine() {
        let mutator = ArgvMutator()
        var refused = 0, parsed = 0, hostileRefusals = 0
        for i in 0..<Self.cases {
            let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
            var rng = SeededRandom(seed: seed)
            let (argv, mutations) = mutator.generate(&rng)
            let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(mutations)): \(argv.debugDescription)"
            do {
                _ = try Agentmon.parseAsRoot(ArgumentNormalizer.normalize(argv))
                parsed += 1
            } catch {
                guard let report = ErrorReport.report(error) else { continue }  // --help
                refused += 1
                if argv.contains(where: { TerminalHazards.first(in: $0) != nil }) { hostileRefusals += 1 }
                #expect(!report.line.contains("\n"), "\(replay): \(report.line)")
                #expect(report.line.hasPrefix("agentmon: ") && report.line.count > "agentmon: ".count + 5, "\(replay): \(report.line)")
                #expect(TerminalHazards.first(in: report.line) == nil, "\(replay): \(report.line.debugDescription)")
                #expect(report.status == 1 || report.status == 64, "\(replay)")
            }
        }
        print("fuzz argv: \(Self.cases) cases, \(parsed) parsed, \(refused) refused (\(hostileRefusals) holding control characters)")
        // Both outcomes are reached, and hostile text did reach the error messages that had to be cleaned.
        #expect(parsed > Self.cases / 20 && refused > Self.cases / 4 && hostileRefusals > 50)
    }

    /// Every refusal the brief lists reads as one line that names the accepted form.
    @Test(arguments: [
        (["task", "add", "--title", "x", "--due", "2026-13-45"], "is not an ISO 8601 date; use YYYY-MM-DD"),
        (["task", "add", "--title", "x", "--due", "2026-02-30"], "is not an ISO 8601 date"),
        (["task", "add", "--title", "x", "--due", "2025-02-29"], "is not an ISO 8601 date"),
        (["task", "add", "--title", "x", "--due", "2026-01-01T25:61"], "is not an ISO 8601 date"),
        (["task", "add", "--title", "x", "--due", "2026-01-01T10:00+99:00"], "is not an ISO 8601 date"),
        (["cost", "--since", "2026-02-30"], "--since '2026-02-30' is not an ISO 8601 date"),
        (["cost", "--by", "block\u{1B}[2J"], "unknown --by 'block^[[2J' (expected task, agent, session, day, week, month or block)"),
        (["cost", "--by", "session", "--breakdown"], "--breakdown needs --by day, week, month or block"),
        (["cost", "--by", "block", "--now", "noon"], "--now 'noon' is not an ISO 8601 date"),
        (["task", "add", "--title", "x", "--priority", "-1"], "--priority must be 1 to 5"),
        (["task", "add", "--title", "x", "--priority", "6"], "--priority must be 1 to 5"),
        (["task", "add", "--title", "x", "--priority", "99999999999999999999"], "--priority must be 1 to 5"),
        (["task", "move", "1", "--to", "done", "--position", "-1"], "--position must be 0 or more"),
        (["capability", "add", "--agent", "a", "--key", "k", "--label", "l", "--prompt", "p", "--danger", "-1"], "--danger must be 0 to 3"),
        (["exec", "list", "--limit", "-5"], "--limit must be at least 1"),
        (["capability", "edit", "git:log", "--isolation", "sandbox"], "--isolation must be worktree or none"),
        (["task", "edit", "1", "--isolation", "\u{1B}[2J"], "--isolation must be worktree, none or inherit"),
        (["agent", "add", "--slug", "Bad Slug", "--name", "n", "--binary", "b"], "invalid agent slug 'Bad Slug': use 1 to 64"),
        (["agent", "add", "--slug", "x\u{1B}]2;pwned\u{07}", "--name", "n", "--binary", "b"], "invalid agent slug 'x^[]"),
    ] as [([String], String)])
    func refusalsAreOneLine(_ argv: [String], _ fragment: String) throws {
        do {
            _ = try Agentmon.parseAsRoot(ArgumentNormalizer.normalize(argv))
            Issue.record("\(argv) was accepted")
        } catch {
            let report = try #require(ErrorReport.report(error))
            #expect(report.line.contains(fragment), "\(report.line)")
            #expect(!report.line.contains("\n") && TerminalHazards.first(in: report.line) == nil)
        }
    }

    @Test(arguments: HostileStrings.goodDates)
    func goodDatesParse(_ date: String) throws {
        _ = try Agentmon.parseAsRoot(["task", "add", "--title", "x", "--due", date])
    }
}
