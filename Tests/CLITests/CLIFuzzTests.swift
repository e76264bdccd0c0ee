import Foundation
import Testing
import CLISupport
import FuzzCorpus

/// Fuzzed command lines through the real binary (the in-process suite runs thousands through the parser):
/// no crash, nothing a terminal acts on in its output, and a refusal is one line.
@Suite("Fuzz: command lines through the binary") struct CLIFuzzTests {
    static let cases = 60
    static let baseSeed = SeededRandom.baseSeed(fallback: 0xB1_7A2E, environment: ProcessInfo.processInfo.environment)

    @Test func fuzzedCommandLinesNeverCrashOrLeakEscapes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-clifuzz-\(UUID().uuidString)")
        let cwd = dir.appendingPathComponent("cwd")
        try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("board.db").path
        // Something for the commands to find: an agent with a capability, two tasks, a queued run.
        for args in [["agent", "add", "--slug", "git", "--name", "git", "--binary", "/usr/bin/git"],
                     ["capability", "add", "--agent", "git", "--key", "log", "--label", "History", "--command", "log"],
                     ["task", "add", "--title", "one"], ["task", "add", "--title", "two"], ["run", "--task", "1", "--capability", "git:log"]] {
            #expect(try CLI.run(args, db: db).status == 0)
        }
        let mutator = ArgvMutator()
        var failures = 0
        for i in 0..<Self.cases {
            let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
            var rng = SeededRandom(seed: seed)
            let (argv, mutations) = mutator.generate(&rng)
            let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(mutations)): \(argv.debugDescription)"
            let r = try CLI.run(argv, db: db, cwd: cwd, timeout: 30)
            #expect(!r.signalled && r.status < 128, "\(replay): crashed or hung (\(r.status)): \(r.stderr)")
            // `exec logs` to a pipe writes the log's bytes as they are, by design; every other output is sanitised.
            if !(argv.starts(with: ["exec", "logs"])) {
                #expect(TerminalHazards.first(in: Array(r.stdoutBytes)) == nil, "\(replay): stdout \(r.stdout.debugDescription)")
            }
            #expect(TerminalHazards.first(in: Array(r.stderrBytes)) == nil, "\(replay): stderr \(r.stderr.debugDescription)")
            if r.status != 0 {
                failures += 1
                #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("agentmon: "), "\(replay): \(r.stderr)")
                for trap in ["Fatal error", "Backtrace", "Swift runtime failure"] { #expect(!r.stderr.contains(trap), "\(replay)") }
            }
        }
        #expect(failures > Self.cases / 4, "the corpus reaches the refusals")
    }
}
