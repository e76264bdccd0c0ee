import Foundation
import Testing
import CLISupport
import Core
import Storage

/// Issue 14 item 4 in the real binary: two runs of a stand-in agent, each in its own worktree of a real git
/// repository, edit the same line. In tmux, `v` shows the first run's change and `M` (asked) merges it into
/// main; the second, which now conflicts, is refused with git's own message and the repository stays clean.
@Suite("Worktree runs: diff and merge in tmux", .serialized) struct WorktreeE2ETests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-worktree-e2e-\(UUID().uuidString.prefix(8))")
    var db: String { dir.appendingPathComponent("board.db").path }

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    @Test func diffShowsTheChangeMergeTakesItAndAConflictIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let repo = try GitRepository.make(at: dir.appendingPathComponent("repo").path)
        let store = try Store.open(db)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "editor", name: "editor", binaryPath: "/bin/sh", workingDir: repo))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "edit", label: "Edit", mode: .template,
                                                            commandTokens: GitRepository.editorTokens, isolation: .worktree))
        let first = try store.tasks.create(NewTask(title: "First edit"))
        let second = try store.tasks.create(NewTask(title: "Second edit"))
        try store.executions.queue(.init(taskId: first.id, capabilityId: cap.id, args: ["text": "from the first run"]))
        try store.executions.queue(.init(taskId: second.id, capabilityId: cap.id, args: ["text": "from the second run"]))
        let env = ["XDG_DATA_HOME": dir.appendingPathComponent("data").path]
        let worker = try CLI.run(["worker", "--once"], db: db, env: env, timeout: 60)
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(try store.executions.list(limit: 10).allSatisfy { $0.status == .succeeded })

        let t = try Tmux(width: 120, height: 32, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(db))", env: env)
        try t.waitFor(text: "First edit")
        try t.send("v")
        try t.waitFor(text: "+from the first run")
        #expect(try t.screen().contains("-original") && t.screen().contains("M notes.txt  +1 -1"))
        try t.send("M")
        try t.waitFor(text: "Merge task #\(first.id)?")
        try t.send("y")
        try t.waitFor(text: "merged agentmon/task-\(first.id)-first-edit into main")
        #expect(try String(contentsOfFile: repo + "/notes.txt", encoding: .utf8) == "from the first run\n")
        #expect(try GitRepository.git(["log", "--format=%s", "-1"], in: repo) == "Merge branch 'agentmon/task-\(first.id)-first-edit'\n")

        try t.send("j")
        try t.send("v")
        try t.waitFor(text: "+from the second run")
        try t.send("M")
        try t.waitFor(text: "Merge task #\(second.id)?")
        try t.send("y")
        let screen = try t.waitFor(text: "CONFLICT (content): Merge conflict in notes.txt")
        #expect(screen.contains("merge refused"))
        #expect(try GitRepository.git(["status", "--porcelain"], in: repo).isEmpty)  // the merge was aborted
        #expect(try String(contentsOfFile: repo + "/notes.txt", encoding: .utf8) == "from the first run\n")
        try t.send("q")
        try t.waitFor(text: "[exited 0]")
    }
}
