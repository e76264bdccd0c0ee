import Foundation
import Testing
import Core
@testable import Storage

@Suite("Session search") struct SessionSearchTests {
    @Test("newest first, matched on title, goal, agent, task or status, with the total", arguments: Backend.allCases)
    func search(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let claude = try s.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
            let codex = try s.agents.create(Agent(slug: "codex", name: "Codex", binaryPath: "codex"))
            let task = try s.tasks.create(NewTask(title: "Fix the 100% CPU loop"))
            let base = Date(timeIntervalSince1970: 1_800_000_000)
            for i in 0..<30 {
                let sess = try s.sessions.create(Session(title: "run \(i)", agentId: i % 3 == 0 ? codex.id : claude.id,
                                                         userGoal: i == 7 ? "make the webhook retry" : nil,
                                                         status: i == 11 ? .failed : .completed, createdAt: base.addingTimeInterval(Double(i))))
                if i == 20 { try s.sessions.link(sess.id, taskId: task.id) }
                if i < 3 { try s.messages.append(Message(sessionId: sess.id, role: .user, content: "hi")) }
            }
            let all = try s.sessions.search("", limit: 10)
            #expect(all.total == 30 && all.rows.map(\.session.title) == (20..<30).reversed().map { "run \($0)" })
            let everything = try s.sessions.search("", limit: 100)
            #expect(everything.rows.last?.messageCount == 1 && everything.rows.first?.messageCount == 0)
            #expect(try s.sessions.search("CODEX", limit: 100).total == 10)
            #expect(try s.sessions.search("webhook", limit: 100).rows.map(\.session.title) == ["run 7"])
            #expect(try s.sessions.search("failed", limit: 100).rows.map(\.session.title) == ["run 11"])
            let byTask = try s.sessions.search("100% cpu", limit: 100).rows
            #expect(byTask.map(\.session.title) == ["run 20"] && byTask.first?.taskTitle == "Fix the 100% CPU loop")
            #expect(try s.sessions.search("100%_", limit: 100).total == 0, "wildcards are literal")
            let twelfth = everything.rows.first { $0.session.title == "run 12" }!.session.id
            #expect(try s.sessions.search("#\(twelfth)", limit: 100).rows.map(\.session.id) == [twelfth])
            let few = try s.sessions.search("run", limit: 5)
            #expect(few.rows.count == 5 && few.total == 30 && few.rows.first?.agentSlug == "claude")
        }
    }
}
