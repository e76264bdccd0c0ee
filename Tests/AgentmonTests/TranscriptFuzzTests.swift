import Foundation
import Testing
import Core
import Storage
import Importers
import FuzzCorpus
@testable import agentmon

/// Mutated transcripts through the real importers into a scratch SQLite database: none may crash, and every
/// imported string comes out of `session show` (text and --json) inert on a terminal.
@Suite("Fuzz: transcripts through the importers") struct TranscriptFuzzTests {
    static let casesPerImporter = 2_000
    static let baseSeed = SeededRandom.baseSeed(fallback: 0xA6E7_7305, environment: ProcessInfo.processInfo.environment)

    enum Family: String, CaseIterable, CustomStringConvertible {
        case claudeStream, claudeSession, codexExec, codexRollout, gemini
        var description: String { rawValue }
        var source: ImportSource {
            switch self {
            case .claudeStream, .claudeSession: return .claude
            case .codexExec, .codexRollout: return .codex
            case .gemini: return .gemini
            }
        }

        static let claudeSessionFolders = ["/claude/projects/", "/claude/titles/", "/claude/sidechain/", "/claude/ccusage/"]

        /// The valid files each case grows from: the importers' fixtures and the demo transcripts.
        var seedFiles: [URL] {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let dirs = [root.appendingPathComponent("Tests/ImportersTests/Fixtures"), root.appendingPathComponent("Sources/DemoData/Transcripts")]
            let all = dirs.flatMap { d in
                (FileManager.default.enumerator(at: d, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                    .filter { $0.pathExtension == "jsonl" || ($0.pathExtension == "json" && $0.path.contains("/chats/")) }
            }.sorted { $0.path < $1.path }
            return all.filter { u in
                let p = u.path
                switch self {
                case .gemini: return p.contains("/gemini/")
                case .claudeStream: return p.contains("/claude/") && !Self.claudeSessionFolders.contains { p.contains($0) }
                case .claudeSession: return Self.claudeSessionFolders.contains { p.contains($0) }
                case .codexExec: return p.contains("/codex/") && !p.contains("/sessions/")
                case .codexRollout: return p.contains("/codex/sessions/")
                }
            }
        }
    }

    @Test("mutated transcripts never crash an importer and are sanitised in session show", arguments: Family.allCases)
    func importAndShow(_ family: Family) throws {
        let seeds = try family.seedFiles.map { Array(try Data(contentsOf: $0)) }
        try #require(!seeds.isEmpty, "no seed transcripts for \(family)")
        let mutators = seeds.map { TranscriptMutator(seed: $0) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-fuzz-\(family)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(dir.appendingPathComponent("fuzz.db").path)
        defer { store.close() }
        let importer = Importer(store: store)
        var imported = 0, thrown: [String: Int] = [:], hostileStored = 0
        var importTime = 0.0, checkTime = 0.0

        for i in 0..<Self.casesPerImporter {
            let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
            var rng = SeededRandom(seed: seed)
            let (bytes, mutations) = rng.pick(mutators).generate(&rng)
            let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(mutations))"
            let file = dir.appendingPathComponent("case.jsonl")
            try Data(bytes).write(to: file)
            let t0 = Date()
            do {
                let s = try importer.run(family.source, paths: [file.path])
                if s.messages > 0 { imported += 1 }
            } catch {
                // A thrown error is not a crash, but it must read as one clean line.
                let line = ErrorReport.report(error)?.line ?? ""
                #expect(!line.contains("\n") && TerminalHazards.first(in: line) == nil, "\(replay): \(line)")
                thrown[String(describing: type(of: error)), default: 0] += 1
            }
            let t1 = Date()
            importTime += t1.timeIntervalSince(t0)
            hostileStored += try checkAndClear(store, replay)
            checkTime += Date().timeIntervalSince(t1)
        }
        print("fuzz \(family): \(Self.casesPerImporter) cases, \(imported) imported messages, \(hostileStored) hostile lines sanitised, errors \(thrown), import \(String(format: "%.1f", importTime)) s, check \(String(format: "%.1f", checkTime)) s")
        // Most cases keep enough valid lines to import messages: the fuzzer reaches the importers' insides.
        #expect(imported > Self.casesPerImporter / 4, "only \(imported) cases imported a message; errors: \(thrown)")
        // The corpus did carry escape sequences into the database: the sanitising had work to do.
        #expect(hostileStored > 0, "no hostile text reached the database; the fuzzer is not reaching the transcript text")
    }

    /// OpenCode keeps a session in many small JSON files: each case mutates one of the fixture's files (written on
    /// one line, as the mutator works on lines) and imports the whole storage folder.
    @Test("mutated OpenCode storage never crashes the importer and is sanitised in session show")
    func openCodeStorage() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ImportersTests/Fixtures/opencode/storage")
        let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "json" }.map { $0.path.replacingOccurrences(of: root.path + "/", with: "") }.sorted()
        try #require(!files.isEmpty)
        var compact: [String: [UInt8]] = [:]
        for f in files {
            let v = try #require(JSONValue.parse(String(decoding: try Data(contentsOf: root.appendingPathComponent(f)), as: UTF8.self)))
            compact[f] = Array(v.jsonString.utf8)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-fuzz-opencode-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(dir.appendingPathComponent("fuzz.db").path)
        defer { store.close() }
        var imported = 0, hostileStored = 0
        for i in 0..<(Self.casesPerImporter / 4) {
            let seed = SeededRandom.caseSeed(base: Self.baseSeed, index: i)
            var rng = SeededRandom(seed: seed)
            let storage = dir.appendingPathComponent("storage")
            try? FileManager.default.removeItem(at: storage)
            for f in files {
                let u = storage.appendingPathComponent(f)
                try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(compact[f]!).write(to: u)
            }
            let target = rng.pick(files)
            let (bytes, mutations) = TranscriptMutator(seed: compact[target]!).generate(&rng)
            try Data(bytes).write(to: storage.appendingPathComponent(target))
            let replay = "case \(i) (seed 0x\(String(seed, radix: 16)), AGENTMON_FUZZ_SEED=0x\(String(Self.baseSeed, radix: 16)), \(target), \(mutations))"
            do {
                if try Importer(store: store).run(.opencode, paths: [storage.path]).messages > 0 { imported += 1 }
            } catch {
                let line = ErrorReport.report(error)?.line ?? ""
                #expect(!line.contains("\n") && TerminalHazards.first(in: line) == nil, "\(replay): \(line)")
            }
            hostileStored += try checkAndClear(store, replay)
        }
        print("fuzz opencode: \(Self.casesPerImporter / 4) cases, \(imported) imported, \(hostileStored) hostile lines sanitised")
        #expect(imported > Self.casesPerImporter / 8)
    }

    /// Renders every session as `session show` does (text and --json), checks it is inert on a terminal, then
    /// deletes the sessions so the next case is imported afresh (a second import of the same ids changes
    /// nothing). Returns how many rendered lines held raw hazards before sanitising.
    func checkAndClear(_ store: Store, _ replay: String) throws -> Int {
        var hostile = 0
        for s in try store.sessions.list(limit: 1_000_000) {
            let agent = try store.agents.get(s.agentId).slug
            let messages = try store.messages.all(sessionId: s.id)
            let calls = try store.toolCalls.query(sessionId: s.id, limit: 1_000_000)
            let raw = SessionCommand.Show.lines(s, agent: agent, messages: messages)
            hostile += raw.filter { TerminalHazards.first(in: $0) != nil }.count
            for line in raw {
                let shown = Console.render(line)
                #expect(TerminalHazards.first(in: shown) == nil, "\(replay): session show: \(TerminalHazards.first(in: shown) ?? "")")
            }
            let json = JSONOutput.render(SessionCommand.Show.json(s, agent: agent, messages: messages, calls: calls))
            #expect(TerminalHazards.first(in: json) == nil, "\(replay): --json: \(TerminalHazards.first(in: json) ?? "")")
            #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "\(replay): --json is valid JSON")
        }
        // Cost reports: model names and figures from the transcripts, in tables and JSON.
        let entries = try store.sessions.usageEntries(prices: try store.settings.priceTable())
        let blocks = UsageBlocks.identify(entries, now: Date()), days = UsagePeriods.group(entries, by: .day)
        for line in (CostReport.blockRows(blocks, breakdown: true, now: Date()) + CostReport.periodRows(days, breakdown: true)).map({ $0.map(Printable.cell) }) {
            let shown = Console.render(line.joined(separator: " "))
            #expect(TerminalHazards.first(in: shown) == nil, "\(replay): cost: \(TerminalHazards.first(in: shown) ?? "")")
        }
        for json in [JSONOutput.render(.array(blocks.map { .object(CostReport.blockJSON($0, breakdown: true)) })),
                     JSONOutput.render(CostReport.periodsJSON(days, kind: .day, breakdown: true))] {
            #expect(TerminalHazards.first(in: json) == nil && (try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil,
                    "\(replay): cost --json")
        }
        for s in try store.sessions.list(limit: 1_000_000) { try store.sessions.delete(s.id) }
        return hostile
    }
}
