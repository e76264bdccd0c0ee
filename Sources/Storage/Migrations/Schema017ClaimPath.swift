extension Schema {
    /// A shorter path for each claim (issue 12: claims on PostgreSQL at the server's speed). Measured with
    /// pg_stat_statements (`track = all`) and pgbench running the claim-and-complete at 16 clients on 2 cores,
    /// three costs stood out, and each has its fix here:
    ///
    /// 1. The queue index was `(status, created_at)` while the claim orders by `created_at, id`, so every
    ///    look sorted (an incremental sort that reads at least 32 queued rows before it hands out the first)
    ///    instead of stopping at the first row nobody holds. Now `(status, created_at, id)`: the order is the
    ///    index's. Both dialects (SQLite's claim orders the same way).
    /// 2. `idx_executions_stale (heartbeat_at)` made every claim and every heartbeat write one more index
    ///    entry (a heartbeat could never be a HOT update). Its one reader, `reapStale`, asks for running rows,
    ///    which the queue index finds by status (running rows are few). Dropped, both dialects.
    /// 3. PostgreSQL: the candidate query of `agentmon_claim_step` filtered by the skipped agents and
    ///    capabilities, arrays whose generic plan is estimated at one row (a bitmap scan and a sort), so the
    ///    plan cache replanned the query on every look (about half the function's time alone, more under
    ///    contention). The common look skips nothing and now runs a query with no parameters, planned once
    ///    per session; the arrays only come in on the rare look after a skip. The text is 015's with that one
    ///    change, so the two cannot drift apart.
    /// 4. PostgreSQL: the change-counting statement triggers gain a `WHEN` that skips calling PL/pgSQL when
    ///    the transaction has already counted itself (the function checks the same thing: nothing changes but
    ///    the call). A claim-and-complete fires them three times and counts twice.
    static let claimPath = Migration(
        id: "017", description: "queue index in claim order; no heartbeat index; the claim's common look planned once",
        up: """
        DROP INDEX idx_executions_queue;
        CREATE INDEX idx_executions_queue ON executions (status, created_at, id);
        DROP INDEX idx_executions_stale;
        """,
        down: """
        CREATE INDEX idx_executions_stale ON executions (heartbeat_at);
        DROP INDEX idx_executions_queue;
        CREATE INDEX idx_executions_queue ON executions (status, created_at);
        """,
        extraUp: [.postgres: claimStepCommonLook + "\n" + changeTriggers(whenUncounted: true)],
        extraDown: [.postgres: claimStepWithWaits + "\n" + changeTriggers(whenUncounted: false)])

    /// The candidate query of 015's claim step, as it reads there (indented as in the function's body).
    static let claimCandidateWithSkips = [
        "    SELECT e.id, e.agent_id, e.capability_id INTO c FROM executions e",
        "    WHERE e.status = 'queued' AND (e.requires_approval = false OR e.approved_at IS NOT NULL) AND (e.not_before IS NULL OR e.not_before <= now())",
        "      AND NOT (e.agent_id = ANY(p_skip_agents)) AND NOT (e.capability_id = ANY(p_skip_capabilities))",
        "    ORDER BY e.created_at, e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED;",
    ].joined(separator: "\n")

    /// 015's claim step whose look without skips runs a query with no parameters (see item 3). Empty if
    /// 015's text no longer holds the candidate query as above (a test checks that it does).
    static var claimStepCommonLook: String {
        let text = claimStepWithWaits
        guard text.contains(claimCandidateWithSkips) else { return "" }
        let common = [
            "    IF cardinality(p_skip_agents) = 0 AND cardinality(p_skip_capabilities) = 0 THEN",
            "    SELECT e.id, e.agent_id, e.capability_id INTO c FROM executions e",
            "    WHERE e.status = 'queued' AND (e.requires_approval = false OR e.approved_at IS NOT NULL) AND (e.not_before IS NULL OR e.not_before <= now())",
            "    ORDER BY e.created_at, e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED;",
            "    ELSE",
            claimCandidateWithSkips,
            "    END IF;",
        ].joined(separator: "\n")
        return text.replacingBytes(claimCandidateWithSkips, with: common)
    }

    /// Every table whose changes move the change token (migrations 005 and 008).
    static let changeCountedTables = notifiedTables + ["execution_inputs", "approval_rules"]

    /// The statement triggers of `changeCountedTables`, made again with or without the `WHEN` of item 4.
    static func changeTriggers(whenUncounted: Bool) -> String {
        let when = whenUncounted ? " WHEN (current_setting('agentmon.counted', true) IS DISTINCT FROM 'on')" : ""
        return changeCountedTables.map { t in
            "DROP TRIGGER agentmon_notify_\(t) ON \(t);\n"
                + "CREATE TRIGGER agentmon_notify_\(t) AFTER INSERT OR UPDATE OR DELETE ON \(t) FOR EACH STATEMENT\(when) EXECUTE FUNCTION agentmon_notify_change();"
        }.joined(separator: "\n")
    }
}
