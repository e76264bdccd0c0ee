import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Importers

/// Whole-file imports write many rows a statement (`TranscriptBatch`): the same rows as before, on both
/// backends, a second import changes nothing, and an import cut short leaves whole rows that the next one
/// completes.
@Suite struct BatchImportTests {
    /// Everything an import writes that a reader sees, ids left out (they differ between databases).
    struct Snapshot: Equatable {
        var sessions: [String] = []
        var messages: [String] = []
        var calls: [String] = []
        init(_ store: Store) throws {
            for s in try store.sessions.list(limit: 10_000).sorted(by: { ($0.externalSessionId ?? "") < ($1.externalSessionId ?? "") }) {
                let ext = s.externalSessionId ?? "?"
                let count = try store.messages.count(sessionId: s.id)
                sessions.append("\(ext) \(s.status) \(s.title ?? "-") n=\(count) in=\(s.inputTokens) out=\(s.outputTokens) cost=\(s.costUsd)")
                let msgs = try store.messages.all(sessionId: s.id)
                #expect(msgs.count == count, "message_count of \(ext) matches its rows")
                #expect(msgs.map(\.seq) == Array(1...Int64(max(1, msgs.count))).prefix(msgs.count).map { $0 }, "seq of \(ext) is 1...n")
                let seqOf = Dictionary(msgs.map { ($0.id, $0.seq) }, uniquingKeysWith: { a, _ in a })
                for m in msgs {
                    messages.append("\(ext)#\(m.seq) \(m.role) \(m.kind) parent=\(m.parentId.flatMap { seqOf[$0] }.map(String.init) ?? "-") ext=\(m.externalId ?? "-") err=\(m.isError) tok=\(m.inputTokens)/\(m.outputTokens) \(m.content)")
                }
                for c in try store.toolCalls.query(sessionId: s.id, limit: 100_000) {
                    calls.append("\(ext) \(c.externalId ?? "-") \(c.toolName) \(c.status) msg=\(c.messageId.flatMap { seqOf[$0] }.map(String.init) ?? "-") out=\(c.output ?? "-") \(c.input)")
                }
            }
        }
    }

    static let paths = ["claude/projects", "claude/titles", "claude/sidechain", "claude/stream-tools.jsonl", "claude/stream-permissions.jsonl", "claude/stream-interrupted.jsonl",
                        "claude/stream-error.jsonl"]

    static let others: [(ImportSource, String)] = [(.codex, "codex"), (.gemini, "gemini")]

    func importAll(_ store: Store) throws -> ImportSummary {
        var s = try Importer(store: store).run(.claude, paths: Self.paths.map(fixture))
        for (source, path) in Self.others {
            let o = try Importer(store: store).run(source, paths: [fixture(path)])
            s.sessions += o.sessions; s.messages += o.messages; s.toolCalls += o.toolCalls
        }
        return s
    }

    @Test("fixtures import the same on both backends; a second import changes nothing", arguments: [false, true])
    func sameRowsAndIdempotent(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "batchimport") { db in
            let store = try db.store()
            defer { store.close() }
            let first = try importAll(store)
            #expect(first.messages > 20 && first.toolCalls > 5)
            let once = try Snapshot(store)
            _ = try importAll(store)
            let twice = try Snapshot(store)
            #expect(once == twice)
            // Against the message-by-message path (what a live run uses) on a fresh SQLite file.
            let (ref, dir) = try tempStore()
            defer { ref.close(); try? FileManager.default.removeItem(at: dir) }
            let w = try TranscriptWriter(store: ref)
            for (source, paths) in [(ImportSource.claude, Self.paths.map(fixture))] + Self.others.map({ ($0.0, [fixture($0.1)]) }) {
                for f in try Importer.files(paths) {
                    let data = try Importer.read(f)
                    let lines = JSONLines(data: data)
                    try Importer.read(source, lines: lines.lines, whole: Importer.whole(source, data), file: URL(fileURLWithPath: f), writer: w)
                }
            }
            let reference = try Snapshot(ref)
            #expect(reference.sessions == once.sessions)
            #expect(reference.messages == once.messages)
            #expect(reference.calls == once.calls)
            for (a, b) in zip(reference.sessions + reference.messages + reference.calls, once.sessions + once.messages + once.calls) where a != b {
                Issue.record("first difference: \(a) vs \(b)"); break
            }
        }
    }

    @Test("an import that fails halfway keeps whole rows; importing again completes it", arguments: [false, true])
    func failureHalfwayIsCompletedByTheNextImport(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "batchcrash") { db in
            let dir = db.path("transcripts")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            // Two files: the second is big enough for commits inside it (every 10,000 rows).
            try Self.writeStream("crash-a", turns: 50, to: dir + "/a.jsonl")
            try Self.writeStream("crash-b", turns: 12_000, to: dir + "/b.jsonl")
            try db.store().close()  // migrated
            let failing = FailingDatabase(try db.connect(), failAfterInserts: 60)
            let broken = Store(db: failing)
            #expect(throws: (any Error).self) { try Importer(store: broken).run(.claude, paths: [dir]) }
            broken.close()

            let store = try db.store()
            defer { store.close() }
            let a = try session(store, "crash-a"), b = try session(store, "crash-b")
            #expect(a.status == .completed, "the first file is whole")
            let partial = try store.messages.count(sessionId: b.id)
            #expect(partial > 0 && partial < 36_000, "the second file was cut after a commit: \(partial) messages")
            #expect(b.status == .running, "its session says it was not finished")
            _ = try Snapshot(store)  // counts and seqs are consistent

            _ = try Importer(store: store).run(.claude, paths: [dir])
            let completed = try Snapshot(store)
            let (ref, refDir) = try tempStore()
            defer { ref.close(); try? FileManager.default.removeItem(at: refDir) }
            _ = try Importer(store: ref).run(.claude, paths: [dir])
            #expect(completed == (try Snapshot(ref)))
        }
    }

    /// A stream-json run of `turns` turns: text, a tool call and its result each.
    static func writeStream(_ session: String, turns: Int, to path: String) throws {
        var out = #"{"type":"system","subtype":"init","session_id":"\#(session)","model":"claude-sonnet-4-5"}"# + "\n"
        for i in 0..<turns {
            out += #"{"type":"assistant","message":{"id":"msg_\#(i)","role":"assistant","content":[{"type":"text","text":"step \#(i)"},{"type":"tool_use","id":"toolu_\#(i)","name":"Bash","input":{"command":"ls \#(i)"}}],"usage":{"input_tokens":10,"output_tokens":2}},"session_id":"\#(session)"}"# + "\n"
            out += #"{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_\#(i)","content":"file \#(i)","is_error":\#(i % 7 == 3)}]},"session_id":"\#(session)"}"# + "\n"
        }
        out += #"{"type":"result","subtype":"success","is_error":false,"session_id":"\#(session)","total_cost_usd":1.5,"usage":{"input_tokens":10,"output_tokens":2}}"# + "\n"
        try Data(out.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// A connection that fails its `failAfterInserts`-th multi-row INSERT (as a crash would cut an import).
final class FailingDatabase: Database {
    let inner: Database
    private var inserts = 0
    let failAfterInserts: Int
    init(_ inner: Database, failAfterInserts: Int) { self.inner = inner; self.failAfterInserts = failAfterInserts }
    var dialect: SQLDialect { inner.dialect }
    var displayName: String { inner.displayName }
    var inTransaction: Bool { inner.inTransaction }
    func execute(_ sql: String, _ params: [SQLValue]) throws -> Int {
        if sql.hasPrefix("INSERT INTO messages") {
            inserts += 1
            if inserts > failAfterInserts { throw StorageError.unavailable("the test cut the import") }
        }
        return try inner.execute(sql, params)
    }
    func query(_ sql: String, _ params: [SQLValue]) throws -> [Row] { try inner.query(sql, params) }
    func executeScript(_ sql: String) throws { try inner.executeScript(sql) }
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T { try inner.transaction(kind, body) }
    func changeToken() throws -> Int64 { try inner.changeToken() }
    func close() { inner.close() }
}

@Suite struct PrettyJSONTests {
    /// Tool inputs are stored as `JSONEncoder` writes them; the hand-written encoder must write the same.
    @Test func handWrittenPrettyJSONIsTheEncodersText() {
        var seed: UInt64 = 42
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 33 }
        let keys = ["a", "B", "a10", "a2", "_x", "é", "Z", "command", "with \"quote\"", "back\\slash", "sl/ash", ""]
        let strings = ["", "ls -la", "a/b", "q\"uote", "back\\slash", "line\nbreak\r\ttab", "é😀", "\u{01}ctl", "\u{7f}", "x\u{0C}y"]
        func value(_ depth: Int) -> JSONValue {
            switch next() % (depth > 3 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(next() % 2 == 0)
            case 2: return .number(next() % 3 == 0 ? Double(next() % 1000) / 8 : Double(Int64(next() % 100_000) - 50_000))
            case 3, 4: return .string(strings[Int(next() % UInt64(strings.count))])
            case 5: return .array((0..<Int(next() % 4)).map { _ in value(depth + 1) })
            default:
                var o: [String: JSONValue] = [:]
                for _ in 0..<Int(next() % 5) { o[keys[Int(next() % UInt64(keys.count))]] = value(depth + 1) }
                return .object(o)
            }
        }
        for _ in 0..<2000 {
            let v = value(0)
            #expect(v.prettyJSON == v.encodedPrettyJSON, "\(v.encodedPrettyJSON)")
        }
    }
}
