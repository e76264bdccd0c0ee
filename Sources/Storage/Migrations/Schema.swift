/// The whole schema as ordered migrations (DESIGN.md §2). Never edit an applied migration: add a new one.
/// Index names follow the Agent Monitor design where it names them.
public enum Schema {
    public static let migrations: [Migration] = [agentsAndTasks, executions, sessions, settings, changeNotifications, messageErrors, logFileState, steering,
                                                   claims, columnCounts, search, syncFiles, messageUsage, autoRun, worktrees, claimPath, searchOnce,
                                                   searchBacklog]

    static let agentsAndTasks = Migration(
        id: "001", description: "agents, capabilities, tasks, dependencies and the task audit trail",
        up: """
        CREATE TABLE agents (
            id {PK},
            slug TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'custom' CHECK (kind IN ('builtin','custom')),
            tool_type TEXT NOT NULL DEFAULT 'cli-tool' CHECK (tool_type IN ('ai-agent','cli-tool','daemon','shell-util')),
            binary_path TEXT NOT NULL CHECK (length(binary_path) > 0),
            base_args {JSON} NOT NULL DEFAULT '[]',
            working_dir TEXT,
            env_allowlist {JSON} NOT NULL DEFAULT '[]',
            is_active {BOOL} NOT NULL DEFAULT {TRUE},
            max_concurrent INTEGER NOT NULL DEFAULT 1 CHECK (max_concurrent >= 1),
            discovery_method TEXT NOT NULL DEFAULT 'manual' CHECK (discovery_method IN ('preset','path_scan','manual')),
            version TEXT,
            package_name TEXT,
            package_section TEXT,
            mcp_enabled {BOOL} NOT NULL DEFAULT {FALSE},
            model TEXT,
            instructions TEXT,
            permission_mode TEXT,
            max_steps INTEGER,
            session_config {JSON},
            metadata {JSON} NOT NULL DEFAULT '{}',
            last_scanned_at {TS},
            created_at {TS} NOT NULL DEFAULT {NOW},
            updated_at {TS} NOT NULL DEFAULT {NOW},
            CONSTRAINT uq_agents_slug UNIQUE (slug),
            CONSTRAINT agents_slug_format CHECK (length(slug) > 0)
        );
        CREATE INDEX idx_agents_active ON agents (is_active);

        CREATE TABLE agent_capabilities (
            id {PK},
            agent_id {ID} NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            key TEXT NOT NULL CHECK (length(key) > 0),
            label TEXT NOT NULL,
            description TEXT,
            source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','builtin','preset','scan_help',
                'scan_completion','scan_fig','scan_mcp','scan_man','llm_generated')),
            interaction_mode TEXT NOT NULL DEFAULT 'template' CHECK (interaction_mode IN ('template','prompt')),
            command_tokens {JSON},
            prompt_template TEXT,
            args_schema {JSON} NOT NULL DEFAULT '{}',
            requires_approval {BOOL} NOT NULL DEFAULT {FALSE},
            is_enabled {BOOL} NOT NULL DEFAULT {TRUE},
            danger_level SMALLINT NOT NULL DEFAULT 0 CHECK (danger_level BETWEEN 0 AND 3),
            timeout_sec INTEGER NOT NULL DEFAULT 300 CHECK (timeout_sec > 0),
            max_output_bytes {BIGINT} NOT NULL DEFAULT 10485760 CHECK (max_output_bytes > 0),
            created_at {TS} NOT NULL DEFAULT {NOW},
            CONSTRAINT uq_agent_capability_key UNIQUE (agent_id, key),
            CONSTRAINT capability_mode_consistency CHECK (
                (interaction_mode = 'template' AND command_tokens IS NOT NULL) OR (interaction_mode = 'prompt'))
        );
        CREATE INDEX idx_capabilities_agent ON agent_capabilities (agent_id, is_enabled);

        CREATE TABLE tasks (
            id {PK},
            parent_task_id {ID} REFERENCES tasks(id) ON DELETE SET NULL,
            title TEXT NOT NULL CHECK (length(title) > 0),
            description TEXT,
            status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo','in_progress','blocked','done','cancelled')),
            priority SMALLINT NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
            sort_order {BIGINT} NOT NULL,
            assignee_agent_id {ID} REFERENCES agents(id) ON DELETE SET NULL,
            input_context {JSON} NOT NULL DEFAULT '{}',
            due_at {TS},
            created_at {TS} NOT NULL DEFAULT {NOW},
            updated_at {TS} NOT NULL DEFAULT {NOW},
            CONSTRAINT tasks_not_own_parent CHECK (parent_task_id IS NULL OR parent_task_id <> id),
            -- One card per slot: a lost update in a concurrent reorder cannot leave two cards on one position.
            CONSTRAINT uq_tasks_column_slot UNIQUE (status, sort_order)
        );
        CREATE INDEX idx_tasks_parent ON tasks (parent_task_id);
        CREATE INDEX idx_tasks_assignee ON tasks (assignee_agent_id);

        CREATE TABLE task_dependencies (
            task_id {ID} NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            depends_on_task_id {ID} NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            created_at {TS} NOT NULL DEFAULT {NOW},
            PRIMARY KEY (task_id, depends_on_task_id),
            CONSTRAINT no_self_dependency CHECK (task_id <> depends_on_task_id)
        );
        CREATE INDEX idx_task_dependencies_reverse ON task_dependencies (depends_on_task_id);

        CREATE TABLE task_events (
            id {PK},
            task_id {ID} NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            actor_type TEXT NOT NULL CHECK (actor_type IN ('user','agent','system')),
            actor_id TEXT,
            event_type TEXT NOT NULL,
            payload {JSON} NOT NULL DEFAULT '{}',
            created_at {TS} NOT NULL DEFAULT {NOW}
        );
        CREATE INDEX idx_task_events_task ON task_events (task_id, created_at);
        """,
        down: """
        DROP TABLE task_events;
        DROP TABLE task_dependencies;
        DROP TABLE tasks;
        DROP TABLE agent_capabilities;
        DROP TABLE agents;
        """)

    static let executions = Migration(
        id: "002", description: "executions, their log chunks, and worker heartbeats",
        up: """
        CREATE TABLE executions (
            id {PK},
            task_id {ID} NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            agent_id {ID} NOT NULL REFERENCES agents(id),
            capability_id {ID} NOT NULL REFERENCES agent_capabilities(id),
            requested_by TEXT NOT NULL DEFAULT 'user',
            status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','cancelling','succeeded',
                'failed','cancelled','timed_out')),
            mode TEXT NOT NULL DEFAULT 'template' CHECK (mode IN ('template','prompt')),
            args {JSON} NOT NULL DEFAULT '{}',
            prompt TEXT,
            requires_approval {BOOL} NOT NULL DEFAULT {FALSE},
            approved_at {TS},
            approved_by TEXT,
            pid INTEGER,
            session_ref TEXT,
            tmux_session_name TEXT,
            parent_execution_id {ID} REFERENCES executions(id) ON DELETE SET NULL,
            retry_of_id {ID} REFERENCES executions(id) ON DELETE SET NULL,
            attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
            started_at {TS},
            ended_at {TS},
            exit_code INTEGER,
            error TEXT,
            worker_id TEXT,
            heartbeat_at {TS},
            log_file_path TEXT,
            log_byte_size {BIGINT} NOT NULL DEFAULT 0,
            log_line_count {BIGINT} NOT NULL DEFAULT 0,
            log_updated_at {TS},
            retry_count INTEGER NOT NULL DEFAULT 0,
            max_retries INTEGER NOT NULL DEFAULT 0 CHECK (max_retries >= 0),
            input_tokens {BIGINT} NOT NULL DEFAULT 0,
            output_tokens {BIGINT} NOT NULL DEFAULT 0,
            cache_read_tokens {BIGINT} NOT NULL DEFAULT 0,
            cache_write_tokens {BIGINT} NOT NULL DEFAULT 0,
            cost_usd {REAL} NOT NULL DEFAULT 0,
            created_at {TS} NOT NULL DEFAULT {NOW}
        );
        CREATE INDEX idx_executions_queue ON executions (status, created_at);
        CREATE INDEX idx_executions_task ON executions (task_id, created_at);
        CREATE INDEX idx_executions_stale ON executions (heartbeat_at);
        CREATE INDEX idx_executions_agent_active ON executions (agent_id, status);

        CREATE TABLE execution_log_chunks (
            execution_id {ID} NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
            seq {BIGINT} NOT NULL,
            byte_offset {BIGINT} NOT NULL,
            data {BLOB} NOT NULL,
            created_at {TS} NOT NULL DEFAULT {NOW},
            PRIMARY KEY (execution_id, seq)
        );

        CREATE TABLE workers (
            worker_id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL DEFAULT 0,
            started_at {TS} NOT NULL DEFAULT {NOW},
            last_seen_at {TS} NOT NULL DEFAULT {NOW},
            current_executions INTEGER NOT NULL DEFAULT 0,
            metadata {JSON} NOT NULL DEFAULT '{}'
        );
        """,
        down: """
        DROP TABLE workers;
        DROP TABLE execution_log_chunks;
        DROP TABLE executions;
        """)

    static let sessions = Migration(
        id: "003", description: "agent sessions, transcript messages and tool calls",
        up: """
        CREATE TABLE sessions (
            id {PK},
            title TEXT,
            main_agent_id {ID} NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            sub_agent_ids {JSON} NOT NULL DEFAULT '[]',
            parent_session_id {ID} REFERENCES sessions(id) ON DELETE CASCADE,
            parent_tool_call_id {ID},
            user_goal TEXT,
            status TEXT NOT NULL DEFAULT 'idle' CHECK (status IN ('idle','running','completed','failed','stopped')),
            external_session_id TEXT,
            execution_id {ID} REFERENCES executions(id) ON DELETE SET NULL,
            task_id {ID} REFERENCES tasks(id) ON DELETE SET NULL,
            model TEXT,
            instructions TEXT,
            permission_mode TEXT,
            max_steps INTEGER,
            configuration {JSON},
            metadata {JSON} NOT NULL DEFAULT '{}',
            message_count INTEGER NOT NULL DEFAULT 0,
            input_tokens {BIGINT} NOT NULL DEFAULT 0,
            output_tokens {BIGINT} NOT NULL DEFAULT 0,
            cache_read_tokens {BIGINT} NOT NULL DEFAULT 0,
            cache_write_tokens {BIGINT} NOT NULL DEFAULT 0,
            cost_usd {REAL} NOT NULL DEFAULT 0,
            created_at {TS} NOT NULL DEFAULT {NOW},
            updated_at {TS} NOT NULL DEFAULT {NOW}
        );
        CREATE UNIQUE INDEX uq_sessions_external ON sessions (main_agent_id, external_session_id)
            WHERE external_session_id IS NOT NULL;
        CREATE INDEX idx_sessions_status_created ON sessions (status, created_at);
        CREATE INDEX idx_sessions_task ON sessions (task_id);
        CREATE INDEX idx_sessions_execution ON sessions (execution_id);

        CREATE TABLE messages (
            id {PK},
            session_id {ID} NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            parent_id {ID} REFERENCES messages(id) ON DELETE SET NULL,
            seq {BIGINT} NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('user','assistant','system','tool')),
            kind TEXT NOT NULL DEFAULT 'message' CHECK (kind IN ('message','thought','action','observation')),
            content TEXT NOT NULL,
            metadata {JSON} NOT NULL DEFAULT '{}',
            external_id TEXT,
            model TEXT,
            input_tokens {BIGINT} NOT NULL DEFAULT 0,
            output_tokens {BIGINT} NOT NULL DEFAULT 0,
            cache_read_tokens {BIGINT} NOT NULL DEFAULT 0,
            cache_write_tokens {BIGINT} NOT NULL DEFAULT 0,
            created_at {TS} NOT NULL DEFAULT {NOW},
            CONSTRAINT uq_messages_session_seq UNIQUE (session_id, seq)
        );
        CREATE UNIQUE INDEX uq_messages_external ON messages (session_id, external_id) WHERE external_id IS NOT NULL;
        CREATE INDEX idx_messages_parent ON messages (parent_id);

        CREATE TABLE tool_calls (
            id {PK},
            session_id {ID} NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            message_id {ID} REFERENCES messages(id) ON DELETE SET NULL,
            result_message_id {ID} REFERENCES messages(id) ON DELETE SET NULL,
            external_id TEXT,
            tool_name TEXT NOT NULL,
            input TEXT NOT NULL DEFAULT '{}',
            output TEXT,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','success','error','denied')),
            duration_ms {BIGINT},
            requires_confirmation {BOOL} NOT NULL DEFAULT {FALSE},
            confirmation_message TEXT,
            decided_by TEXT,
            decided_at {TS},
            decision_reason TEXT,
            created_at {TS} NOT NULL DEFAULT {NOW},
            completed_at {TS}
        );
        CREATE INDEX idx_tool_calls_session ON tool_calls (session_id, created_at);
        CREATE INDEX idx_tool_calls_message ON tool_calls (message_id);
        CREATE INDEX idx_tool_calls_name ON tool_calls (tool_name);
        CREATE UNIQUE INDEX uq_tool_calls_external ON tool_calls (session_id, external_id) WHERE external_id IS NOT NULL;
        -- A session waits on at most one person's decision at a time.
        CREATE UNIQUE INDEX uq_tool_calls_pending_confirmation ON tool_calls (session_id)
            WHERE status = 'pending' AND requires_confirmation = {TRUE};
        """,
        down: """
        DROP TABLE tool_calls;
        DROP TABLE messages;
        DROP TABLE sessions;
        """)

    static let settings = Migration(
        id: "004", description: "settings and the editable model price table",
        up: """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value {JSON} NOT NULL,
            updated_at {TS} NOT NULL DEFAULT {NOW}
        );
        CREATE TABLE model_prices (
            model TEXT PRIMARY KEY,
            input_per_mtok {REAL} NOT NULL,
            output_per_mtok {REAL} NOT NULL,
            cache_write_per_mtok {REAL} NOT NULL,
            cache_read_per_mtok {REAL} NOT NULL,
            updated_at {TS} NOT NULL DEFAULT {NOW}
        );
        INSERT INTO model_prices (model, input_per_mtok, output_per_mtok, cache_write_per_mtok, cache_read_per_mtok) VALUES
            ('claude-opus-4', 15, 75, 18.75, 1.5),
            ('claude-sonnet-4', 3, 15, 3.75, 0.3),
            ('claude-3-7-sonnet', 3, 15, 3.75, 0.3),
            ('claude-3-5-haiku', 0.8, 4, 1, 0.08),
            ('claude-haiku-4', 1, 5, 1.25, 0.1),
            ('gpt-5', 1.25, 10, 0, 0.125),
            ('gpt-4.1', 2, 8, 0, 0.5),
            ('o3', 2, 8, 0, 0.5),
            ('gemini-2.5-pro', 1.25, 10, 0, 0.31);
        """,
        down: """
        DROP TABLE model_prices;
        DROP TABLE settings;
        """)

    /// PostgreSQL: statement-level triggers NOTIFY `agentmon_changes`, so an idle dashboard wakes only when
    /// something changed. SQLite needs nothing: `PRAGMA data_version` serves.
    static let notifiedTables = ["agents", "agent_capabilities", "tasks", "task_dependencies", "executions",
                                 "execution_log_chunks", "sessions", "messages", "tool_calls", "workers"]
    static let changeNotifications = Migration(
        id: "005", description: "change notifications for live dashboards",
        up: "", down: "",
        extraUp: [.postgres: """
        CREATE FUNCTION agentmon_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('agentmon_changes', TG_TABLE_NAME);
            RETURN NULL;
        END $$;
        """ + notifiedTables.map {
            "\nCREATE TRIGGER agentmon_notify_\($0) AFTER INSERT OR UPDATE OR DELETE ON \($0) FOR EACH STATEMENT EXECUTE FUNCTION agentmon_notify_change();"
        }.joined()],
        extraDown: [.postgres: notifiedTables.map { "DROP TRIGGER agentmon_notify_\($0) ON \($0);\n" }.joined()
            + "DROP FUNCTION agentmon_notify_change();"])

    /// Errors in a transcript (a failed tool result, a failed turn) are a column, so `e`/`E` in the transcript
    /// find the next one with an index instead of reading JSON. Backfilled from `metadata.is_error` and from
    /// the results of failed tool calls.
    static let messageErrors = Migration(
        id: "006", description: "transcript errors as a column",
        up: """
        ALTER TABLE messages ADD COLUMN is_error {BOOL} NOT NULL DEFAULT {FALSE};
        UPDATE messages SET is_error = {TRUE} WHERE id IN (SELECT result_message_id FROM tool_calls WHERE status = 'error' AND result_message_id IS NOT NULL);
        CREATE INDEX idx_messages_errors ON messages (session_id, seq) WHERE is_error = {TRUE};
        """,
        down: """
        DROP INDEX idx_messages_errors;
        ALTER TABLE messages DROP COLUMN is_error;
        """,
        extraUp: [.sqlite: "UPDATE messages SET is_error = 1 WHERE json_extract(metadata, '$.is_error') IN (1, 'true');",
                  .postgres: "UPDATE messages SET is_error = TRUE WHERE metadata->>'is_error' = 'true';"])

    /// A run whose log file could not be written in full (a full disk, an I/O error) says so, so that the log
    /// tail and `exec logs` read the database chunks, which hold every byte, instead of the cut file.
    static let logFileState = Migration(
        id: "007", description: "executions whose log file is incomplete",
        up: "ALTER TABLE executions ADD COLUMN log_file_incomplete {BOOL} NOT NULL DEFAULT {FALSE};",
        down: "ALTER TABLE executions DROP COLUMN log_file_incomplete;")
}
