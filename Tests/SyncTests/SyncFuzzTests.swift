import Foundation
import Testing
import Core
import Storage
import TestSupport
import FuzzCorpus
@testable import Importers
@testable import Sync

/// Hostile names and contents in the watched folders: mutated Claude sessions and Codex rollouts, written in
/// pieces cut anywhere (a pass between pieces, as when an agent is caught mid-line), under names a terminal would
/// obey, beside things that are not files. No pass may fail or trap, and a pass over unchanged folders reads nothing.
@Suite("Fuzz: sync over hostile folders") struct SyncFuzzTests {
    static let cases = 150
    static let baseSeed = SeededRandom.baseSeed(fallback: 0x5C_2026, environment: ProcessInfo.processInfo.environment)

    /// A file name from a hostile string: no "/" or NUL (the system refuses them), at most 200 bytes.
    static func name(_ s: String, _ ext: String) -> String {
        let cleaned = String(s.unicodeScalars.filter { $0 != "/" && $0 != "\0" }.map(Character.init))
        var out = ""
        for ch in cleaned where out.utf8.count + String(ch).utf8.count <= 200 { out.append(ch) }
        return (out.isEmpty || out == "." || out == ".." ? "x" : out) + ext
    }

    @Test("mutated, cut and hostile-named transcripts never fail a pass, and a second pass reads nothing")
    func hostileFolders() throws {
        let home = try AgentHome(filled: false)
        let store = try Store.open(home.file("fuzz.db"))
        defer { store.close() }
        let syncer = Syncer(store: store, locations: .from(environment: home.environment))
        let seeds = [(AgentHome.claudeSession, "claude"), (AgentHome.codexRollout, "codex")].map { relative, _ in
            TranscriptMutator(seed: Array((try? Data(contentsOf: AgentHome.fixtures.appendingPathComponent(String(relative.dropFirst())))) ?? Data()))
        }
        var read = 0
        for i in 0..<Self.cases {
            let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
            var rng = SeededRandom(seed: seed)
            let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)))"
            let claude = rng.chance(50)
            let (bytes, _) = seeds[claude ? 0 : 1].generate(&rng)
            let folder = claude ? ".claude/projects/" + Self.name(rng.pick(HostileStrings.all), "") : ".codex/sessions/2026/12/01"
            let relative = folder + "/" + Self.name(rng.pick(HostileStrings.all) + "\(i)", ".jsonl")
            // Things that are not transcripts, named like them.
            if rng.chance(10) {
                let odd = home.file(folder + "/" + Self.name(rng.pick(HostileStrings.all) + "odd\(i)", ".jsonl"))
                try FileManager.default.createDirectory(atPath: home.file(folder), withIntermediateDirectories: true)
                switch rng.below(3) {
                case 0: _ = mkfifo(odd, 0o600)
                case 1: try? FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
                default: try? FileManager.default.createSymbolicLink(atPath: odd, withDestinationPath: "/nonexistent/\(i)")
                }
            }
            var cuts = (0..<rng.below(4)).map { _ in rng.below(bytes.count + 1) }.sorted()
            cuts.append(bytes.count)
            var start = 0
            for cut in cuts {
                try home.append(relative, bytes: Data(bytes[start..<cut]))
                start = cut
                do { read += try syncer.pass().total.filesRead } catch { Issue.record("\(replay): a pass failed: \(error)") }
            }
            let again = try syncer.pass()
            #expect(again.total.filesRead == 0 && again.total.messagesAdded == 0, "\(replay): \(again.lines)")
        }
        #expect(read > Self.cases / 2, "most cases were read")
    }
}
