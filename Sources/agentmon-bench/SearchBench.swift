import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon search` over a big history: one session of `messages` messages written through `TranscriptBatch`
/// (every third a tool call's result; its output, the call's input and the messages are all indexed), with
/// rare words planted in single tool outputs, then `queries` searches timed as the CLI runs them (limit 20,
/// snippets included): rare words, two-word searches and words in a third of all rows.
struct SearchBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Full-text search over a million messages.")
    @Option(help: "Messages to write.") var messages = 1_000_000
    @Option(help: "Searches to time.") var queries = 50
    @Option(help: "A PostgreSQL URL (an empty database) instead of a scratch SQLite file.") var db: String?
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let dir = try Stats.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store.open(db ?? dir.appendingPathComponent("bench.db").path)
        defer { store.close() }
        let needles = 40
        let agent = try store.agents.create(Agent(slug: "bench-search", name: "Bench", binaryPath: "claude"))
        let session = try store.sessions.create(Session(title: "a long history", agentId: agent.id))
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        var t0 = Stats.nowMs()
        let batch = TranscriptBatch(db: store.db, flushRows: 2048, commitRows: 50_000)
        try store.db.transaction {
            var call: ToolCall?
            for i in 0..<messages {
                let at = base.addingTimeInterval(Double(i))
                switch i % 3 {
                case 1:
                    let m = try batch.append(Message(sessionId: session.id, role: .assistant,
                                                     content: "Step \(i): checking how the retry schedule is computed in module \(i % 13), file \(i % 97).",
                                                     externalId: "m\(i)", createdAt: at))
                    call = try batch.create(ToolCall(sessionId: session.id, messageId: m.id, externalId: "t\(i)", toolName: "Bash",
                                                     input: "{\"command\":\"grep -n backoff Sources/Module\(i % 13)/File\(i % 97).swift\"}", createdAt: at))
                case 2:
                    let r = try batch.append(Message(sessionId: session.id, role: .tool, content: "exit 0 after \(i % 500) ms",
                                                     externalId: "m\(i)", createdAt: at))
                    let step = max(1, messages / 3 / needles), turn = i / 3
                    let planted = turn % step == 0 ? " marker needle\(turn / step)x" : ""
                    try batch.complete(call!.id, output: "Sources/Module\(i % 13)/File\(i % 97).swift:\(i % 400): let backoff = base * pow(2, attempt) // run \(i)\(planted)",
                                       status: .success, resultMessageId: r.id)
                default:
                    _ = try batch.append(Message(sessionId: session.id, role: .user, content: "Go on with turn \(i); keep the tests green.",
                                                 externalId: "m\(i)", createdAt: at))
                }
            }
            try batch.flush()
        }
        let fillSeconds = (Stats.nowMs() - t0) / 1000

        var texts: [String] = []
        for q in 0..<queries {
            switch q % 5 {
            case 0, 1, 2: texts.append("needle\((q * 7) % needles)x")
            case 3: texts.append("marker needle\((q * 3) % needles)x")
            default: texts.append(["backoff", "retry schedule", "tests green", "module 7"][q / 5 % 4])
            }
        }
        _ = try store.search.search(SearchQuery("warm"), limit: 20)
        var rare: [Double] = [], common: [Double] = [], all: [Double] = []
        var found = 0
        for text in texts {
            let q = try SearchQuery(text)
            t0 = Stats.nowMs()
            let hits = try store.search.search(q, limit: 20)
            let ms = Stats.nowMs() - t0
            found += hits.count
            all.append(ms)
            if text.contains("needle") { rare.append(ms); if hits.count != 1 { throw BenchError("'\(text)' found \(hits.count) hits, not 1") } } else { common.append(ms) }
        }
        Stats.report([
            "backend": store.db.dialect == .sqlite ? "sqlite" : "postgres", "messages": messages, "queries": queries,
            "fill_seconds": Stats.round(fillSeconds, 1), "hits": found,
            "p50_ms": Stats.round(Stats.percentile(all, 50)), "p99_ms": Stats.round(Stats.percentile(all, 99)),
            "rare_word_p50_ms": Stats.round(Stats.percentile(rare, 50)), "rare_word_p99_ms": Stats.round(Stats.percentile(rare, 99)),
            "common_word_p50_ms": Stats.round(Stats.percentile(common, 50)), "common_word_p99_ms": Stats.round(Stats.percentile(common, 99)),
        ], json: json, to: 1)
    }
}
