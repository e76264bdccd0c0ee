import Foundation
import Core
import Storage

/// A task's git worktree: made (or reused) by the worker for a run with `isolation = worktree`, read as a
/// diff against its base, merged into its base branch, and removed once the task is done or cancelled.
/// The worktree of task N lives in `<worktrees folder>/task-N-<slug>` on branch `agentmon/task-N-<slug>`;
/// every run of the task works there, so a continuation sees what the run before it left.
public struct Worktrees {
    public let store: Store
    public let git: Git
    public init(store: Store, git: Git) { self.store = store; self.git = git }

    /// Makes or reuses the task's worktree for run `e`, records it, and returns it with the folder to run in
    /// (the same subfolder of the worktree as `directory` is of its repository).
    public func prepare(execution e: Execution, task: TaskItem, directory: String, worktreesFolder: String) throws -> (RunWorktree, String) {
        // Two runs of one task starting at once on this host: the second waits and reuses what the first made
        // (without the lock it would try to create the same branch and fail on git's "already exists").
        try FileManager.default.createDirectory(atPath: worktreesFolder, withIntermediateDirectories: true)
        let lockPath = (worktreesFolder as NSString).appendingPathComponent(".task-\(task.id).lock")
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw GitError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }  // closing lets the lock go
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        return try prepareLocked(execution: e, task: task, directory: directory, worktreesFolder: worktreesFolder)
    }

    /// Runs `body` holding this host's lock on the repository's worktrees: git's own `worktree add` and
    /// `worktree prune` race when two run at once in one repository (one reads the other's half-made entry
    /// and fails with "failed to read .git/worktrees/…/commondir"), and runs of different tasks start at once.
    /// The lock file is in the repository's common git folder, never through a link a repository planted there;
    /// where it cannot be made, `body` runs unlocked.
    func withRepositoryLock<T>(_ top: String, _ body: () throws -> T) rethrows -> T {
        var common = (try? git.check(["rev-parse", "--git-common-dir"], in: top)) ?? ""
        if !common.isEmpty, !common.hasPrefix("/") { common = (top as NSString).appendingPathComponent(common) }
        let lock = common.isEmpty ? -1 : open((common as NSString).appendingPathComponent("agentmon-worktrees.lock"), O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 { while flock(lock, LOCK_EX) != 0 && errno == EINTR {} }
        return try body()
    }

    private func prepareLocked(execution e: Execution, task: TaskItem, directory: String, worktreesFolder: String) throws -> (RunWorktree, String) {
        let top: String
        do { top = try git.check(["rev-parse", "--show-toplevel"], in: directory) } catch {
            throw GitError("isolation = worktree needs a git repository, and \(directory) is not in one")
        }
        let prefix = (try? git.check(["rev-parse", "--show-prefix"], in: directory)) ?? ""
        func place(_ w: RunWorktree) -> (RunWorktree, String) {
            (w, prefix.isEmpty ? w.worktreePath : (w.worktreePath as NSString).appendingPathComponent(prefix))
        }
        if var w = try store.worktrees.latest(taskId: task.id), w.removedAt == nil, w.repoPath == top,
           FileManager.default.fileExists(atPath: w.worktreePath) {
            w.executionId = e.id; w.mergedAt = nil
            try store.worktrees.record(w)
            return place(w)
        }
        let head: String
        do { head = try git.check(["rev-parse", "--verify", "HEAD^{commit}"], in: top) } catch {
            throw GitError("isolation = worktree needs a commit to start from, and the repository at \(top) has none yet")
        }
        let baseBranch = try? git.check(["symbolic-ref", "--quiet", "--short", "HEAD"], in: top)
        let branch = WorktreeNames.branch(taskId: task.id, title: task.title)
        let path = (worktreesFolder as NSString).appendingPathComponent(WorktreeNames.folder(taskId: task.id, title: task.title))
        try FileManager.default.createDirectory(atPath: worktreesFolder, withIntermediateDirectories: true)
        var base = head
        try withRepositoryLock(top) {
            _ = git.run(["worktree", "prune"], in: top)  // a folder removed by hand must not block its branch
            if git.run(["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], in: top).status == 0 {
                try git.check(["worktree", "add", "--quiet", path, branch], in: top)
                base = (try? git.check(["merge-base", branch, head], in: top)) ?? head
            } else {
                try git.check(["worktree", "add", "--quiet", "-b", branch, path, head], in: top)
            }
        }
        let w = RunWorktree(executionId: e.id, taskId: task.id, repoPath: top, worktreePath: path, branch: branch,
                            baseBranch: baseBranch.flatMap { $0.isEmpty ? nil : $0 }, baseCommit: base)
        try store.worktrees.record(w)
        return place(w)
    }

    /// The run's work against its base as `git diff` text: the worktree as it is now (commits, uncommitted
    /// changes and new files), or the branch once the worktree is gone.
    public func diffText(_ w: RunWorktree, maxNewFiles: Int = 200) throws -> String {
        try Self.check(w)
        let options = ["-c", "core.quotePath=true", "diff", "--no-color", "--no-ext-diff", "--find-renames", "--src-prefix=a/", "--dst-prefix=b/"]
        guard FileManager.default.fileExists(atPath: w.worktreePath) else {
            return try git.output(options + [w.baseCommit, w.branch, "--"], in: w.repoPath)
        }
        var text = try git.output(options + [w.baseCommit, "--"], in: w.worktreePath)
        let untracked = try git.check(["ls-files", "--others", "--exclude-standard", "-z"], in: w.worktreePath)
        for file in untracked.split(separator: "\0").prefix(maxNewFiles) {
            // --no-index exits 1 when the files differ, which a new file always does.
            let out = git.run(options + ["--no-index", "--", "/dev/null", String(file)], in: w.worktreePath)
            guard out.status == 1 else { continue }
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            text += out.output
        }
        return text
    }

    public func diff(_ w: RunWorktree) throws -> [FileDiff] { UnifiedDiff.parse(try diffText(w)) }

    public struct Merge: Sendable, Equatable {
        public let branch: String
        public let baseBranch: String
        public let repoPath: String
        /// The base branch's commit after the merge.
        public let head: String
    }

    /// Merges the task's branch into its base branch in the original repository (`--no-ff`), after committing
    /// what the run left uncommitted on its branch. Refuses a repository on another branch or with
    /// uncommitted changes; on a conflict the merge is aborted and git's own message is the error.
    public func merge(taskId: ID) throws -> Merge {
        guard let w = try store.worktrees.latest(taskId: taskId) else { throw GitError("task \(taskId) has no run in a worktree") }
        try Self.check(w)
        guard let base = w.baseBranch else {
            throw GitError("the worktree of task \(taskId) was made from a detached HEAD; merge \(w.branch) yourself")
        }
        if FileManager.default.fileExists(atPath: w.worktreePath) { try commitPending(w) }
        let current = (try? git.check(["symbolic-ref", "--quiet", "--short", "HEAD"], in: w.repoPath)) ?? "(detached HEAD)"
        guard current == base else {
            throw GitError("the repository at \(w.repoPath) is on \(current), not \(base): check out \(base) to merge \(w.branch)")
        }
        guard try git.check(["status", "--porcelain", "--untracked-files=no"], in: w.repoPath).isEmpty else {
            throw GitError("the repository at \(w.repoPath) has uncommitted changes: commit or stash them before merging \(w.branch)")
        }
        let out = git.run(["merge", "--no-ff", "--no-edit", w.branch], in: w.repoPath, extraEnvironment: git.identity(in: w.repoPath))
        guard out.status == 0, !out.timedOut else {
            _ = git.run(["merge", "--abort"], in: w.repoPath)  // leave the repository as it was
            throw GitError(out.output.trimmed.isEmpty ? "git merge failed (\(out.status))" : out.output.trimmed)
        }
        try store.worktrees.markMerged(taskId: taskId, branch: w.branch)
        return Merge(branch: w.branch, baseBranch: base, repoPath: w.repoPath,
                     head: (try? git.check(["rev-parse", "HEAD"], in: w.repoPath)) ?? "")
    }

    /// A row read back from a shared database is not trusted as git arguments: the base must be a commit id and
    /// the branch one of ours, so neither can pass for an option (`--output=…`).
    static func check(_ w: RunWorktree) throws {
        let hex = !w.baseCommit.isEmpty && w.baseCommit.count <= 64 && w.baseCommit.allSatisfy(\.isHexDigit)
        guard hex, w.branch.hasPrefix("agentmon/"), w.baseBranch.map({ !$0.hasPrefix("-") }) ?? true,
              w.repoPath.hasPrefix("/"), w.worktreePath.hasPrefix("/") else {
            throw GitError("the worktree record of run #\(w.executionId) is not one agentmon made; it is left alone")
        }
    }

    /// What the agent left uncommitted becomes one commit on the task's branch, so the merge takes it.
    func commitPending(_ w: RunWorktree) throws {
        guard !(try git.check(["status", "--porcelain"], in: w.worktreePath)).isEmpty else { return }
        try git.check(["add", "-A"], in: w.worktreePath)
        try git.check(["commit", "--quiet", "--no-verify", "-m", "agentmon: task \(w.taskId), run #\(w.executionId)"],
                      in: w.worktreePath, extraEnvironment: git.identity(in: w.worktreePath))
    }

    public struct Pruned: Sendable, Equatable {
        public let worktree: RunWorktree
        public let removed: Bool
        public let branchDeleted: Bool
        /// Why the branch stayed, or what went wrong.
        public let note: String?
    }

    /// Removes the worktrees of tasks that are done or cancelled (after committing what their runs left on their
    /// branch); a branch goes too only when its base branch has every commit of it (merged), else it stays and
    /// the note says so.
    public func prune() throws -> [Pruned] {
        var out: [Pruned] = []
        for (w, status) in try store.worktrees.live() where status == .done || status == .cancelled {
            do { try Self.check(w) } catch { out.append(Pruned(worktree: w, removed: false, branchDeleted: false, note: "\(error)")); continue }
            if FileManager.default.fileExists(atPath: w.worktreePath) {
                // The run's uncommitted work goes on its branch first: removing the folder must not lose it.
                do {
                    try commitPending(w)
                    try withRepositoryLock(w.repoPath) { _ = try git.check(["worktree", "remove", "--force", w.worktreePath], in: w.repoPath) }
                } catch {
                    out.append(Pruned(worktree: w, removed: false, branchDeleted: false, note: "\(error)")); continue
                }
            } else {
                withRepositoryLock(w.repoPath) { _ = git.run(["worktree", "prune"], in: w.repoPath) }
            }
            try store.worktrees.markRemoved(worktreePath: w.worktreePath)
            let merged = w.baseBranch.map { git.run(["merge-base", "--is-ancestor", w.branch, $0], in: w.repoPath).status == 0 } ?? false
            if merged, (try? git.check(["branch", "-D", w.branch], in: w.repoPath)) != nil {
                out.append(Pruned(worktree: w, removed: true, branchDeleted: true, note: nil))
            } else {
                out.append(Pruned(worktree: w, removed: true, branchDeleted: false,
                                  note: merged ? "branch \(w.branch) could not be deleted" : "branch \(w.branch) kept: not merged into \(w.baseBranch ?? "its base")"))
            }
        }
        return out
    }
}
