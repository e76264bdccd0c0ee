import Foundation
import Core
import Storage
import Git

/// The data thread's side of the diff view: the run's worktree read with git (never on the UI thread), and
/// `M`'s merge. A git refusal comes back in git's own words, on one line for the status bar.
extension DataService {
    static func loadDiff(taskId: ID?, executionId: ID?, _ store: Store) throws -> Msg {
        func answer(_ load: DiffLoad?, _ error: String?) -> Msg { .diffLoaded(taskId: taskId, executionId: executionId, load, error: error) }
        var found: RunWorktree?
        if let executionId { found = try store.worktrees.forExecution(executionId) } else if let taskId { found = try store.worktrees.latest(taskId: taskId) }
        guard let w = found else {
            return answer(nil, executionId.map { "run #\($0) did not run in a worktree" }
                          ?? "task #\(taskId ?? 0) has no run in a worktree (isolation = worktree on its capability or the task)")
        }
        do {
            let files = try Worktrees(store: store, git: try Git()).diff(w)
            let task = try store.tasks.get(w.taskId), run = try store.executions.get(w.executionId)
            return answer(DiffLoad(executionId: w.executionId, taskId: w.taskId, taskTitle: task.title, status: run.status,
                                   branch: w.branch, baseBranch: w.baseBranch, files: files), nil)
        } catch let e as GitError {
            return answer(nil, e.description)
        }
    }

    static func merge(taskId: ID, _ store: Store) throws -> String {
        do {
            let m = try Worktrees(store: store, git: try Git()).merge(taskId: taskId)
            return "merged \(m.branch) into \(m.baseBranch)"
        } catch let e as GitError {
            throw GitError("merge refused: " + e.description.split(whereSeparator: \.isNewline).joined(separator: " · "))
        }
    }
}
