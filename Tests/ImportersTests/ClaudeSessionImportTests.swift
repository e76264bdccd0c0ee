import Foundation
import Testing
import Core
import Storage
@testable import Importers

@Suite struct ClaudeSessionImportTests {
    static let sid = "2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01"

    @Test func sessionWithSubAgentFolder() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        let summary = try Importer(store: store).run(.claude, paths: [fixture("claude/projects")])
        #expect(summary.files == 2 && summary.sessions == 2 && summary.messages == 9 && summary.toolCalls == 2)
        #expect(summary.skippedLines == 0)

        let main = try session(store, Self.sid)
        #expect(main.title == "Find the TODOs in the repo" && main.status == .completed)
        #expect(main.createdAt == ISO8601DateFormatter().date(from: "2026-11-20T10:00:02Z"), "it started with its first message, not at the import")
        #expect(try store.messages.count(sessionId: main.id) == 5)
        let task = try #require(try store.toolCalls.find(sessionId: main.id, externalId: "toolu_T1"))
        #expect(task.toolName == "Task" && task.status == .success && task.output == "Found 3 TODOs")

        // msg_A's usage is repeated on two records: counted once.
        #expect(main.inputTokens == 150 && main.outputTokens == 30 && main.cacheReadTokens == 2200 && main.cacheWriteTokens == 200)
        let expected: Double = (450.0 + 450.0 + 750.0 + 660.0) / 1_000_000  // 150×$3 + 30×$15 + 200×$3.75 + 2200×$0.30
        #expect(near(main.costUsd, expected))

        let children = try store.sessions.children(of: main.id)
        #expect(children.count == 1)
        let sub = try #require(children.first)
        #expect(sub.toolCallId == task.id)
        #expect(sub.session.externalSessionId == "\(Self.sid)/agent-a1b2c3")
        #expect(try store.messages.count(sessionId: sub.session.id) == 4)
        let grep = try #require(try store.toolCalls.find(sessionId: sub.session.id, externalId: "toolu_S1"))
        #expect(grep.status == .success && grep.output?.contains("c.swift:3") == true)
        #expect(sub.session.inputTokens == 30 && sub.session.outputTokens == 13)
        // Per call as ccusage's auto mode: msg_S1 has no costUSD, priced for haiku-4 (10×$1 + 5×$5 per Mtok);
        // msg_S2 recorded $0.0001.
        #expect(near(sub.session.costUsd, 0.000035 + 0.0001))
        let calls = try store.messages.all(sessionId: sub.session.id).filter { $0.outputTokens > 0 }
        #expect(calls.map(\.costUsd) == [nil, 0.0001] && calls.map(\.model) == ["claude-haiku-4-5-20251001", "claude-haiku-4-5-20251001"])
    }

    @Test func inlineSidechainNestsUnderTheTaskCall() throws {
        let (store, dir) = try tempStore()
        defer { store.close() }
        let rec = { (uuid: String, parent: String?, side: Bool, type: String, content: JSONValue) -> String in
            JSONValue.object(["type": .string(type), "uuid": .string(uuid), "parentUuid": parent.map(JSONValue.string) ?? .null,
                              "sessionId": "inline-1", "isSidechain": .bool(side),
                              "message": ["role": .string(type), "content": content]]).jsonString
        }
        let lines = [
            rec("u1", nil, false, "user", "Review the code"),
            rec("a1", "u1", false, "assistant", [["type": "tool_use", "id": "toolu_X", "name": "Task", "input": ["prompt": "Review Sources/"]]]),
            rec("s1", nil, true, "user", "Review Sources/"),
            rec("s2", "s1", true, "assistant", [["type": "text", "text": "Looks fine."]]),
            rec("u2", "a1", false, "user", [["type": "tool_result", "tool_use_id": "toolu_X", "content": "Looks fine."]]),
        ]
        let path = dir.appendingPathComponent("inline-1.jsonl").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        _ = try Importer(store: store).run(.claude, paths: [path])
        let main = try session(store, "inline-1")
        let call = try #require(try store.toolCalls.find(sessionId: main.id, externalId: "toolu_X"))
        let children = try store.sessions.children(of: main.id)
        #expect(children.count == 1 && children.first?.toolCallId == call.id)
        #expect(try store.messages.count(sessionId: children[0].session.id) == 2)
        #expect(try store.messages.count(sessionId: main.id) == 3)
    }
}

@Suite struct ClaudeCallUsageTests {
    /// Each call's usage on its first message (all its records considered), with its model and recorded cost; the
    /// messages add up to the session (figures in Tests/CLITests/CostReportCLITests).
    @Test func callsCarryTheirUsage() throws {
        let (store, _) = try tempStore()
        defer { store.close() }
        _ = try Importer(store: store).run(.claude, paths: [fixture("claude/ccusage/cc-1.jsonl")])
        let s = try session(store, "cc-1")
        let calls = try store.messages.all(sessionId: s.id).filter { $0.outputTokens > 0 }
        #expect(calls.map(\.outputTokens) == [500, 1000, 200, 100], "msg_1's two records: one call")
        #expect(calls[0].inputTokens == 3000 && calls[0].cacheWriteTokens == 2000 && calls[0].cacheWrite1hTokens == 500)
        #expect(calls[1].cacheReadTokens == 10_000 && calls[2].costUsd == 0.5 && calls[2].model == "claude-opus-4-1-20250805")
        #expect(calls.reduce(0) { $0 + $1.inputTokens - $1.cacheReadTokens - $1.cacheWriteTokens } == s.inputTokens)
        #expect(s.cacheWriteTokens == 2000 && s.cacheReadTokens == 10_000 && near(s.costUsd, 0.545525))
    }
}
