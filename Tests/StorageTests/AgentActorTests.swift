import Foundation
import Testing
import TestSupport
import Core
@testable import Storage

/// What `agentmon mcp` writes through the repositories: comments, and changes and queued runs recorded with
/// an agent as actor; and the agent's mcp_enabled switch.
@Suite("Agent actors, comments and mcp_enabled") struct AgentActorTests {
    @Test("a comment is a task event with its text and actor; empty and oversized ones are refused", arguments: Backend.allCases)
    func comments(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let t = try s.makeTask("review")
            let e = try s.tasks.addComment(t.id, text: "LGTM \u{1B}[31m", actor: Actor(.agent, id: "codex"))
            #expect(e.eventType == "comment" && e.actorType == .agent && e.actorId == "codex" && e.payload["text"] == "LGTM \u{1B}[31m")
            #expect(try s.tasks.events(taskId: t.id).map(\.eventType) == ["created", "comment"])
            #expect(throws: StorageError.invalid("a comment needs text")) { try s.tasks.addComment(t.id, text: " \n", actor: .user) }
            let big = String(repeating: "x", count: TaskRepository.maxCommentBytes + 1)
            #expect(throws: StorageError.self) { try s.tasks.addComment(t.id, text: big, actor: .user) }
            #expect(throws: StorageError.notFound("no task with id 999")) { try s.tasks.addComment(999, text: "x", actor: .user) }
        }
    }

    @Test("a run queued by an agent names the agent on execution_queued", arguments: Backend.allCases)
    func queuedByAgent(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("codex"))
            let t = try s.makeTask("t")
            try s.executions.queue(.init(taskId: t.id, capabilityId: cap.id, requestedBy: "codex", actor: Actor(.agent, id: "codex")))
            try s.executions.queue(.init(taskId: t.id, capabilityId: cap.id))
            let queued = try s.tasks.events(taskId: t.id).filter { $0.eventType == "execution_queued" }
            #expect(queued.map(\.actorType) == [.agent, .user] && queued.map(\.actorId) == ["codex", "user"])
        }
    }

    @Test("mcp_enabled is stored on create and update", arguments: Backend.allCases)
    func mcpEnabled(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            var a = try s.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "/usr/bin/claude", mcpEnabled: true))
            #expect(try s.agents.get(a.id).mcpEnabled)
            a.mcpEnabled = false
            #expect(try s.agents.update(a).mcpEnabled == false)
        }
    }
}
