import Foundation
import Testing
import Core
import Storage
@testable import Importers

@Suite struct RobustnessTests {
    @Test func importingTwiceChangesNothing() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let importer = Importer(store: store)
        let all = [fixture("claude")]
        _ = try importer.run(.claude, paths: all)
        _ = try importer.run(.codex, paths: [fixture("codex")])
        let first = try Counts(store)
        #expect(first.sessions == 12)  // titles/ and ccusage/ add one each, sidechain/ a sub-agent and its parent
        let again = try importer.run(.claude, paths: all)
        _ = try importer.run(.codex, paths: [fixture("codex")])
        #expect(again.sessions == 10)
        let second = try Counts(store)
        #expect(second == first)
    }

    @Test func badLinesAreSkippedNotFatal() throws {
        let (store, dir) = try tempStore()
        defer { store.close(); try? FileManager.default.removeItem(at: dir) }
        var data = Data()
        let good = try String(contentsOfFile: fixture("claude/stream-tools.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        data.append(Data((good[0...3].joined(separator: "\n") + "\n").utf8))
        data.append(Data([0xFF, 0xFE, 0x00, 0x7B, 0x9C, 0x80, 0x0A]))                       // binary garbage (one line)
        data.append(Data(("{\"type\":\"assistant\",\"pad\":\"" + String(repeating: "x", count: 10_000_000) + "\"}\n").utf8))  // 10 MB
        data.append(Data("[stderr] Error: connection reset\n".utf8))                          // not JSON
        data.append(Data("{\"type\":\"mystery_event\",\"session_id\":\"sess-stream-1\"}\n".utf8)) // unknown type
        data.append(Data((good[4...].joined(separator: "\n") + "\n").utf8))
        data.append(Data("{\"type\":\"assistant\",\"message\":{\"id\":\"msg_9\",\"content\":[{\"ty".utf8))  // truncated last line
        let path = dir.appendingPathComponent("messy.log").path
        try data.write(to: URL(fileURLWithPath: path))

        let summary = try Importer(store: store).run(.claude, paths: [path])
        #expect(summary.skippedLines == 5)
        #expect(summary.messages == 7 && summary.toolCalls == 2)
        let s = try session(store, "sess-stream-1")
        #expect(s.status == .completed)
        #expect(try store.toolCalls.query(sessionId: s.id).allSatisfy { $0.status != .pending })
    }

    @Test func missingPathIsAnError() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        #expect(throws: ImportError.self) { try Importer(store: store).run(.codex, paths: ["/nonexistent/rollouts"]) }
    }
}

@Suite struct UnknownFormatTests {
    @Test func aFileInTheWrongFormatCreatesNothing() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        // Codex output given to the Claude importer, and the reverse: every line skipped, no session created.
        let a = try Importer(store: store).run(.claude, paths: [fixture("codex/exec-failed.jsonl")])
        #expect(a.sessions == 0 && a.skippedLines == 10)
        let b = try Importer(store: store).run(.codex, paths: [fixture("claude/stream-error.jsonl")])
        #expect(b.sessions == 0 && b.skippedLines == 3)
        #expect(try store.sessions.list().isEmpty)
    }
}
