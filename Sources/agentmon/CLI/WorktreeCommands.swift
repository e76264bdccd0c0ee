import Foundation
import ArgumentParser
import Core
import Storage
import Git

/// `agentmon task merge`, `agentmon exec diff` and `agentmon worktree list|prune`: the git worktrees of runs with
/// `isolation = worktree` (Git/Worktrees). A git refusal is reported in git's own words.
struct WorktreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worktree", abstract: "List or prune the git worktrees of isolated runs.",
        subcommands: [List.self, Prune.self])

    static func json(_ w: RunWorktree) -> [String: JSONValue] {
        ["execution_id": JSONOutput.id(w.executionId), "task_id": JSONOutput.id(w.taskId), "repo_path": .string(w.repoPath),
         "worktree_path": .string(w.worktreePath), "branch": .string(w.branch), "base_branch": JSONOutput.text(w.baseBranch),
         "base_commit": .string(w.baseCommit), "merged_at": JSONOutput.time(w.mergedAt), "removed_at": JSONOutput.time(w.removedAt)]
    }

    /// Git's refusals as the CLI's one-line errors.
    static func git<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as GitError { throw CLIError(e.description) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The worktrees still on disk, with their task's status.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let live = try store.worktrees.live()
            if json {
                JSONOutput.print(.array(live.map { w, status in .object(WorktreeCommand.json(w).merging(["task_status": .string(status.rawValue)]) { $1 }) }))
                return
            }
            if live.isEmpty { Console.line("no worktrees"); return }
            TextTable.print(header: ["TASK", "STATUS", "BRANCH", "BASE", "MERGED", "PATH"], rows: live.map { w, status in
                [String(w.taskId), status.rawValue, w.branch, w.baseBranch ?? "-", w.mergedAt == nil ? "no" : "yes", w.worktreePath]
            })
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Remove the worktrees of tasks that are done or cancelled.",
            discussion: "A task's branch is deleted too when its base branch has all of it (merged); an unmerged branch is kept.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let pruned = try WorktreeCommand.git { try Worktrees(store: store, git: try Git()).prune() }
            if json {
                JSONOutput.print(.array(pruned.map { p in .object(WorktreeCommand.json(p.worktree).merging(
                    ["removed": .bool(p.removed), "branch_deleted": .bool(p.branchDeleted), "note": JSONOutput.text(p.note)]) { $1 }) }))
                return
            }
            if pruned.isEmpty { Console.line("nothing to prune: no worktree of a done or cancelled task"); return }
            for p in pruned {
                let what = p.removed ? "removed \(p.worktree.worktreePath)" : "could not remove \(p.worktree.worktreePath)"
                let branch = p.branchDeleted ? "; deleted merged branch \(p.worktree.branch)" : ""
                Console.line("task \(p.worktree.taskId): \(what)\(branch)" + (p.note.map { " (\($0))" } ?? ""))
            }
        }
    }
}

extension TaskCommand {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge the branch of a task's worktree run into its base branch.",
            discussion: """
            Runs git merge --no-ff in the repository the worktree was made from, which must be on the base branch \
            with no uncommitted changes. What the run left uncommitted is committed on its branch first. On a \
            conflict the merge is aborted and git's message is the error.
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let taskId = try TaskCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            _ = try store.tasks.get(taskId)
            let m = try WorktreeCommand.git { try Worktrees(store: store, git: try Git()).merge(taskId: taskId) }
            if json {
                JSONOutput.print(.object(["task_id": JSONOutput.id(taskId), "branch": .string(m.branch), "base_branch": .string(m.baseBranch),
                                          "repo_path": .string(m.repoPath), "head": .string(m.head)]))
                return
            }
            Console.line("merged \(m.branch) into \(m.baseBranch) in \(m.repoPath) (now \(m.head.prefix(12)))")
        }
    }
}

extension ExecCommand {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Print the diff of a worktree run against its base (sanitised).",
            discussion: "The worktree as it is now (commits, uncommitted changes, new files), or the branch once it is pruned.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Flag(help: "Print JSON: the files with their hunks.") var json = false

        func run() throws {
            let execId = try TaskCommand.id(id, "execution")
            let store = try global.openStore()
            defer { store.close() }
            guard let w = try store.worktrees.forExecution(execId) else { throw CLIError("execution \(execId) did not run in a worktree") }
            let trees = Worktrees(store: store, git: try WorktreeCommand.git { try Git() })
            if json {
                let files = try WorktreeCommand.git { try trees.diff(w) }
                JSONOutput.print(.array(files.map(Self.json)))
                return
            }
            let text = try WorktreeCommand.git { try trees.diffText(w) }
            if !text.isEmpty { Console.line(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
        }

        static func json(_ f: FileDiff) -> JSONValue {
            .object(["path": .string(f.path), "old_path": JSONOutput.text(f.oldPath), "change": .string(f.change.rawValue),
                     "binary": .bool(f.binary), "added": JSONOutput.int(f.added), "removed": JSONOutput.int(f.removed),
                     "hunks": .array(f.hunks.map { h in
                         .object(["header": .string(h.header), "lines": .array(h.lines.map { l in
                             .string((l.kind == .added ? "+" : l.kind == .removed ? "-" : l.kind == .context ? " " : "") + l.text) })])
                     })])
        }
    }
}
