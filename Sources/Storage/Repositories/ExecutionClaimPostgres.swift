import Foundation
import Core

/// PostgreSQL's claim and finish, shaped for throughput (issue 12: ≥ 3,000 claim-and-complete per second
/// with 16 workers, and ≥ 0.8 of pgbench running the same statements) with the same contract as the portable
/// versions:
/// - the candidate scan walks the queue index in order and stops at the first queued row nobody else
///   holds; its agent's activity, capability and limit are checked once (not once per queued row), and an
///   agent or capability that cannot run is left out of the next look;
/// - `max_concurrent` stays exact without serialising every claim of an agent: see `claimSlots`;
/// - one look (candidate, gate, count, update, its audit event, the returned row) is one call of
///   `agentmon_claim_step` (migration 009), one round trip and one transaction of its own, instead of
///   BEGIN, three statements and COMMIT;
/// - finish is one fenced UPDATE (worker, attempt, active status) with its event, instead of lock, read,
///   write, read, insert; only a finish that can be retried carries the retry's inserts;
/// - the common look is planned once per session, in index order (migration 017).
/// A claim and its finish are two round trips and two commits, and neither commit NOTIFYs (migration 009).
extension ExecutionRepository {
    /// Claims of one agent hold its gate (a transaction-scoped advisory lock, key (agent, 0)) from before
    /// they count its running executions until they commit. Far from the limit they hold it shared, plus
    /// one of `claimSlots` exclusive slot locks (keys (agent, 1…)), so at most `claimSlots` such claims are
    /// in flight at once and each may go ahead while `running + claimSlots <= max_concurrent`: whichever of
    /// them counted last saw every other claim either committed or holding a slot. Near the limit a claim
    /// holds the gate exclusively (waiting for the shared holders to commit) and needs `running < max`.
    /// Either way the limit is never exceeded, and far from it claims of one agent run in parallel.
    public static let claimSlots = 16

    /// One look: the oldest queued (and approved, if it must be) row nobody else is claiming, outside the
    /// agents and capabilities already found unable to run, claimed if its agent's gate and limit allow.
    /// `outcome` says what happened: `claimed` (the row in the execution columns), `nothing` (no such row),
    /// `skip_agent` / `skip_capability` (`ref` cannot run now: look again without it) or `exclusive` (`ref`
    /// is near its limit, or the shared way was not open: look again through the exclusive gate). The
    /// function is in Schema009Claims.swift; every look is its own transaction, so what it locked is let go
    /// before the next.
    static let pgClaimStep = """
        SELECT c.outcome, c.ref, (c.run).* FROM agentmon_claim_step(?, ?::bigint[], ?::bigint[], ?::bigint[], ?::integer, ?::integer) AS c
        """

    func claimPostgres(workerId: String) throws -> Execution? {
        var skipAgents: [ID] = [], skipCapabilities: [ID] = [], exclusiveAgents: [ID] = []
        let slots = Int64(Self.claimSlots)
        while true {
            guard let row = try db.queryOne(Self.pgClaimStep, .text(workerId), .text(Self.pgArray(skipAgents)),
                                            .text(Self.pgArray(skipCapabilities)), .text(Self.pgArray(exclusiveAgents)),
                                            .int(slots), .int(Int64.random(in: 0..<slots))) else { return nil }
            // Look again without what cannot run: bounded by the number of agents and capabilities.
            switch row.string("outcome") {
            case "claimed": return row.execution
            case "skip_agent": skipAgents.append(row.int("ref"))
            case "skip_capability": skipCapabilities.append(row.int("ref"))
            case "exclusive":
                let agent = row.int("ref")
                // Already exclusive and still not claimed: it is at its limit.
                if exclusiveAgents.contains(agent) { skipAgents.append(agent) } else { exclusiveAgents.append(agent) }
            default: return nil
            }
        }
    }

    /// The SQL PostgreSQL's claim (one look) and finish send, with `?` for each parameter in the order they
    /// are bound: claim (worker, skipped agents, skipped capabilities, exclusive agents, slots, slot offset);
    /// finish (status, exit code, error, id, worker, attempt, worker), as a run that succeeds finishes.
    /// `agentmon-bench claims` hands them to pgbench as its reference.
    public static var postgresClaimAndFinish: (claim: String, finish: String) { (pgClaimStep, pgFinishSucceeded) }

    static func pgArray(_ ids: [ID]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }

    /// The fenced update and its event, the part every finish shares (`RETURNING id AS event_id`: a retry
    /// reads `ev`, so the events are inserted in that order; data-modifying CTEs otherwise run in no set order).
    static let pgFinishUpdate = """
        WITH u AS (
            UPDATE executions SET status = CASE WHEN status = 'cancelling' THEN 'cancelled' ELSE ? END,
                ended_at = now(), exit_code = ?, error = ?, pid = NULL
            WHERE id = ? AND worker_id = ? AND attempt = ? AND status IN ('running','cancelling')
            RETURNING *),
        ev AS (
            INSERT INTO task_events (task_id, actor_type, actor_id, event_type, payload)
            SELECT task_id, 'agent', ?, 'execution_finished',
                jsonb_build_object('execution_id', id, 'status', status, 'exit_code', exit_code) FROM u
            RETURNING id AS event_id)
        """

    /// One statement (atomic without a transaction): the fenced update, its event, and when the run failed
    /// with retries left, the new attempt and its event.
    static let pgFinish = pgFinishUpdate + """
        ,
        r AS (
            INSERT INTO executions (task_id, agent_id, capability_id, requested_by, mode, args, prompt, requires_approval,
                approved_at, approved_by, session_ref, parent_execution_id, retry_of_id, attempt, retry_count, max_retries)
            SELECT task_id, agent_id, capability_id, requested_by, mode, args, prompt, requires_approval, approved_at,
                approved_by, session_ref, parent_execution_id, id, attempt + 1, retry_count + 1, max_retries
            FROM u CROSS JOIN ev WHERE status = 'failed' AND retry_count < max_retries
            RETURNING *),
        rev AS (
            INSERT INTO task_events (task_id, actor_type, actor_id, event_type, payload)
            SELECT task_id, 'system', NULL, 'execution_retried',
                jsonb_build_object('execution_id', id, 'retry_of', retry_of_id, 'attempt', attempt) FROM r)
        SELECT u.status AS finished_status, CASE
                WHEN u.status = 'succeeded' THEN \(autoRunAfterSuccess)
                WHEN u.status IN ('failed','timed_out') AND e.id IS NULL THEN EXISTS (SELECT 1 FROM task_dependencies d
                    WHERE d.depends_on_task_id = u.task_id)
                ELSE false END AS auto_run_follows,
            \(Columns.execution) FROM u LEFT JOIN r e ON true
        """

    /// A finish that succeeds (or, if cancelling, ends cancelled) is never retried: the same statement without
    /// the retry's two inserts, which every finish would otherwise set up (two more tables, their indexes and
    /// triggers). The common finish, and the one the claims bench hands pgbench.
    static let pgFinishSucceeded = pgFinishUpdate + """

        SELECT u.status AS finished_status,
            CASE WHEN u.status = 'succeeded' THEN \(autoRunAfterSuccess) ELSE false END AS auto_run_follows,
            NULL::bigint AS id FROM u
        """

    /// Whether a succeeded run's task has an auto-run of that capability that moves on (AutoRun.runEnded).
    static let autoRunAfterSuccess = """
        EXISTS (SELECT 1 FROM tasks t WHERE t.id = u.task_id
                    AND t.auto_run_execution_id IS NOT NULL AND t.auto_run_capability_id = u.capability_id)
        """

    func finishPostgres(_ id: ID, workerId: String, attempt: Int, next: ExecutionStatus, exitCode: Int?, error: String?) throws -> Finish? {
        guard let row = try db.queryOne(next == .succeeded ? Self.pgFinishSucceeded : Self.pgFinish, .text(next.rawValue), .optional(exitCode), .optional(error.map(Self.oneLine)),
                                        .int(id), .text(workerId), .int(Int64(attempt)), .text(workerId)) else {
            // Not ours (fenced), already ended, or no such execution.
            if try db.queryOne("SELECT 1 AS x FROM executions WHERE id = ?", .int(id)) == nil {
                throw StorageError.notFound("no execution with id \(id)")
            }
            return nil
        }
        let status = ExecutionStatus(rawValue: row.string("finished_status")) ?? next
        let retry = row.optInt("id") == nil ? nil : row.execution
        if row.bool("auto_run_follows") {
            // Rare (a task with auto-run, or a failure with dependents), so the common finish stays one statement.
            try db.transaction(.immediate) { try AutoRun(db).runEnded(try get(id), status: status, finalFailure: retry == nil) }
        }
        return Finish(status: status, retry: retry)
    }
}
