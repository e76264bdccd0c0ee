extension Schema {
    /// Claims on PostgreSQL at the speed of the server (issue 12). Two changes, both PostgreSQL only:
    ///
    /// 1. Change detection without NOTIFY. Every NOTIFY takes one cluster-wide lock from just before its
    ///    transaction commits until it has committed, so writers that notify commit one at a time (and, with
    ///    `fsync` on, one WAL flush each: no group commit). A claim and a finish are two such commits. The
    ///    statement triggers of migrations 005 and 008 keep their names and tables, but `agentmon_notify_change()`
    ///    now adds 1, at most once per transaction, to one of 64 counter rows (`agentmon_change_counts`),
    ///    picking one no other transaction holds, so writers neither queue on one row nor deadlock over it. A
    ///    reader's `changeToken` reads the sum, which moves when such a transaction commits and only then (a
    ///    reload after it sees the change; nothing committed later goes unseen). Readers already looked every
    ///    poll interval; they now ask the server instead of reading their socket. `agentmon_inputs` (the
    ///    worker's wakeup, migration 008) still NOTIFYs: it is rare and needs the payload.
    ///
    /// 2. `agentmon_claim_step`: one look of the claim (ExecutionClaimPostgres.swift) in one call, instead of
    ///    BEGIN, candidate, gate, update, COMMIT. It must be a function, not one statement: the count of the
    ///    agent's running executions has to be read in a snapshot taken after the gate is held, and a VOLATILE
    ///    PL/pgSQL function takes a fresh snapshot for each statement it runs (READ COMMITTED).
    static let claims = Migration(
        id: "009", description: "change counters instead of NOTIFY; the claim as one call",
        up: "", down: "",
        extraUp: [.postgres: """
        CREATE TABLE agentmon_change_counts (shard INTEGER PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0) WITH (fillfactor = 10);
        INSERT INTO agentmon_change_counts (shard) SELECT generate_series(0, 63);
        CREATE OR REPLACE FUNCTION agentmon_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            k integer;
        BEGIN
            IF current_setting('agentmon.counted', true) IS DISTINCT FROM 'on' THEN
                k := pg_backend_pid() % 64;
                UPDATE agentmon_change_counts SET n = n + 1 WHERE shard = coalesce(
                    (SELECT shard FROM agentmon_change_counts WHERE shard >= k ORDER BY shard LIMIT 1 FOR UPDATE SKIP LOCKED),
                    (SELECT shard FROM agentmon_change_counts WHERE shard < k ORDER BY shard LIMIT 1 FOR UPDATE SKIP LOCKED), k);
                PERFORM set_config('agentmon.counted', 'on', true);
            END IF;
            RETURN NULL;
        END $$;

        CREATE FUNCTION agentmon_claim_step(p_worker text, p_skip_agents bigint[], p_skip_capabilities bigint[],
                p_exclusive_agents bigint[], p_slots integer, p_offset integer)
            RETURNS TABLE (outcome text, ref bigint, run executions) LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            c record;
            why record;
            k integer;
            shared boolean;
            r executions;
        BEGIN
            SELECT e.id, e.agent_id, e.capability_id INTO c FROM executions e
            WHERE e.status = 'queued' AND (e.requires_approval = false OR e.approved_at IS NOT NULL)
              AND NOT (e.agent_id = ANY(p_skip_agents)) AND NOT (e.capability_id = ANY(p_skip_capabilities))
            ORDER BY e.created_at, e.id LIMIT 1 FOR UPDATE OF e SKIP LOCKED;
            IF NOT FOUND THEN
                RETURN QUERY SELECT 'nothing'::text, NULL::bigint, NULL::executions; RETURN;
            END IF;
            SELECT (a.id % 2147483647)::integer, a.max_concurrent > p_slots AND NOT (a.id = ANY(p_exclusive_agents))
                INTO k, shared FROM agents a WHERE a.id = c.agent_id;
            IF NOT FOUND THEN
                RETURN QUERY SELECT 'skip_agent'::text, c.agent_id, NULL::executions; RETURN;
            END IF;
            IF shared THEN
                IF NOT (pg_try_advisory_xact_lock_shared(k, 0) AND EXISTS (SELECT 1 FROM generate_series(1, p_slots) AS s(n)
                        WHERE pg_try_advisory_xact_lock(k, 1 + (n + p_offset) % p_slots))) THEN
                    RETURN QUERY SELECT 'exclusive'::text, c.agent_id, NULL::executions; RETURN;
                END IF;
            ELSE
                PERFORM pg_advisory_xact_lock(k, 0);
            END IF;
            UPDATE executions SET status = 'running', worker_id = p_worker, started_at = clock_timestamp(), heartbeat_at = clock_timestamp()
            WHERE id = c.id AND status = 'queued'
              AND EXISTS (SELECT 1 FROM agents a JOIN agent_capabilities ac ON ac.id = c.capability_id
                  WHERE a.id = c.agent_id AND a.is_active AND ac.is_enabled
                  AND (SELECT count(*) FROM executions x WHERE x.agent_id = a.id AND x.status IN ('running','cancelling'))
                      + CASE WHEN shared THEN p_slots ELSE 1 END <= a.max_concurrent)
            RETURNING * INTO r;
            IF FOUND THEN
                INSERT INTO task_events (task_id, actor_type, actor_id, event_type, payload)
                VALUES (r.task_id, 'agent', p_worker, 'execution_started', jsonb_build_object('execution_id', r.id, 'worker_id', p_worker));
                RETURN QUERY SELECT 'claimed'::text, r.id, r; RETURN;
            END IF;
            SELECT a.is_active, ac.is_enabled INTO why FROM agents a JOIN agent_capabilities ac ON ac.id = c.capability_id WHERE a.id = c.agent_id;
            IF NOT FOUND OR NOT why.is_active THEN
                RETURN QUERY SELECT 'skip_agent'::text, c.agent_id, NULL::executions;
            ELSIF NOT why.is_enabled THEN
                RETURN QUERY SELECT 'skip_capability'::text, c.capability_id, NULL::executions;
            ELSIF shared THEN
                RETURN QUERY SELECT 'exclusive'::text, c.agent_id, NULL::executions;  -- near its limit
            ELSE
                RETURN QUERY SELECT 'skip_agent'::text, c.agent_id, NULL::executions;  -- at it
            END IF;
        END $$;
        """],
        extraDown: [.postgres: """
        DROP FUNCTION agentmon_claim_step(text, bigint[], bigint[], bigint[], integer, integer);
        CREATE OR REPLACE FUNCTION agentmon_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('agentmon_changes', TG_TABLE_NAME);
            RETURN NULL;
        END $$;
        DROP TABLE agentmon_change_counts;
        """])
}
