import Foundation
import Testing
import Core
import Storage
@testable import Git
import CLISupport
@testable import Worker

/// Runs with `isolation = worktree` through the real worker loop, in a real git repository: the run works in
/// its task's worktree, the repository's checkout stays as it was, and merge and prune do what they say.
@Suite("Worker: runs in their own git worktree") struct WorktreeRunTests {
    static func repository(in tdb: TestDatabase) throws -> String { try GitRepository.make(at: tdb.path("repo")) }

    @discardableResult
    static func git(_ args: [String], in dir: String) throws -> String {
        try GitRepository.git(args, in: dir).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A stand-in agent: a shell that writes its `text` argument over notes.txt in its working directory, uncommitted.
    static func editor(_ s: Store) throws -> Capability {
        var cap = try s.program("editor", "/bin/sh", GitRepository.editorTokens)
        cap.isolation = .worktree
        return try s.agents.updateCapability(cap)
    }

    /// One task per title in `repo`, each run once by an editor writing its title over notes.txt; the worker drains them.
    static func runs(_ s: Store, _ tdb: TestDatabase, repo: String, _ titles: [String]) throws -> [TaskItem] {
        let tasks = try titles.map { try s.task($0, context: .init(workingDir: repo)) }
        let cap = try editor(s)
        for t in tasks { try s.queue(cap, task: t, ["text": t.title]) }
        try tdb.drain()
        return tasks
    }

    static func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test("the run edits notes.txt in its worktree on branch agentmon/task-N-…; the checkout is untouched", arguments: Backend.allCases)
    func runsInWorktree(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let head = try Self.git(["rev-parse", "HEAD"], in: repo)
            let cap = try Self.editor(s)
            let task = try s.task("Edit the notes!", context: .init(workingDir: repo))
            let e = try s.queue(cap, task: task, ["text": "changed by the agent"])
            try tdb.drain()
            #expect(try s.executions.get(e.id).status == .succeeded)
            let w = try #require(try s.worktrees.forExecution(e.id))
            #expect(w.branch == "agentmon/task-\(task.id)-edit-the-notes" && w.baseBranch == "main" && w.baseCommit == head)
            #expect(w.worktreePath == tdb.path("worktrees") + "/task-\(task.id)-edit-the-notes")
            #expect(try Self.git(["symbolic-ref", "--short", "HEAD"], in: w.worktreePath) == w.branch)
            #expect(Self.contents(w.worktreePath + "/notes.txt") == "changed by the agent\n")
            #expect(String(decoding: try tdb.logBytes(e.id), as: UTF8.self).hasSuffix(w.worktreePath + "\n"))
            #expect(Self.contents(repo + "/notes.txt") == "original\n")
            #expect(try Self.git(["status", "--porcelain"], in: repo).isEmpty)
            let files = try Worktrees(store: s, git: Git()).diff(w)
            #expect(files.map(\.path) == ["notes.txt"] && files[0].added == 1 && files[0].removed == 1)
            #expect(files[0].hunks.flatMap(\.lines).contains(DiffLine(.added, "changed by the agent")))

            // A second run of the task (a continuation) works in the same worktree, on what the first left.
            let again = try s.queue(cap, task: task, ["text": "again"])
            try tdb.drain()
            #expect(try s.worktrees.forExecution(again.id)?.worktreePath == w.worktreePath)
        }
    }

    @Test("two runs of one task that start at once share its worktree; neither fails on the branch", arguments: Backend.allCases)
    func simultaneousRunsShareTheWorktree(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let cap = try Self.editor(s)
            let task = try s.task("Both at once", context: .init(workingDir: repo))
            let runs = try (0..<2).map { try s.queue(cap, task: task, ["text": "run \($0)"]) }
            try tdb.drain(concurrency: 2)
            for e in runs {
                let done = try s.executions.get(e.id)
                #expect(done.status == .succeeded, "\(done.error ?? "")")
            }
            let paths = try runs.map { try #require(try s.worktrees.forExecution($0.id)).worktreePath }
            #expect(Set(paths).count == 1)
        }
    }

    @Test("runs of different tasks making their worktrees in one repository at once all get theirs")
    func simultaneousWorktreesInOneRepository() throws {
        // git's worktree add and prune race in one repository ("failed to read .git/worktrees/…/commondir"):
        // 48 made four at a time, as four workers would.
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let cap = try Self.editor(s)
            let work = try (0..<48).map { i -> (Execution, TaskItem) in
                let t = try s.task("Task \(i)", context: .init(workingDir: repo))
                return (try s.queue(cap, task: t, ["text": "\(i)"]), t)
            }
            let failures = Locked<[String]>([]), group = DispatchGroup()
            for lane in 0..<4 {
                group.enter()
                Thread {
                    defer { group.leave() }
                    guard let store = try? tdb.store(), let git = try? Git() else { failures.with { $0.append("no store") }; return }
                    defer { store.close() }
                    let trees = Worktrees(store: store, git: git)
                    for (e, t) in work.enumerated().filter({ $0.offset % 4 == lane }).map(\.element) {
                        do { _ = try trees.prepare(execution: e, task: t, directory: repo, worktreesFolder: tdb.path("worktrees")) }
                        catch { failures.with { $0.append("task \(t.id): \(error)") } }
                    }
                }.start()
            }
            group.wait()
            #expect(failures.get.isEmpty, "\(failures.get)")
            #expect(try work.allSatisfy { try s.worktrees.forExecution($0.0.id) != nil })
        }
    }

    @Test("git's worktree commands run under the repository's lock, let go afterwards")
    func repositoryLockIsHeld() throws {
        try withDatabase(.sqlite) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let trees = Worktrees(store: s, git: try Git())
            let lockFile = repo + "/.git/agentmon-worktrees.lock"
            func othersCanTake() -> Bool {
                let fd = open(lockFile, O_RDWR)
                guard fd >= 0 else { return true }
                defer { close(fd) }
                return flock(fd, LOCK_EX | LOCK_NB) == 0  // another open file: refused while the lock is held
            }
            let heldInside = trees.withRepositoryLock(repo) { !othersCanTake() }
            #expect(heldInside && FileManager.default.fileExists(atPath: lockFile))
            #expect(othersCanTake())
            // A link planted in its place is not followed: the work runs unlocked and nothing is made elsewhere.
            try FileManager.default.removeItem(atPath: lockFile)
            let target = tdb.path("planted-target")
            try FileManager.default.createSymbolicLink(atPath: lockFile, withDestinationPath: target)
            #expect(trees.withRepositoryLock(repo) { true })
            #expect(!FileManager.default.fileExists(atPath: target))
        }
    }

    @Test("without a git repository the run fails with a clear error", arguments: Backend.allCases)
    func needsRepository(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let plain = tdb.path("plain")
            try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
            let e = try s.queue(try Self.editor(s), task: try s.task(context: .init(workingDir: plain)), ["text": "x"])
            try tdb.drain()
            let done = try s.executions.get(e.id)
            #expect(done.status == .failed)
            #expect(done.error == "cannot start: isolation = worktree needs a git repository, and \(plain) is not in one")
            #expect(try s.worktrees.forExecution(e.id) == nil)
        }
    }

    @Test("merge takes the first run into main; a second that changed the same line is refused with git's message",
          arguments: Backend.allCases)
    func mergeAndConflict(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let tasks = try Self.runs(s, tdb, repo: repo, ["from the first run", "from the second run"])
            let (first, second) = (tasks[0], tasks[1])
            let trees = Worktrees(store: s, git: try Git())
            let merged = try trees.merge(taskId: first.id)
            let head = try Self.git(["rev-parse", "HEAD"], in: repo)
            #expect(merged.baseBranch == "main" && merged.head == head)
            #expect(Self.contents(repo + "/notes.txt") == "from the first run\n")
            #expect(try s.worktrees.latest(taskId: first.id)?.mergedAt != nil)
            let refusal = #expect(throws: GitError.self) { try trees.merge(taskId: second.id) }
            #expect(refusal?.description.contains("CONFLICT") == true)
            #expect(refusal?.description.contains("notes.txt") == true)
            #expect(try Self.git(["status", "--porcelain"], in: repo).isEmpty)  // the merge was aborted
            #expect(Self.contents(repo + "/notes.txt") == "from the first run\n")
            #expect(try s.worktrees.latest(taskId: second.id)?.mergedAt == nil)
        }
    }

    @Test("merge refuses a repository on another branch or with uncommitted changes", arguments: Backend.allCases)
    func mergeRefusals(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let task = try Self.runs(s, tdb, repo: repo, ["work"])[0]
            let trees = Worktrees(store: s, git: try Git())
            try "dirty\n".write(toFile: repo + "/notes.txt", atomically: true, encoding: .utf8)
            #expect(throws: GitError("the repository at \(repo) has uncommitted changes: commit or stash them before merging agentmon/task-\(task.id)-work")) {
                try trees.merge(taskId: task.id)
            }
            try Self.git(["checkout", "--quiet", "--", "notes.txt"], in: repo)
            try Self.git(["checkout", "--quiet", "-b", "other"], in: repo)
            #expect(throws: GitError("the repository at \(repo) is on other, not main: check out main to merge agentmon/task-\(task.id)-work")) {
                try trees.merge(taskId: task.id)
            }
            #expect(throws: GitError("task 999 has no run in a worktree")) { try trees.merge(taskId: 999) }
        }
    }

    @Test("prune removes the worktrees of done tasks; a merged branch goes, an unmerged one stays", arguments: Backend.allCases)
    func prune(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let repo = try Self.repository(in: tdb)
            let tasks = try Self.runs(s, tdb, repo: repo, ["merged", "kept", "open"])
            let (merged, kept, open) = (tasks[0], tasks[1], tasks[2])
            let trees = Worktrees(store: s, git: try Git())
            _ = try trees.merge(taskId: merged.id)
            try s.tasks.move(merged.id, to: .done)
            try s.tasks.move(kept.id, to: .cancelled)
            let pruned = try trees.prune()
            #expect(pruned.map(\.worktree.taskId) == [merged.id, kept.id])
            #expect(pruned.map(\.branchDeleted) == [true, false] && pruned.allSatisfy(\.removed))
            #expect(pruned[1].note == "branch agentmon/task-\(kept.id)-kept kept: not merged into main")
            let branches = try Self.git(["branch", "--format=%(refname:short)"], in: repo).split(separator: "\n")
            #expect(Set(branches) == ["main", "agentmon/task-\(kept.id)-kept", "agentmon/task-\(open.id)-open"])
            #expect(!FileManager.default.fileExists(atPath: try #require(try s.worktrees.latest(taskId: kept.id)).worktreePath))
            #expect(FileManager.default.fileExists(atPath: try #require(try s.worktrees.latest(taskId: open.id)).worktreePath))
            #expect(try trees.prune().isEmpty)  // nothing left to do
        }
    }
}

@Suite("Worktree records are checked before git sees them") struct WorktreeRecordTests {
    @Test("a base or branch that could pass for an option is refused")
    func hostileRecords() throws {
        let good = RunWorktree(executionId: 1, taskId: 1, repoPath: "/r", worktreePath: "/w", branch: "agentmon/task-1",
                               baseBranch: "main", baseCommit: "0123456789abcdef0123456789abcdef01234567")
        try Worktrees.check(good)
        var bad = [good, good, good, good, good]
        bad[0].baseCommit = "--output=/tmp/x"
        bad[1].branch = "--delete"
        bad[2].baseBranch = "-D"
        bad[3].repoPath = "relative"
        bad[4].baseCommit = ""
        for w in bad {
            #expect(throws: GitError("the worktree record of run #1 is not one agentmon made; it is left alone")) { try Worktrees.check(w) }
        }
    }
}
