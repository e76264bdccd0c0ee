import Foundation
import ArgumentParser

/// `agentmon-bench`: measures the product against DESIGN.md §6 and prints JSON. Build it in release:
/// `swift run -c release agentmon-bench board --tasks 100000 --json`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agentmon-bench",
                                                    abstract: "Benchmarks for agentmon (run in release).",
                                                    subcommands: [BoardBench.self, BoardInProcessBench.self, LogsBench.self, ClaimsBench.self, TranscriptBench.self, AnswerBench.self, SearchBench.self])
}

do {
    var command = try Bench.parseAsRoot()
    try command.run()
} catch {
    Bench.exit(withError: error)
}
