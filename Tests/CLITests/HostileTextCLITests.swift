import Foundation
import Testing
import CLISupport
import Core
import FuzzCorpus
@testable import Storage

/// Names and titles are untrusted: an agent name, a task title, a session title, a capability label (and a
/// slug stored before the slug rule) holding OSC, CSI, C1 and bidi controls come out of every CLI output
/// inert, as placeholders a person can see.
@Suite("CLI: hostile text is sanitised in every output") struct HostileTextCLITests {
    static let evil = "Evil \(HostileStrings.osc) \(HostileStrings.csi) \(HostileStrings.c1CSI) \(HostileStrings.bidi)"

    /// Asserts no terminal hazard in stdout and stderr, and (for human output) that the text was shown, not lost.
    func expectInert(_ r: CLIResult, _ what: String, shows: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(TerminalHazards.first(in: Array(r.stdoutBytes)) == nil, "\(what) stdout: \(r.stdout.debugDescription)", sourceLocation: sourceLocation)
        #expect(TerminalHazards.first(in: Array(r.stderrBytes)) == nil, "\(what) stderr: \(r.stderr.debugDescription)", sourceLocation: sourceLocation)
        if shows {
            let out = r.stdout + r.stderr
            #expect(out.contains("^[") && out.contains("<U+202E>"), "\(what) shows placeholders: \(out.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: CLIBackend.allCases)
    func everyOutputIsInert(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let agent = try db.run("agent", "add", "--slug", "evil", "--name", Self.evil, "--binary", "/bin/echo")
        #expect(agent.status == 0, "\(agent.stderr)")
        expectInert(agent, "agent add", shows: false)
        let cap = try db.run("capability", "add", "--agent", "evil", "--key", "k\(HostileStrings.osc)\(HostileStrings.bidi)", "--label", Self.evil, "--command", "hi")
        #expect(cap.status == 0, "\(cap.stderr)")
        expectInert(cap, "capability add confirmation")
        let task = try #require(try db.run("task", "add", "--title", Self.evil, "--description", "line 1\n\(Self.evil)", "--assignee", "evil", "--json").json as? [String: Any])
        let taskId = "\(task["id"]!)"

        // A slug stored before the rule (or by another tool): the outputs that print slugs sanitise it too.
        let store = try Store(db: openRaw(db.url))
        let a = try #require(try store.agents.find(slug: "evil"))
        let session = try store.sessions.create(Session(title: Self.evil, agentId: a.id, userGoal: Self.evil))
        _ = try store.messages.append(Message(sessionId: session.id, role: .assistant, content: "said \(Self.evil)\nand more"))
        try store.db.execute("UPDATE agents SET slug = ? WHERE id = ?", [.text("evil\(HostileStrings.osc)\(HostileStrings.bidi)"), .int(a.id)])
        store.close()

        expectInert(try db.run("task", "show", taskId), "task show")
        expectInert(try db.run("task", "list"), "task list")
        expectInert(try db.run("session", "show", "\(session.id)"), "session show")
        expectInert(try db.run("session", "list"), "session list")
        expectInert(try db.run("agent", "list"), "agent list")
        expectInert(try db.run("cost", "--by", "agent"), "cost")
        // Error messages echo what the user typed.
        let missing = try db.run("task", "add", "--title", "x", "--assignee", "ghost\(HostileStrings.osc)\(HostileStrings.bidi)")
        expectCleanError(missing, contains: "no agent with slug 'ghost^[")
        expectInert(missing, "no agent error")
        let badStatus = try db.run("task", "list", "--status", Self.evil)
        expectCleanError(badStatus, contains: "unknown status")
        expectInert(badStatus, "unknown status error")
        expectInert(try db.run("task", "list", "--frob\(HostileStrings.c1CSI)\(HostileStrings.bidi)\(HostileStrings.osc)"), "unknown option error")

        // --json: escaped, and a JSON reader gets the exact text back.
        for (args, what) in [(["task", "show", taskId, "--json"], "task show --json"), (["task", "list", "--json"], "task list --json"),
                             (["session", "show", "\(session.id)", "--json"], "session show --json"),
                             (["session", "list", "--json"], "session list --json"), (["agent", "list", "--json"], "agent list --json")] {
            let r = try db.runArgs(args)
            #expect(r.status == 0, "\(what): \(r.stderr)")
            expectInert(r, what, shows: false)
            #expect(r.stdout.contains("\\u001b") && r.stdout.lowercased().contains("\\u202e"), "\(what) escapes")
        }
        let json = try #require(try db.run("task", "show", taskId, "--json").json as? [String: Any])
        #expect(json["title"] as? String == Self.evil)
        let agents = try #require(try db.run("agent", "list", "--json").json as? [[String: Any]])
        #expect(agents.first?["name"] as? String == Self.evil)
        #expect((agents.first?["capabilities"] as? [[String: Any]])?.first?["label"] as? String == Self.evil)
    }
}
