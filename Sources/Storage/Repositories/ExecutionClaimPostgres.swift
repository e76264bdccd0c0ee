import Foundation
import Core

/// PostgreSQL's claim and finish, shaped for throughput (DESIGN.md §6: ≥ 2,500 claim-and-complete per
/// second with 8 workers) with the same contract as the portable versions:
/// - the candidate scan walks the queue index in order and stops at the first queued row nobody else
///   holds; its agent's activity, capability and limit are checked once (not once per queued row), and an
///   agent or capability that cannot run is left out of the next look;
/// - `max_concurrent` stays exact without serialising every claim of an agent: see `claimSlots`;
/// - the count, the update, its audit event and the returned row travel in one statement;
/// - finish is one fenced UPDATE (worker, attempt, active status) with its event, instead of lock, read,
///   write, read, insert.
extension ExecutionRepository {
    /// Claims of one agent hold its gate (a transaction-scoped advisory lock, key (agent, 0)) from before
    /// they count its running executions until they commit. Far from the limit they hold it shared, plus
    /// one of `claimSlots` exclusive slot locks (keys (agent, 1…)), so at most `claimSlots` such claims are
    /// in flight at once and each may go ahead while `running + claimSlots <= max_concurrent`: whichever of
    /// them counted last saw every other claim either committed or holding a slot. Near the limit a claim
    /// holds the gate exclusively (waiting for the shared holders to commit) and needs `running < max`.
    /// Either way the limit is never exceeded, and far from it claims of one agent run in parallel.
    static let claimSlots = 16

    /// The oldest queued (and approved, if it must be) row nobody else is claiming, outside the agents and
    /// capabilities already found unable to run: a walk of the queue index that stops at the first row.
    /// Kept simple on purpose: every statement is planned on each call, and planning is most of the cost.
    static let pgCandidate = """
        SELECT e.id, e.agent_id, e.capability_id FROM executions e
        WHERE e.status = 'queued' AND (e.requires_approval = ? OR e.approved_at IS NOT NULL)
          AND NOT (e.agent_id = ANY(?::bigint[])) AND NOT (e.capability_id = ANY(?::bigint[]))
        ORDER BY e.created_at, e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED
        """

    /// The agent's gate: shared with a free slot when its limit is far above `claimSlots` (`locked` is false
    /// when that way is not open now), else exclusive (waits for the shared holders). No row: no agent.
    static let pgGate = """
        SELECT g.shared, CASE WHEN g.shared THEN pg_try_advisory_xact_lock_shared(g.k, 0) AND EXISTS (
                SELECT 1 FROM generate_series(1, ?::integer) AS s(n) WHERE pg_try_advisory_xact_lock(g.k, 1 + (n + ?::integer) % ?::integer))
            ELSE (SELECT true FROM (SELECT pg_advisory_xact_lock(g.k, 0)) AS x) END AS locked
        FROM (SELECT (a.id % 2147483647)::integer AS k, a.max_concurrent > ?::integer AND NOT (a.id = ANY(?::bigint[])) AS shared
              FROM agents a WHERE a.id = ?) AS g
        """

    /// The count runs in this statement's snapshot, taken after the gate: it sees every claim it must. The
    /// audit event and the returned row travel with the update. `clock_timestamp()`, not `now()` (the
    /// transaction's start): a claim that waited at the gate started when it got through.
    static let pgClaimUpdate = """
        WITH u AS (
            UPDATE executions SET status = 'running', worker_id = ?, started_at = clock_timestamp(), heartbeat_at = clock_timestamp()
            WHERE id = ? AND status = 'queued'
              AND EXISTS (SELECT 1 FROM agents a JOIN agent_capabilities c ON c.id = ? WHERE a.id = ? AND a.is_active AND c.is_enabled
                  AND (SELECT count(*) FROM executions r WHERE r.agent_id = a.id AND r.status IN ('running','cancelling')) + ? <= a.max_concurrent)
            RETURNING *),
        ev AS (
            INSERT INTO task_events (task_id, actor_type, actor_id, event_type, payload)
            SELECT task_id, 'agent', worker_id, 'execution_started', jsonb_build_object('execution_id', id, 'worker_id', worker_id) FROM u)
        SELECT \(Columns.execution) FROM u e
        """

    func claimPostgres(workerId: String) throws -> Execution? {
        enum Step { case claimed(Execution), nothing, skipAgent(ID), skipCapability(ID), exclusive(ID) }
        var skipAgents: [ID] = [], skipCapabilities: [ID] = [], exclusiveAgents: [ID] = []
        let slots = Int64(Self.claimSlots)
        while true {
            let step: Step = try db.transaction(.immediate) {
                guard let cand = try db.queryOne(Self.pgCandidate, .bool(false), .text(Self.pgArray(skipAgents)),
                                                 .text(Self.pgArray(skipCapabilities))) else { return .nothing }
                let id = cand.int("id"), agentId = cand.int("agent_id"), capId = cand.int("capability_id")
                guard let gate = try db.queryOne(Self.pgGate, .int(slots), .int(Int64.random(in: 0..<slots)), .int(slots), .int(slots),
                                                 .text(Self.pgArray(exclusiveAgents)), .int(agentId)) else { return .skipAgent(agentId) }
                let shared = gate.bool("shared")
                if !gate.bool("locked") { return .exclusive(agentId) }  // the shared way is not open now
                if let row = try db.queryOne(Self.pgClaimUpdate, .text(workerId), .int(id), .int(capId), .int(agentId),
                                             .int(shared ? slots : 1)) {
                    return .claimed(row.execution)
                }
                // Not claimed: say why, so the next look leaves out what cannot run.
                guard let why = try db.queryOne("""
                    SELECT a.is_active, c.is_enabled FROM agents a JOIN agent_capabilities c ON c.id = ? WHERE a.id = ?
                    """, .int(capId), .int(agentId)) else { return .skipAgent(agentId) }
                if !why.bool("is_active") { return .skipAgent(agentId) }
                if !why.bool("is_enabled") { return .skipCapability(capId) }
                return shared ? .exclusive(agentId) : .skipAgent(agentId)  // near its limit, or at it
            }
            switch step {
            case .claimed(let e): return e
            case .nothing: return nil
            // Look again without it: bounded by the number of agents and capabilities.
            case .skipAgent(let a): skipAgents.append(a)
            case .skipCapability(let c): skipCapabilities.append(c)
            case .exclusive(let a): exclusiveAgents.append(a)
            }
        }
    }

    static func pgArray(_ ids: [ID]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }

    /// One statement (atomic without a transaction): the fenced update, its event, and when the run failed
    /// with retries left, the new attempt and its event. The new attempt reads `ev`, so the events are
    /// inserted in that order (data-modifying CTEs otherwise run in no set order).
    static let pgFinish = """
        WITH u AS (
            UPDATE executions SET status = CASE WHEN status = 'cancelling' THEN 'cancelled' ELSE ? END,
                ended_at = now(), exit_code = ?, error = ?, pid = NULL
            WHERE id = ? AND worker_id = ? AND attempt = ? AND status IN ('running','cancelling')
            RETURNING *),
        ev AS (
            INSERT INTO task_events (task_id, actor_type, actor_id, event_type, payload)
            SELECT task_id, 'agent', ?, 'execution_finished',
                jsonb_build_object('execution_id', id, 'status', status, 'exit_code', exit_code) FROM u
            RETURNING id AS event_id),
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
        SELECT u.status AS finished_status, \(Columns.execution) FROM u LEFT JOIN r e ON true
        """

    func finishPostgres(_ id: ID, workerId: String, attempt: Int, next: ExecutionStatus, exitCode: Int?, error: String?) throws -> Finish? {
        guard let row = try db.queryOne(Self.pgFinish, .text(next.rawValue), .optional(exitCode), .optional(error.map(Self.oneLine)),
                                        .int(id), .text(workerId), .int(Int64(attempt)), .text(workerId)) else {
            // Not ours (fenced), already ended, or no such execution.
            if try db.queryOne("SELECT 1 AS x FROM executions WHERE id = ?", .int(id)) == nil {
                throw StorageError.notFound("no execution with id \(id)")
            }
            return nil
        }
        let status = ExecutionStatus(rawValue: row.string("finished_status")) ?? next
        return Finish(status: status, retry: row.optInt("id") == nil ? nil : row.execution)
    }
}
