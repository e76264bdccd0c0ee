import Foundation
import Testing
import Core
@testable import Storage

@Suite("Sessions contract") struct SessionRepositoryTests {
    @Test("effective settings: the session's override, else the agent's", arguments: Backend.allCases)
    func effectiveSettings(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            var agent = Agent(slug: "claude", name: "Claude", toolType: .aiAgent, binaryPath: "claude", model: "claude-sonnet-4",
                              permissionMode: "readOnly", maxSteps: 10)
            agent = try s.agents.create(agent)
            let session = try s.sessions.create(Session(title: "review", agentId: agent.id,
                                                        overrides: SessionOverrides(model: "claude-opus-4")))
            let eff = try s.sessions.effectiveSettings(session.id)
            #expect(eff.model == "claude-opus-4")
            #expect(eff.permissionMode == "readOnly" && eff.maxSteps == 10)
            try s.sessions.setStatus(session.id, .running)
            #expect(try s.sessions.list(activeOnly: true).map(\.id) == [session.id])
            try s.sessions.setExternalId(session.id, "abc-123")
            #expect(try s.sessions.find(agentId: agent.id, externalSessionId: "abc-123")?.id == session.id)
            try s.sessions.addUsage(session.id, Usage(input: 100, output: 50), costUsd: 0.25)
            try s.sessions.addUsage(session.id, Usage(input: 1, output: 1), costUsd: 0.25)
            let after = try s.sessions.get(session.id)
            #expect(after.inputTokens == 101 && after.outputTokens == 51 && after.costUsd == 0.5)
        }
    }

    @Test("messages: order, hierarchy, keyset pages, idempotent external ids", arguments: Backend.allCases)
    func messages(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let session = try s.sessions.create(Session(agentId: try s.makeAgent().id))
            let q = try s.messages.append(Message(sessionId: session.id, role: .user, content: "fix the bug"))
            let thought = try s.messages.append(Message(sessionId: session.id, parentId: q.id, role: .assistant, kind: .thought,
                                                        content: "look at the logs", externalId: "msg_1"))
            let again = try s.messages.append(Message(sessionId: session.id, role: .assistant, content: "dup", externalId: "msg_1"))
            #expect(again.id == thought.id)
            for i in 0..<20 { try s.messages.append(Message(sessionId: session.id, role: .assistant, content: "m\(i)")) }
            #expect(try s.messages.count(sessionId: session.id) == 22)
            let first = try s.messages.page(sessionId: session.id, limit: 5)
            #expect(first.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(try s.messages.page(sessionId: session.id, afterSeq: 5, limit: 2).map(\.seq) == [6, 7])
            #expect(try s.messages.page(sessionId: session.id, beforeSeq: 22, limit: 2).map(\.seq) == [20, 21])
            #expect(try s.messages.children(of: q.id).map(\.id) == [thought.id])
            #expect(try s.messages.last(sessionId: session.id)?.content == "m19")
            #expect(try s.messages.page(sessionId: session.id, role: .user).count == 1)
        }
    }

    @Test("tool calls and at most one pending confirmation per session", arguments: Backend.allCases)
    func toolCalls(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let session = try s.sessions.create(Session(agentId: try s.makeAgent().id))
            let call = try s.toolCalls.create(ToolCall(sessionId: session.id, externalId: "toolu_1", toolName: "Bash", input: #"{"command":"ls"}"#))
            #expect(try s.toolCalls.create(ToolCall(sessionId: session.id, externalId: "toolu_1", toolName: "Bash", input: "{}")).id == call.id)
            try s.toolCalls.complete(call.id, output: "a\nb", status: .success, durationMs: 12)
            #expect(try s.toolCalls.query(sessionId: session.id, toolName: "Bash", status: .success).map(\.id) == [call.id])

            let pending = try s.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Write", input: #"{"path":"/etc/x"}"#,
                                                                  userMessage: "write the file")
            #expect(throws: StorageError.self) {
                try s.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Bash", input: "{}", userMessage: nil)
            }
            #expect(try s.toolCalls.pendingConfirmation(sessionId: session.id)?.id == pending.id)
            #expect(try s.toolCalls.pendingConfirmations().map(\.id) == [pending.id])
            try s.toolCalls.decide(pending.id, approve: false, by: "alice", reason: "not /etc")
            let decided = try s.toolCalls.get(pending.id)
            #expect(decided.status == .denied && decided.decidedBy == "alice" && decided.decisionReason == "not /etc")
            #expect(try s.toolCalls.pendingConfirmations().isEmpty)
            #expect(throws: StorageError.self) { try s.toolCalls.decide(pending.id, approve: true, by: "bob") }
        }
    }

    @Test("the runs waiting for a person: an open confirmation in one of their sessions, and only that", arguments: Backend.allCases)
    func runsAwaitingDecision(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let agent = try s.makeAgent(maxConcurrent: 5), cap = try s.makeCapability(agent), task = try s.makeTask("t")
            let runs = try (0..<3).map { _ in try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id)) }
            let asking = try s.sessions.create(Session(agentId: agent.id, executionId: runs[0].id))
            let answered = try s.sessions.create(Session(agentId: agent.id, executionId: runs[1].id))
            _ = try s.sessions.create(Session(agentId: agent.id, executionId: runs[2].id))  // no request at all
            _ = try s.toolCalls.savePendingConfirmation(sessionId: asking.id, toolName: "Bash", input: "{}", userMessage: nil)
            let done = try s.toolCalls.savePendingConfirmation(sessionId: answered.id, toolName: "Bash", input: "{}", userMessage: nil)
            try s.toolCalls.decide(done.id, approve: true, by: "alice")
            #expect(try s.toolCalls.runsAwaitingDecision(runs.map(\.id)) == [runs[0].id])
            #expect(try s.toolCalls.runsAwaitingDecision([runs[1].id, runs[2].id, 999_999]).isEmpty)
            #expect(try s.toolCalls.runsAwaitingDecision([]).isEmpty)
            try s.toolCalls.closePendingConfirmation(sessionId: asking.id, reason: "the run ended before an answer")
            #expect(try s.toolCalls.runsAwaitingDecision(runs.map(\.id)).isEmpty)
        }
    }

    @Test("a run's agent session: the main session tied to it, else the one its session ref names, else none", arguments: Backend.allCases)
    func sessionOfARun(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let agent = try s.makeAgent(maxConcurrent: 5), cap = try s.makeCapability(agent), task = try s.makeTask("t")
            let first = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            let second = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            let plain = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            let main = try s.sessions.create(Session(agentId: agent.id, externalSessionId: "ext-1", executionId: second.id))
            _ = try s.sessions.create(Session(agentId: agent.id, executionId: second.id), parentSessionId: main.id)  // a sub-agent
            #expect(try s.sessions.forRun(second.id, sessionRef: nil)?.id == main.id, "the main session, not its sub-agent")
            // The first run's session was resumed by the second, which took the tie: found by its ref.
            #expect(try s.sessions.forRun(first.id, sessionRef: "ext-1")?.id == main.id)
            #expect(try s.sessions.forRun(plain.id, sessionRef: nil) == nil)
            #expect(try s.sessions.forRun(plain.id, sessionRef: "") == nil)
            #expect(try s.sessions.forRun(plain.id, sessionRef: "no-such-session") == nil)
        }
    }

    @Test("settings, prices and workers", arguments: Backend.allCases)
    func settingsAndWorkers(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            try s.settings.set("poll_ms", 500)
            try s.settings.set("poll_ms", 250)
            #expect(try s.settings.get("poll_ms") == 250)
            let prices = try s.settings.priceTable()
            #expect(prices.price(for: "claude-sonnet-4-5-20250929")?.output == 15)
            try s.settings.setPrice(model: "local-llm", ModelPrice(input: 0, output: 0, cacheWrite: 0, cacheRead: 0))
            #expect(try s.settings.priceTable().prices["local-llm"] != nil)
            try s.workers.heartbeat(workerId: "w1", host: "box", pid: 42, currentExecutions: 1)
            try s.workers.heartbeat(workerId: "w1", host: "box", pid: 42, currentExecutions: 3)
            #expect(try s.workers.list().map(\.currentExecutions) == [3])
        }
    }

    @Test("agents: unique slug, capability rules, enable and disable by key", arguments: Backend.allCases)
    func agents(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let a = try s.makeAgent("gemini")
            #expect(throws: StorageError.conflict("an agent with slug 'gemini' already exists")) { try s.makeAgent("gemini") }
            try s.makeCapability(a, key: "review")
            #expect(throws: StorageError.self) { try s.makeCapability(a, key: "review") }
            #expect(throws: StorageError.invalid("a template capability needs command tokens")) {
                try s.agents.addCapability(Capability(agentId: a.id, key: "x", label: "X", mode: .template))
            }
            // The database itself refuses template mode without tokens.
            #expect(throws: StorageError.self) {
                try s.db.execute("INSERT INTO agent_capabilities (agent_id, key, label, interaction_mode) VALUES (?, 'raw', 'Raw', 'template')", .int(a.id))
            }
            try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "Do {{task_title}}"))
            #expect(try s.agents.enabledCapabilityKeys(agentId: a.id) == ["ask", "review"])
            try s.agents.setCapabilityEnabled(agentId: a.id, key: "review", false)
            #expect(try s.agents.enabledCapabilityKeys(agentId: a.id) == ["ask"])
            try s.agents.setActive(a.id, false)
            #expect(try s.agents.list(activeOnly: true).isEmpty)
            #expect(try s.agents.find(name: "Gemini")?.id == a.id)
        }
    }
}
