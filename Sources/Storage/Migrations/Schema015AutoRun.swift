extension Schema {
    /// Runs that start when their dependencies are done, and rate-limit waits (issue 14 items 2 and 3).
    ///
    /// - `tasks.auto_run_capability_id`: the capability queued, once, in the transaction that moves the task's
    ///   last unmet dependency to Done; `auto_run_execution_id` is that run (set when queued: never twice). No
    ///   foreign keys, so SQLite can drop the columns on the way down: removing a capability clears the
    ///   first, and a missing run is a run that is gone.
    /// - `executions.not_before`: a run requeued after a provider's rate limit is not claimed before it.
    /// - `agents.limited_until`: no run of the agent is claimed before it (set on every agent of the provider).
    /// - PostgreSQL's claim function (migration 009) learns both; its text is 009's with two conditions added,
    ///   so the two cannot drift apart.
    static let autoRun = Migration(
        id: "015", description: "auto-run when dependencies are done; rate-limit waits",
        up: """
        ALTER TABLE tasks ADD COLUMN auto_run_capability_id {ID};
        ALTER TABLE tasks ADD COLUMN auto_run_execution_id {ID};
        ALTER TABLE executions ADD COLUMN not_before {TS};
        ALTER TABLE agents ADD COLUMN limited_until {TS};
        CREATE INDEX idx_tasks_auto_run ON tasks (auto_run_capability_id) WHERE auto_run_capability_id IS NOT NULL;
        """,
        down: """
        DROP INDEX idx_tasks_auto_run;
        ALTER TABLE agents DROP COLUMN limited_until;
        ALTER TABLE executions DROP COLUMN not_before;
        ALTER TABLE tasks DROP COLUMN auto_run_execution_id;
        ALTER TABLE tasks DROP COLUMN auto_run_capability_id;
        """,
        extraUp: [.postgres: claimStepWithWaits],
        extraDown: [.postgres: claimStep009])

    /// Migration 009's `agentmon_claim_step`, as 009 created it (CREATE OR REPLACE, to go back to it).
    static var claimStep009: String {
        let all = claims.up(.postgres)
        guard let start = all.range(of: "CREATE FUNCTION agentmon_claim_step") else { return "" }
        return "CREATE OR REPLACE FUNCTION agentmon_claim_step" + all[start.upperBound...]
    }

    /// 009's claim step, skipping runs that wait (`not_before`) and agents over a rate limit (`limited_until`).
    static var claimStepWithWaits: String {
        claimStep009
            .replacingBytes("AND (e.requires_approval = false OR e.approved_at IS NOT NULL)",
                            with: "AND (e.requires_approval = false OR e.approved_at IS NOT NULL) AND (e.not_before IS NULL OR e.not_before <= now())")
            .replacingBytes("INTO k, shared FROM agents a WHERE a.id = c.agent_id;",
                            with: "INTO k, shared FROM agents a WHERE a.id = c.agent_id AND (a.limited_until IS NULL OR a.limited_until <= now());")
    }
}
