import Foundation
import Testing
import Core
import Storage
import DemoData

/// The demo's sessions come from the transcripts it ships, through the normal importers.
@Suite("Demo: sessions imported from the shipped transcripts") struct DemoTranscriptsTests {
    static let claudeSession = "5d1f8a3e-2c47-4b9a-8e61-0f3c9d7b2a15"
    static let streamSession = "b7e2c4d9-81f3-4a6e-9d25-3c0a7f1e6b88"
    static let codexThread = "0199b3c4-5e21-7d80-a6f2-8c1d3e9b4f07"

    func task(_ store: Store, _ title: String) throws -> TaskItem {
        try #require(try store.tasks.list().first { $0.title == title })
    }

    @Test("fill: a sub-agent under its Task call, an error, a failed Codex turn, task links and costs", arguments: Backend.allCases)
    func fill(_ backend: Backend) throws {
        guard let db = try DemoDatabase(backend) else { return }
        let store = try db.store()
        defer { store.close() }
        try DemoProject.fill(store, folder: db.folder.path)
        #expect(try store.sessions.list().count == 4)

        // Claude session JSONL: long enough to scroll, with a sub-agent nested under the Task call that started it.
        let main = try #require(try store.sessions.find(externalSessionId: Self.claudeSession))
        #expect(main.status == .completed)
        #expect((60...150).contains(try store.messages.count(sessionId: main.id)))
        let taskCall = try #require(try store.toolCalls.query(sessionId: main.id, toolName: "Task").first)
        let children = try store.sessions.children(of: main.id)
        #expect(children.count == 1)
        #expect(children.first?.toolCallId == taskCall.id)
        #expect(try store.messages.count(sessionId: try #require(children.first).session.id) > 5)
        let tools = Set(try store.toolCalls.query(sessionId: main.id).map(\.toolName))
        #expect(tools.isSuperset(of: ["Grep", "Read", "Edit", "Bash", "Task"]))
        let errors = try store.toolCalls.query(sessionId: main.id, status: .error)
        #expect(errors.map(\.toolName) == ["Bash"])
        #expect(errors.first?.output?.contains("47 were done") == true)
        #expect(try store.messages.page(sessionId: main.id, limit: 500).contains { $0.kind == .thought })

        // Codex exec: the resumed turn failed.
        let codex = try #require(try store.sessions.find(externalSessionId: Self.codexThread))
        #expect(codex.status == .failed)
        #expect(try store.messages.page(sessionId: codex.id, limit: 500).contains { $0.isError && $0.content.contains("stream disconnected") })

        // The stream-json file ends asking permission for a command. The stream is over, so nobody can answer
        // it: closed, and the session stopped. The inbox holds only what can be answered (the demo's live
        // Claude run asks the same when its worker runs it: DemoAgentTests).
        let stream = try #require(try store.sessions.find(externalSessionId: Self.streamSession))
        #expect(try store.toolCalls.query(sessionId: stream.id, toolName: "Bash").contains { $0.input.contains("migrate tokens 0004") })
        #expect(try store.toolCalls.pendingConfirmation(sessionId: stream.id) == nil)
        let closed = try #require(try store.toolCalls.query(sessionId: stream.id, toolName: "Bash").first { $0.decidedBy == "agentmon" })
        #expect(closed.decisionReason == "the stream ended before an answer" && closed.input.contains("migrate tokens 0004"))
        #expect(try store.toolCalls.pendingConfirmations().isEmpty, "nothing in the inbox that cannot be answered")
        #expect(try store.sessions.get(stream.id).status == .stopped)
        #expect(try store.sessions.get(stream.id).executionId == nil, "the queued run writes its own transcript")

        // Links: each session (and the sub-agent) to its task and run; costs add up per task.
        let n1 = try task(store, "Remove N+1 queries on the dashboard endpoint")
        let auth = try task(store, "Replace session cookies with signed tokens")
        let webhook = try task(store, "Retry failed webhooks with backoff")
        #expect(try store.sessions.get(main.id).taskId == n1.id)
        let run = try #require(try store.sessions.get(main.id).executionId)
        #expect(try store.executions.get(run).sessionRef == Self.claudeSession, "the run can be continued: it knows its session")
        #expect(children.first.map { try? store.sessions.get($0.session.id).taskId } == n1.id)
        #expect(try store.sessions.get(stream.id).taskId == auth.id)
        #expect(try store.sessions.get(stream.id).title == "Refresh endpoint and revocation list")
        #expect(try store.sessions.get(codex.id).taskId == webhook.id)
        let costs = try store.sessions.taskCosts([n1.id, auth.id, webhook.id, try task(store, "Dark mode for the settings page").id])
        #expect(costs.count == 3, "a task without sessions has no row")
        #expect(costs[n1.id]?.sessions == 2)
        for id in [n1.id, auth.id, webhook.id] {
            #expect((costs[id]?.costUsd ?? 0) > 0 && (costs[id]?.tokens ?? 0) > 0)
        }
        let n1Sessions = [main.id, try #require(children.first).session.id]
        let expected = try n1Sessions.map { try store.sessions.get($0).costUsd }.reduce(0, +)
        #expect(abs((costs[n1.id]?.costUsd ?? 0) - expected) < 1e-9)
    }

    @Test("importing the shipped transcripts again changes nothing", arguments: Backend.allCases)
    func idempotent(_ backend: Backend) throws {
        guard let db = try DemoDatabase(backend) else { return }
        let store = try db.store()
        defer { store.close() }
        try DemoProject.fill(store, folder: db.folder.path)
        let before = try Totals(store)
        #expect(before.linked == 4)
        try DemoTranscripts.importAll(store)
        let after = try Totals(store)
        #expect(after.sessions == before.sessions && after.messages == before.messages && after.toolCalls == before.toolCalls)
        #expect(after.linked == before.linked && abs(after.cost - before.cost) < 1e-9)
    }

    @Test func missingTranscriptsAreAOneLineError() throws {
        let e = #expect(throws: DemoTranscripts.MissingTranscripts.self) {
            try DemoTranscripts.folder(environment: ["AGENTMON_DEMO_TRANSCRIPTS": "/nonexistent/transcripts"])
        }
        let text = try #require(e).description
        #expect(text.contains("/nonexistent/transcripts") && !text.contains("\n"))
        #expect(FileManager.default.fileExists(atPath: try DemoTranscripts.folder().appendingPathComponent("codex").path))
    }
}
