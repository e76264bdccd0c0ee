import Foundation

/// Entities as JSON objects: snake_case keys named after the columns, times as UTC ISO-8601. The CLI's
/// `--json` output and the MCP server's tool results are both these shapes; scripts and agents depend on the
/// names, so add keys freely and never rename one.
public enum EntityJSON {
    public static func time(_ d: Date?) -> JSONValue { d.map { .string(SQLTime.format($0)) } ?? .null }
    public static func id(_ i: ID?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
    public static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    public static func int(_ i: Int?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
    public static func int(_ i: Int64) -> JSONValue { .number(Double(i)) }

    public static func task(_ t: TaskItem) -> [String: JSONValue] {
        [
            "id": id(t.id), "title": .string(t.title), "status": .string(t.status.rawValue),
            "priority": int(t.priority), "sort_order": int(t.sortOrder), "assignee": text(t.assigneeSlug),
            "assignee_agent_id": id(t.assigneeId), "parent_id": id(t.parentId), "due_at": time(t.dueAt),
            "created_at": time(t.createdAt), "updated_at": time(t.updatedAt),
            "auto_run_capability_id": id(t.autoRunCapabilityId), "auto_run_execution_id": id(t.autoRunExecutionId),
            "isolation": t.isolation.map { .string($0.rawValue) } ?? .null,
        ]
    }

    public static func taskDetail(_ t: TaskItem, dependsOn: [ID], events: [TaskEvent]) -> JSONValue {
        var o = task(t)
        o["description"] = text(t.description)
        o["input_context"] = (try? JSONValue(from: t.inputContext)) ?? .object([:])
        o["depends_on"] = .array(dependsOn.map { id($0) })
        o["events"] = .array(events.map { e in
            .object(["id": id(e.id), "event_type": .string(e.eventType), "actor_type": .string(e.actorType.rawValue),
                     "actor_id": text(e.actorId), "payload": e.payload, "created_at": time(e.createdAt)])
        })
        return .object(o)
    }

    public static func agent(_ a: Agent, capabilities: [Capability]? = nil, running: Int? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": id(a.id), "slug": .string(a.slug), "name": .string(a.name), "kind": .string(a.kind.rawValue),
            "tool_type": .string(a.toolType.rawValue), "binary_path": .string(a.binaryPath), "base_args": .strings(a.baseArgs),
            "working_dir": text(a.workingDir), "env_allowlist": .strings(a.envAllowlist), "is_active": .bool(a.isActive),
            "max_concurrent": int(a.maxConcurrent), "discovery_method": .string(a.discoveryMethod.rawValue),
            "version": text(a.version), "model": text(a.model), "created_at": time(a.createdAt), "updated_at": time(a.updatedAt),
            "permission_mode": text(a.permissionMode), "instructions": text(a.instructions), "max_steps": int(a.maxSteps),
            "session_config": a.sessionConfig ?? .null, "metadata": a.metadata,
            "mcp_enabled": .bool(a.mcpEnabled), "limited_until": time(a.limitedUntil),
        ]
        if let capabilities { o["capabilities"] = .array(capabilities.map(capability)) }
        if let running { o["running"] = int(running) }
        return .object(o)
    }

    public static func capability(_ c: Capability) -> JSONValue {
        .object([
            "id": id(c.id), "agent_id": id(c.agentId), "key": .string(c.key), "label": .string(c.label),
            "description": text(c.description), "interaction_mode": .string(c.mode.rawValue),
            "command_tokens": c.commandTokens.map(JSONValue.strings) ?? .null, "prompt_template": text(c.promptTemplate),
            "args_schema": c.argsSchema, "requires_approval": .bool(c.requiresApproval), "is_enabled": .bool(c.isEnabled),
            "danger_level": int(c.dangerLevel), "timeout_sec": int(c.timeoutSec), "max_output_bytes": int(c.maxOutputBytes),
            "isolation": .string(c.isolation.rawValue),
        ])
    }

    public static func execution(_ e: Execution) -> JSONValue {
        .object([
            "id": id(e.id), "task_id": id(e.taskId), "agent_id": id(e.agentId),
            "capability_id": id(e.capabilityId), "status": .string(e.status.rawValue), "mode": .string(e.mode.rawValue),
            "worker_id": text(e.workerId), "attempt": int(e.attempt), "retry_count": int(e.retryCount),
            "max_retries": int(e.maxRetries), "retry_of_id": id(e.retryOf),
            "parent_execution_id": id(e.parentExecutionId), "exit_code": int(e.exitCode),
            "error": text(e.error), "log_file_path": text(e.logFilePath),
            "log_byte_size": int(e.logByteSize), "log_line_count": int(e.logLineCount),
            "log_file_incomplete": .bool(e.logFileIncomplete), "not_before": time(e.notBefore),
            "pid": int(e.pid), "started_at": time(e.startedAt), "ended_at": time(e.endedAt),
            "heartbeat_at": time(e.heartbeatAt), "created_at": time(e.createdAt), "args": .dict(e.args),
            "prompt": text(e.prompt), "requires_approval": .bool(e.requiresApproval),
            "approved_at": time(e.approvedAt), "approved_by": text(e.approvedBy),
            "session_ref": text(e.sessionRef), "tmux_session_name": text(e.tmuxSessionName),
            "input_tokens": int(e.inputTokens),
            "output_tokens": int(e.outputTokens), "cost_usd": .number(e.costUsd),
        ])
    }

}

extension JSONValue {
    /// Any Encodable value as a JSON document (through its Codable form).
    init<T: Encodable>(from value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        guard let v = JSONParser.parse(try enc.encode(value)) else { throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not JSON")) }
        self = v
    }
}
