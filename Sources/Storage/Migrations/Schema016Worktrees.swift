extension Schema {
    /// Isolated git worktrees (issue 14 item 4). A capability says whether its runs work in their own worktree;
    /// a task may override it (NULL: the capability decides). Each run in a worktree records where it
    /// worked and from what: the repository, the worktree, the task's branch, the branch and commit it was
    /// made from, so `task merge` and the diff view need no guessing, and `worktree prune` knows what to remove.
    /// A table of its own rather than columns on `executions`: most runs have none of it.
    static let worktrees = Migration(
        id: "016", description: "isolation on capabilities and tasks; the worktree of each isolated run",
        up: """
        ALTER TABLE agent_capabilities ADD COLUMN isolation TEXT NOT NULL DEFAULT 'none' CHECK (isolation IN ('none','worktree'));
        ALTER TABLE tasks ADD COLUMN isolation TEXT CHECK (isolation IN ('none','worktree'));
        CREATE TABLE execution_worktrees (
            execution_id {ID} PRIMARY KEY REFERENCES executions(id) ON DELETE CASCADE,
            task_id {ID} NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            repo_path TEXT NOT NULL,
            worktree_path TEXT NOT NULL,
            branch TEXT NOT NULL,
            base_branch TEXT,
            base_commit TEXT NOT NULL,
            created_at {TS} NOT NULL DEFAULT {NOW},
            merged_at {TS},
            removed_at {TS}
        );
        CREATE INDEX idx_execution_worktrees_task ON execution_worktrees(task_id);
        """,
        down: """
        DROP TABLE execution_worktrees;
        ALTER TABLE tasks DROP COLUMN isolation;
        ALTER TABLE agent_capabilities DROP COLUMN isolation;
        """)
}
