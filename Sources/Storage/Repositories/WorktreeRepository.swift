import Foundation
import Core

/// The worktrees of isolated runs (`execution_worktrees`): recorded by the worker when it makes or reuses one,
/// read by `task merge`, `exec diff`, `worktree prune` and the dashboard's diff view.
public struct WorktreeRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "w.execution_id, w.task_id, w.repo_path, w.worktree_path, w.branch, w.base_branch, w.base_commit, w.created_at, w.merged_at, w.removed_at"

    public func record(_ w: RunWorktree) throws {
        try db.execute("""
            INSERT INTO execution_worktrees (execution_id, task_id, repo_path, worktree_path, branch, base_branch, base_commit)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.int(w.executionId), .int(w.taskId), .text(w.repoPath), .text(w.worktreePath), .text(w.branch),
                  .optional(w.baseBranch), .text(w.baseCommit)])
    }

    public func forExecution(_ id: ID) throws -> RunWorktree? {
        try db.queryOne("SELECT \(Self.columns) FROM execution_worktrees w WHERE w.execution_id = ?", .int(id)).map(Self.map)
    }

    /// The newest run's worktree of a task.
    public func latest(taskId: ID) throws -> RunWorktree? {
        try db.queryOne("SELECT \(Self.columns) FROM execution_worktrees w WHERE w.task_id = ? ORDER BY w.execution_id DESC LIMIT 1",
                        .int(taskId)).map(Self.map)
    }

    /// Every worktree still on disk (the newest run of each), with its task's status, oldest first.
    public func live() throws -> [(worktree: RunWorktree, taskStatus: TaskStatus)] {
        try db.query("""
            SELECT \(Self.columns), t.status AS task_status FROM execution_worktrees w JOIN tasks t ON t.id = w.task_id
            WHERE w.removed_at IS NULL AND w.execution_id = (
                SELECT max(x.execution_id) FROM execution_worktrees x WHERE x.worktree_path = w.worktree_path)
            ORDER BY w.execution_id
            """).map { (Self.map($0), $0.enumValue("task_status", default: TaskStatus.todo)) }
    }

    public func markMerged(taskId: ID, branch: String) throws {
        try db.execute("UPDATE execution_worktrees SET merged_at = \(db.dialect.now) WHERE task_id = ? AND branch = ? AND merged_at IS NULL",
                       .int(taskId), .text(branch))
    }

    public func markRemoved(worktreePath: String) throws {
        try db.execute("UPDATE execution_worktrees SET removed_at = \(db.dialect.now) WHERE worktree_path = ? AND removed_at IS NULL",
                       .text(worktreePath))
    }

    static func map(_ r: Row) -> RunWorktree {
        RunWorktree(executionId: r.int("execution_id"), taskId: r.int("task_id"), repoPath: r.string("repo_path"),
                    worktreePath: r.string("worktree_path"), branch: r.string("branch"), baseBranch: r.optString("base_branch"),
                    baseCommit: r.string("base_commit"), createdAt: r.date("created_at"), mergedAt: r.optDate("merged_at"),
                    removedAt: r.optDate("removed_at"))
    }
}
