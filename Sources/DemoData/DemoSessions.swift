import Foundation
import Core
import Storage

/// Agent sessions with transcripts: thoughts, tool calls with results, an error, a sub-agent, and a
/// confirmation waiting for a person.
enum DemoSessions {
    static func create(_ store: Store, agents: DemoAgents.Set, tasks: [String: TaskItem], now: Date) throws {
        let claude = agents.byslug["claude"]!, codex = agents.byslug["codex"]!
        let prices = try store.settings.priceTable()
        var t = now.addingTimeInterval(-3600)
        func tick() -> Date { t = t.addingTimeInterval(7); return t }

        // 1. A finished Claude session on the N+1 task, with a sub-agent.
        let s1 = try store.sessions.create(Session(title: "Remove N+1 queries", agentId: claude.id, userGoal: "Make the dashboard endpoint do one query per table",
                                                   status: .completed, externalSessionId: "8f3c2a10-demo-0001", taskId: tasks["n1"]?.id))
        let m = store.messages, tc = store.toolCalls
        let u1 = try m.append(Message(sessionId: s1.id, role: .user, content: "The dashboard endpoint is slow. Find and fix N+1 queries.", createdAt: tick()))
        try m.append(Message(sessionId: s1.id, parentId: u1.id, role: .assistant, kind: .thought,
                             content: "Likely a loop over projects that touches members lazily. Grep for .all() in views.", createdAt: tick()))
        let a1 = try m.append(Message(sessionId: s1.id, parentId: u1.id, role: .assistant, kind: .action, content: #"Grep {"pattern":"\\.all\\(\\)"}"#,
                                      externalId: "msg_demo_1", inputTokens: 5200, outputTokens: 310, createdAt: tick()))
        let g = try tc.create(ToolCall(sessionId: s1.id, messageId: a1.id, externalId: "toolu_demo_1", toolName: "Grep",
                                       input: #"{"pattern":"\\.all\\(\\)","path":"app/views"}"#, createdAt: t))
        let o1 = try m.append(Message(sessionId: s1.id, parentId: a1.id, role: .tool, kind: .observation,
                                      content: "app/views/dashboard.py:41:    for p in projects.all():\napp/views/dashboard.py:44:        p.members.all()", createdAt: tick()))
        try tc.complete(g.id, output: "app/views/dashboard.py:41\napp/views/dashboard.py:44", status: .success, durationMs: 84, resultMessageId: o1.id)
        let a2 = try m.append(Message(sessionId: s1.id, parentId: u1.id, role: .assistant, kind: .action, content: "Task: survey other views",
                                      externalId: "msg_demo_2", inputTokens: 6100, outputTokens: 150, createdAt: tick()))
        let sub = try tc.create(ToolCall(sessionId: s1.id, messageId: a2.id, externalId: "toolu_demo_2", toolName: "Task",
                                         input: #"{"description":"Survey views for lazy loads","subagent_type":"general-purpose"}"#, createdAt: t))
        let child = try store.sessions.create(Session(title: "Survey views for lazy loads", agentId: claude.id, status: .completed,
                                                      externalSessionId: "8f3c2a10-demo-0001-sub1", taskId: tasks["n1"]?.id),
                                              parentSessionId: s1.id, parentToolCallId: sub.id)
        try m.append(Message(sessionId: child.id, role: .user, content: "List views that iterate querysets without select_related.", createdAt: tick()))
        try m.append(Message(sessionId: child.id, role: .assistant, content: "Two more: reports.py:12 and billing.py:88.", createdAt: tick()))
        try tc.complete(sub.id, output: "Two more: reports.py:12 and billing.py:88.", status: .success, durationMs: 41_200)
        let a3 = try m.append(Message(sessionId: s1.id, parentId: u1.id, role: .assistant, kind: .action, content: "Bash: pytest -q tests/views",
                                      externalId: "msg_demo_3", inputTokens: 7400, outputTokens: 90, createdAt: tick()))
        let bash = try tc.create(ToolCall(sessionId: s1.id, messageId: a3.id, externalId: "toolu_demo_3", toolName: "Bash",
                                          input: #"{"command":"pytest -q tests/views"}"#, createdAt: t))
        try tc.complete(bash.id, output: "E   AssertionError: expected 3 queries, got 41\n1 failed, 17 passed", status: .error, durationMs: 5300)
        try m.append(Message(sessionId: s1.id, parentId: a3.id, role: .tool, kind: .observation,
                             content: "E   AssertionError: expected 3 queries, got 41\n1 failed, 17 passed", metadata: ["is_error": true], createdAt: tick()))
        try m.append(Message(sessionId: s1.id, role: .assistant, content: "Added select_related/prefetch_related in three views; the query count test now passes (3 queries).",
                             externalId: "msg_demo_4", inputTokens: 8100, outputTokens: 420, createdAt: tick()))
        try addUsage(store, s1, Usage(input: 26_800, output: 970, cacheRead: 120_000), model: "claude-sonnet-4-5", prices: prices)

        // 2. A running Claude session waiting for a person to confirm a command.
        let s2 = try store.sessions.create(Session(title: "Refresh endpoint", agentId: claude.id, userGoal: "Implement token refresh with revocation",
                                                   status: .running, externalSessionId: "8f3c2a10-demo-0002", taskId: tasks["auth"]?.id))
        try m.append(Message(sessionId: s2.id, role: .user, content: "Implement the refresh endpoint and a revocation list.", createdAt: tick()))
        try m.append(Message(sessionId: s2.id, role: .assistant, content: "I need to run the migration against the dev database.", createdAt: tick()))
        try tc.savePendingConfirmation(sessionId: s2.id, toolName: "Bash", input: #"{"command":"./manage.py migrate tokens 0004"}"#,
                                       userMessage: "Run the tokens migration on the dev database?")
        try addUsage(store, s2, Usage(input: 9_300, output: 410), model: "claude-sonnet-4-5", prices: prices)

        // 3. A Codex session whose turn failed.
        let s3 = try store.sessions.create(Session(title: "Webhook retry tests", agentId: codex.id, status: .failed,
                                                   externalSessionId: "demo-thread-1", taskId: tasks["webhook"]?.id))
        try m.append(Message(sessionId: s3.id, role: .user, content: "Write tests for the webhook retry schedule.", createdAt: tick()))
        let c1 = try m.append(Message(sessionId: s3.id, role: .assistant, kind: .action, content: "shell: cargo test webhook", createdAt: tick()))
        let sh = try tc.create(ToolCall(sessionId: s3.id, messageId: c1.id, externalId: "call_demo_1", toolName: "shell",
                                        input: #"{"command":["cargo","test","webhook"]}"#, createdAt: t))
        try tc.complete(sh.id, output: "error[E0425]: cannot find value `backoff` in this scope", status: .error, durationMs: 12_800)
        try m.append(Message(sessionId: s3.id, role: .system, content: "turn failed: stream disconnected before completion", metadata: ["is_error": true], createdAt: tick()))
        try addUsage(store, s3, Usage(input: 4_100, output: 800), model: "gpt-5", prices: prices)
    }

    static func addUsage(_ store: Store, _ s: Session, _ u: Usage, model: String, prices: PriceTable) throws {
        let cost = prices.cost(model: model, usage: u)
        try store.sessions.addUsage(s.id, u, costUsd: cost)
        if let e = s.executionId { try store.executions.addUsage(e, u, costUsd: cost) }
    }
}
