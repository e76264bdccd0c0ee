import Foundation
import Testing
import CLISupport
import Core
@testable import Storage

/// `capability edit --isolation`, `task edit --isolation`, `task merge`, `exec diff` and `worktree list|prune`
/// through the real binary, with a real worker (`worker --once`) in a real git repository.
@Suite("CLI: worktree runs") struct WorktreeCLITests {
    /// Two tasks whose runs (by a stand-in editor, isolation from the capability) wrote notes.txt differently.
    func setUp(_ db: CLIDatabase) throws -> (repo: String, first: ID, second: ID, runs: [ID]) {
        let repo = try GitRepository.make(at: db.dir.appendingPathComponent("repo").path)
        let store = try Store.open(db.url)
        defer { store.close() }
        let a = try store.agents.create(Agent(slug: "editor", name: "editor", binaryPath: "/bin/sh", workingDir: repo))
        _ = try store.agents.addCapability(Capability(agentId: a.id, key: "edit", label: "Edit", mode: .template,
                                                      commandTokens: GitRepository.editorTokens))
        let first = try store.tasks.create(NewTask(title: "First")), second = try store.tasks.create(NewTask(title: "Second"))
        return (repo, first.id, second.id, [])
    }

    func work(_ db: CLIDatabase, _ task: ID, _ text: String) throws -> ID {
        let r = try db.run("run", "--task", "\(task)", "--capability", "editor:edit", "--arg", "text=\(text)")
        #expect(r.status == 0, "\(r.stderr)")
        let w = try CLI.run(["worker", "--once"], db: db.url, env: ["XDG_DATA_HOME": db.dir.appendingPathComponent("data").path], timeout: 60)
        #expect(w.status == 0, "\(w.stderr)")
        return try #require(ID(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("isolation set from the CLI; diff, merge, a conflict refused with git's message, prune", arguments: CLIBackend.allCases)
    func mergeAndPrune(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (repo, first, second, _) = try setUp(db)
        let cap = try #require(try db.run("capability", "edit", "editor:edit", "--isolation", "worktree", "--json").json as? [String: Any])
        #expect(cap["isolation"] as? String == "worktree")
        let task = try #require(try db.run("task", "edit", "\(second)", "--isolation", "worktree", "--json").json as? [String: Any])
        #expect(task["isolation"] as? String == "worktree")
        #expect(try db.run("task", "edit", "\(second)", "--isolation", "inherit", "--json").json.flatMap { $0 as? [String: Any] }?["isolation"] is NSNull)

        let run1 = try work(db, first, "from the first run"), run2 = try work(db, second, "from the second run")
        let diff = try db.run("exec", "diff", "\(run1)")
        #expect(diff.status == 0 && diff.stdout.contains("-original\n+from the first run\n"), "\(diff.stdout)\(diff.stderr)")
        let files = try #require(try db.run("exec", "diff", "\(run1)", "--json").json as? [[String: Any]])
        #expect(files.count == 1 && files[0]["path"] as? String == "notes.txt" && files[0]["added"] as? Int == 1)
        let listed = try #require(try db.run("worktree", "list", "--json").json as? [[String: Any]])
        #expect(listed.map { $0["branch"] as? String } == ["agentmon/task-\(first)-first", "agentmon/task-\(second)-second"])

        let merged = try #require(try db.run("task", "merge", "\(first)", "--json").json as? [String: Any])
        #expect(merged["base_branch"] as? String == "main" && merged["branch"] as? String == "agentmon/task-\(first)-first")
        #expect(try String(contentsOfFile: repo + "/notes.txt", encoding: .utf8) == "from the first run\n")

        let refused = try db.run("task", "merge", "\(second)")
        expectCleanError(refused, contains: "CONFLICT (content): Merge conflict in notes.txt")
        #expect(try GitRepository.git(["status", "--porcelain"], in: repo).isEmpty)

        _ = try db.run("task", "move", "\(first)", "--to", "done")
        _ = try db.run("task", "move", "\(second)", "--to", "cancelled")
        let pruned = try db.run("worktree", "prune")
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stdout.contains("task \(first): removed ") && pruned.stdout.contains("deleted merged branch agentmon/task-\(first)-first"))
        #expect(pruned.stdout.contains("(branch agentmon/task-\(second)-second kept: not merged into main)"))
        #expect(try GitRepository.git(["branch", "--format=%(refname:short)"], in: repo) == "agentmon/task-\(second)-second\nmain\n")
        // The pruned run's diff is still there, read from its branch.
        #expect(try db.run("exec", "diff", "\(run2)").stdout.contains("+from the second run"))
        #expect(try db.run("worktree", "prune").stdout == "nothing to prune: no worktree of a done or cancelled task\n")
    }

    @Test("user errors are one clean line", arguments: CLIBackend.allCases)
    func refusals(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let (_, first, _, _) = try setUp(db)
        expectCleanError(try db.run("task", "merge", "\(first)"), contains: "task \(first) has no run in a worktree")
        expectCleanError(try db.run("task", "merge", "999"), contains: "no task with id 999")
        expectCleanError(try db.run("capability", "edit", "editor:edit", "--isolation", "jail"), contains: "--isolation must be worktree or none")
        expectCleanError(try db.run("task", "edit", "\(first)", "--isolation", "x\u{1B}[2J"), contains: "--isolation must be worktree, none or inherit")
        let run = try work(db, first, "no isolation")
        expectCleanError(try db.run("exec", "diff", "\(run)"), contains: "execution \(run) did not run in a worktree")
        // A repository-less working directory: the run fails and says why.
        let plain = db.dir.appendingPathComponent("plain").path
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        _ = try db.run("agent", "edit", "editor", "--working-dir", plain)
        _ = try db.run("capability", "edit", "editor:edit", "--isolation", "worktree")
        let failed = try work(db, first, "x")
        let shown = try #require(try db.run("exec", "show", "\(failed)", "--json").json as? [String: Any])
        #expect(shown["status"] as? String == "failed")
        #expect(shown["error"] as? String == "cannot start: isolation = worktree needs a git repository, and \(plain) is not in one")
    }
}
