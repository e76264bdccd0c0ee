import Foundation

/// Where a run in its own git worktree worked, and from what (table `execution_worktrees`).
public struct RunWorktree: Sendable, Equatable {
    public var executionId: ID
    public var taskId: ID
    /// The top folder of the repository the worktree was made from (where `task merge` merges).
    public var repoPath: String
    public var worktreePath: String
    public var branch: String
    /// The branch checked out in the repository when the worktree was made; nil when HEAD was detached.
    public var baseBranch: String?
    public var baseCommit: String
    public var createdAt: Date
    public var mergedAt: Date?
    public var removedAt: Date?

    public init(executionId: ID, taskId: ID, repoPath: String, worktreePath: String, branch: String, baseBranch: String?,
                baseCommit: String, createdAt: Date = Date(), mergedAt: Date? = nil, removedAt: Date? = nil) {
        self.executionId = executionId; self.taskId = taskId; self.repoPath = repoPath; self.worktreePath = worktreePath
        self.branch = branch; self.baseBranch = baseBranch; self.baseCommit = baseCommit; self.createdAt = createdAt
        self.mergedAt = mergedAt; self.removedAt = removedAt
    }
}
