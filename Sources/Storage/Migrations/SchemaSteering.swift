extension Schema {
    /// Talking back to running agents (issue 11). `execution_inputs` is the one queue of what a person (or a
    /// rule) sends to a run: a message, an interrupt, or the decision on a permission request; the worker
    /// that runs it delivers each row once, in id order, and stamps `delivered_at`. Any machine that sees the
    /// database can write a row, which is how a dashboard on one host answers an agent on another.
    /// PostgreSQL wakes the worker with NOTIFY `agentmon_inputs` (payload: the execution id); SQLite workers
    /// poll `PRAGMA data_version`. `approval_rules` decide permission requests before they reach a person:
    /// ordered by position, first match wins. `tool_calls.request_details` keeps what the agent sent with a
    /// permission request besides tool and input (tool_use_id, suggestions, the protocol's request id).
    static let steering = Migration(
        id: "008", description: "inputs to running agents, approval rules, permission request details",
        up: """
        CREATE TABLE execution_inputs (
            id {PK},
            execution_id {ID} NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('message','interrupt','decision')),
            body TEXT NOT NULL DEFAULT '',
            tool_call_id {ID} REFERENCES tool_calls(id) ON DELETE CASCADE,
            sent_by TEXT NOT NULL,
            created_at {TS} NOT NULL DEFAULT {NOW},
            delivered_at {TS},
            error TEXT
        );
        CREATE INDEX idx_execution_inputs_pending ON execution_inputs (execution_id, id) WHERE delivered_at IS NULL AND error IS NULL;

        CREATE TABLE approval_rules (
            id {PK},
            position {BIGINT} NOT NULL,
            agent_id {ID} REFERENCES agents(id) ON DELETE CASCADE,
            tool_name TEXT,
            match_regex TEXT,
            decision TEXT NOT NULL CHECK (decision IN ('allow','deny','ask')),
            created_by TEXT NOT NULL DEFAULT 'user',
            created_at {TS} NOT NULL DEFAULT {NOW}
        );
        CREATE INDEX idx_approval_rules_position ON approval_rules (position, id);

        ALTER TABLE tool_calls ADD COLUMN request_details {JSON};
        """,
        down: """
        ALTER TABLE tool_calls DROP COLUMN request_details;
        DROP TABLE approval_rules;
        DROP TABLE execution_inputs;
        """,
        extraUp: [.postgres: """
        CREATE FUNCTION agentmon_notify_input() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('agentmon_inputs', NEW.execution_id::text);
            RETURN NULL;
        END $$;
        CREATE TRIGGER agentmon_notify_input AFTER INSERT ON execution_inputs FOR EACH ROW EXECUTE FUNCTION agentmon_notify_input();
        CREATE TRIGGER agentmon_notify_execution_inputs AFTER INSERT OR UPDATE OR DELETE ON execution_inputs FOR EACH STATEMENT EXECUTE FUNCTION agentmon_notify_change();
        CREATE TRIGGER agentmon_notify_approval_rules AFTER INSERT OR UPDATE OR DELETE ON approval_rules FOR EACH STATEMENT EXECUTE FUNCTION agentmon_notify_change();
        """],
        extraDown: [.postgres: """
        DROP TRIGGER agentmon_notify_approval_rules ON approval_rules;
        DROP TRIGGER agentmon_notify_execution_inputs ON execution_inputs;
        DROP TRIGGER agentmon_notify_input ON execution_inputs;
        DROP FUNCTION agentmon_notify_input();
        """])
}
