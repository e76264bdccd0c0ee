import Foundation
import Testing
import CLISupport
import Core
import Storage

/// The demo's transcripts and its inbox in the real binary, in tmux.
@Suite("Transcripts and the inbox in tmux", .serialized) struct TranscriptE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-transcript-\(UUID().uuidString)")
    var db: String { dir.appendingPathComponent("demo.db").path }

    init() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try CLI.run(["demo", "--fill-only"], db: db)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// The demo session that started a sub-agent: its tools in order, which call started the sub-agent, and the
    /// sub-agent's id and first line.
    func sessionWithSubAgent() throws -> (id: ID, tools: [String], subCall: Int, subId: ID, subFirstLine: String) {
        let store = try Store.open(db)
        defer { store.close() }
        for s in try store.sessions.list() {
            let calls = try store.messages.transcript(sessionId: s.id, limit: 500).items.filter { $0.toolCall != nil }
            guard let k = calls.firstIndex(where: { $0.subSession != nil }), let sub = calls[k].subSession else { continue }
            let first = try store.messages.transcript(sessionId: sub.id, limit: 1).items.first?.message.content ?? ""
            let line = first.split(separator: "\n").first.map(String.init) ?? ""
            return (s.id, calls.compactMap { $0.toolCall?.toolName }, k, sub.id, String(line.prefix(30)))
        }
        throw CLIError("the demo has no session with a sub-agent")
    }

    func dashboard() throws -> Tmux {
        try Tmux(width: 140, height: 45, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))")
    }

    @Test func openTheDemoTranscriptFoldAndJumpBetweenToolCalls() throws {
        let (id, tools, subCall, subId, subLine) = try sessionWithSubAgent()
        #expect(tools.count >= 2)
        let t = try dashboard()
        try t.waitFor(text: "Todo")
        try t.send("5")
        try t.waitFor(text: "STATUS")
        try t.waitFor("the usage strip over the sessions") { $0.contains("Today $") && $0.contains("Block ") && $0.contains("14d ") }
        try t.send("/")
        try t.send("-l", "#\(id)")
        try t.send("Enter", "Enter")
        try t.waitFor(text: "#\(id) claude ·")
        try t.waitFor(text: "● \(tools[0])")

        // ] selects the first call; Space folds it (its input and result go), Space again unfolds it.
        try t.send("]", "Space")
        try t.waitFor(text: "▸ ● \(tools[0])")
        try t.send("Space")
        try t.waitFor(text: "▾ ● \(tools[0])")
        // ] jumps to the next call: folding now folds that one, and the first stays open.
        try t.send("]", "Space")
        let both = try t.waitFor("the second call folded, the first open") { $0.contains("▸ ● \(tools[1])") && $0.contains("▾ ● \(tools[0])") }
        #expect(both.contains("▸ ● \(tools[1])"))
        // [ goes back to the first.
        try t.send("[", "Space")
        try t.waitFor("both folded") { $0.contains("▸ ● \(tools[0])") && $0.contains("▸ ● \(tools[1])") }

        // The sub-agent hangs under the call that started it: Space shows its messages there, Enter opens it alone.
        try t.send("g")
        for _ in 0...subCall { try t.send("]") }
        try t.send("j")  // the sub-agent comes right under its call, before the call's result
        try t.waitFor(text: "▸ ⤷ sub-agent")
        try t.send("Space", "j")
        try t.waitFor(text: "▾ ⤷ sub-agent")
        if !subLine.isEmpty { try t.waitFor(text: subLine) }
        try t.send("k", "Enter")
        try t.waitFor(text: "sub-agent #\(subId) claude ·")
        try t.send("Escape")
        try t.waitFor(text: "┏━ #\(id) claude ·")
        // z folds everything to headers, Z opens everything.
        try t.send("z")
        try t.waitFor("everything folded to headers") { !$0.contains("↳ result") && $0.contains("▸ ● \(tools[0])") }
        try t.send("Z")
        try t.waitFor(text: "↳ result")

        try t.send("Escape")
        try t.waitFor(text: "STATUS")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }

    /// A newcomer's first answer: `agentmon demo` runs its queued Claude run, which asks permission for a
    /// migration (stream-json `can_use_tool`) and waits; the inbox shows it, `a` allows it, the agent goes on
    /// and the run succeeds. (The shipped stream-json file's own request ended with its stream: the fill
    /// leaves nothing that cannot be answered.)
    @Test func answerTheDemoAgentsPermissionRequestFromTheInbox() throws {
        let approvals: Int = try {
            let store = try Store.open(db)
            defer { store.close() }
            #expect(try store.toolCalls.pendingConfirmations().isEmpty, "the fill leaves no request nobody can answer")
            return try store.executions.summaries(status: .queued).filter { $0.execution.requiresApproval && $0.execution.approvedAt == nil }.count
        }()
        let t = try Tmux(width: 140, height: 45, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db)) demo")
        try t.waitFor(text: "! 1 needs input" + (approvals > 0 ? " · \(approvals) waiting approval" : ""), within: 30)
        // The run's card says it waits for a person, not that it is busy running; so does screen 3.
        try t.waitFor(text: "? needs input")
        try t.send("3")
        try t.waitFor("the run waits on screen 3") { screen in
            screen.split(separator: "\n").contains { $0.contains("claude:implement") && $0.contains("? needs input") }
        }
        try t.send("!")
        try t.waitFor(text: "Attention \(approvals + 1)")
        // Oldest first: move down to the confirmation.
        for _ in 0...approvals where !(try t.screen()).contains("› confirm") { try t.send("j") }
        try t.waitFor(text: "› confirm  claude · Bash")
        try t.send("a")
        try t.waitFor(text: "✓ claude · Bash  allowed by")  // under "Answered lately"
        try t.waitFor("the confirmation left the inbox") { !$0.contains("confirm  claude") && $0.contains("Attention \(approvals)") }
        try t.send("Escape")
        try t.waitFor("the inbox closed") { !$0.contains("Attention") }
        try t.waitFor("the Claude run succeeded", within: 30) { screen in
            screen.split(separator: "\n").contains { $0.contains("claude:implement") && $0.contains("succeeded") && $0.contains("Replace session cookies") }
        }
        try t.send("q")
        try t.waitFor(text: "[exited 0]")

        let store = try Store.open(db)
        defer { store.close() }
        #expect(try store.toolCalls.pendingConfirmations().isEmpty)
        let bash = try store.toolCalls.query(limit: 10_000).filter { $0.toolName == "Bash" && $0.input.contains("migrate tokens 0004") }
        let allowed = try #require(bash.first { $0.decidedBy != nil && $0.decidedBy != "agentmon" })
        #expect(allowed.status == .success && allowed.output?.contains("Applying tokens.0004_revocation_list... OK") == true,
                "the agent ran it after the allow: \(allowed)")
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
