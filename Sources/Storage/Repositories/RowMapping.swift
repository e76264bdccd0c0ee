import Foundation
import Core

// Row → entity conversions, one place for every repository. Column lists live next to them so
// selects and mappings cannot drift apart.

enum Columns {
    static let agent = "a.id, a.slug, a.name, a.kind, a.tool_type, a.binary_path, a.base_args, a.working_dir, a.env_allowlist, a.is_active, a.max_concurrent, a.discovery_method, a.version, a.model, a.instructions, a.permission_mode, a.max_steps, a.session_config, a.metadata, a.mcp_enabled, a.created_at, a.updated_at, a.limited_until"
    static let capability = "c.id, c.agent_id, c.key, c.label, c.description, c.source, c.interaction_mode, c.command_tokens, c.prompt_template, c.args_schema, c.requires_approval, c.is_enabled, c.danger_level, c.timeout_sec, c.max_output_bytes, c.isolation, c.created_at"
    static let task = "t.id, t.title, t.description, t.status, t.priority, t.sort_order, t.parent_task_id, t.assignee_agent_id, ag.slug AS assignee_slug, t.input_context, t.due_at, t.isolation, t.created_at, t.updated_at, t.auto_run_capability_id, t.auto_run_execution_id"
    static let taskFrom = "tasks t LEFT JOIN agents ag ON ag.id = t.assignee_agent_id"
    static let execution = "e.id, e.task_id, e.agent_id, e.capability_id, e.status, e.mode, e.args, e.prompt, e.requires_approval, e.approved_at, e.approved_by, e.pid, e.worker_id, e.heartbeat_at, e.attempt, e.retry_count, e.max_retries, e.retry_of_id, e.parent_execution_id, e.session_ref, e.started_at, e.ended_at, e.exit_code, e.error, e.log_file_path, e.log_byte_size, e.log_line_count, e.log_updated_at, e.log_file_incomplete, e.input_tokens, e.output_tokens, e.cache_read_tokens, e.cache_write_tokens, e.cost_usd, e.created_at, e.tmux_session_name, e.not_before"
    static let session = "s.id, s.title, s.main_agent_id, s.sub_agent_ids, s.user_goal, s.status, s.external_session_id, s.execution_id, s.task_id, s.model, s.instructions, s.permission_mode, s.max_steps, s.metadata, s.input_tokens, s.output_tokens, s.cache_read_tokens, s.cache_write_tokens, s.cost_usd, s.created_at, s.updated_at"
    static let message = "m.id, m.session_id, m.parent_id, m.seq, m.role, m.kind, m.content, m.metadata, m.external_id, m.input_tokens, m.output_tokens, m.cache_read_tokens, m.cache_write_tokens, m.cache_write_1h_tokens, m.model, m.cost_usd, m.is_error, m.created_at"
    static let toolCall = "tc.id, tc.session_id, tc.message_id, tc.external_id, tc.tool_name, tc.input, tc.output, tc.status, tc.duration_ms, tc.decided_by, tc.decided_at, tc.decision_reason, tc.requires_confirmation, tc.confirmation_message, tc.created_at"
}

extension Row {
    func enumValue<E: RawRepresentable>(_ name: String, default d: E) -> E where E.RawValue == String {
        E(rawValue: string(name)) ?? d
    }

    var agent: Agent {
        Agent(id: int("id"), slug: string("slug"), name: string("name"), kind: enumValue("kind", default: .custom),
              toolType: enumValue("tool_type", default: .cliTool), binaryPath: string("binary_path"),
              baseArgs: strings("base_args"), workingDir: optString("working_dir"),
              envAllowlist: strings("env_allowlist"), isActive: bool("is_active"),
              maxConcurrent: intValue("max_concurrent"), discoveryMethod: enumValue("discovery_method", default: .manual),
              version: optString("version"), model: optString("model"), instructions: optString("instructions"),
              permissionMode: optString("permission_mode"), maxSteps: optIntValue("max_steps"),
              sessionConfig: optJSON("session_config"), metadata: json("metadata"), mcpEnabled: bool("mcp_enabled"),
              createdAt: date("created_at"), updatedAt: date("updated_at"), limitedUntil: optDate("limited_until"))
    }

    var capability: Capability {
        Capability(id: int("id"), agentId: int("agent_id"), key: string("key"), label: string("label"),
                   description: optString("description"), source: enumValue("source", default: .manual),
                   mode: enumValue("interaction_mode", default: .template),
                   commandTokens: optJSON("command_tokens")?.arrayValue?.compactMap(\.stringValue),
                   promptTemplate: optString("prompt_template"), argsSchema: json("args_schema"),
                   requiresApproval: bool("requires_approval"), isEnabled: bool("is_enabled"),
                   dangerLevel: intValue("danger_level"), timeoutSec: intValue("timeout_sec"),
                   maxOutputBytes: int("max_output_bytes"), isolation: enumValue("isolation", default: .none),
                   createdAt: date("created_at"))
    }

    var task: TaskItem {
        TaskItem(id: int("id"), title: string("title"), description: optString("description"),
                 status: enumValue("status", default: .todo), priority: intValue("priority"),
                 sortOrder: int("sort_order"), parentId: optInt("parent_task_id"),
                 assigneeId: optInt("assignee_agent_id"), assigneeSlug: optString("assignee_slug"),
                 inputContext: taskInputContext,
                 dueAt: optDate("due_at"), isolation: optString("isolation").flatMap(Isolation.init(rawValue:)),
                 createdAt: date("created_at"), updatedAt: date("updated_at"),
                 autoRunCapabilityId: optInt("auto_run_capability_id"), autoRunExecutionId: optInt("auto_run_execution_id"))
    }

    /// A task's input context; most are `{}` (the column's default), read without a JSONDecoder, which was
    /// most of the time it took to read a board's windows of cards.
    var taskInputContext: TaskInputContext {
        guard let text = optString("input_context"), text != "{}", !text.isEmpty else { return .init() }
        return decoded(TaskInputContext.self, "input_context") ?? .init()
    }

    var execution: Execution {
        Execution(id: int("id"), taskId: int("task_id"), agentId: int("agent_id"), capabilityId: int("capability_id"),
                  status: enumValue("status", default: .queued), mode: enumValue("mode", default: .template),
                  args: stringDict("args"), prompt: optString("prompt"), requiresApproval: bool("requires_approval"),
                  approvedAt: optDate("approved_at"), approvedBy: optString("approved_by"), pid: optIntValue("pid"),
                  workerId: optString("worker_id"), heartbeatAt: optDate("heartbeat_at"), attempt: intValue("attempt"),
                  retryCount: intValue("retry_count"), maxRetries: intValue("max_retries"), retryOf: optInt("retry_of_id"),
                  parentExecutionId: optInt("parent_execution_id"), sessionRef: optString("session_ref"),
                  startedAt: optDate("started_at"), endedAt: optDate("ended_at"), exitCode: optIntValue("exit_code"),
                  error: optString("error"), logFilePath: optString("log_file_path"), logByteSize: int("log_byte_size"),
                  logLineCount: int("log_line_count"), logUpdatedAt: optDate("log_updated_at"), logFileIncomplete: bool("log_file_incomplete"),
                  inputTokens: int("input_tokens"), outputTokens: int("output_tokens"),
                  cacheReadTokens: int("cache_read_tokens"), cacheWriteTokens: int("cache_write_tokens"),
                  costUsd: double("cost_usd"), createdAt: date("created_at"), tmuxSessionName: optString("tmux_session_name"),
                  notBefore: optDate("not_before"))
    }

    var session: Session {
        Session(id: int("id"), title: optString("title"), agentId: int("main_agent_id"),
                subAgentIds: json("sub_agent_ids").arrayValue?.compactMap(\.intValue) ?? [],
                userGoal: optString("user_goal"), status: enumValue("status", default: .idle),
                externalSessionId: optString("external_session_id"), executionId: optInt("execution_id"),
                taskId: optInt("task_id"),
                overrides: SessionOverrides(model: optString("model"), instructions: optString("instructions"),
                                            permissionMode: optString("permission_mode"), maxSteps: optIntValue("max_steps")),
                metadata: json("metadata"), inputTokens: int("input_tokens"), outputTokens: int("output_tokens"),
                cacheReadTokens: int("cache_read_tokens"), cacheWriteTokens: int("cache_write_tokens"),
                costUsd: double("cost_usd"), createdAt: date("created_at"), updatedAt: date("updated_at"))
    }

    var message: Message {
        Message(id: int("id"), sessionId: int("session_id"), parentId: optInt("parent_id"), seq: int("seq"),
                role: enumValue("role", default: .assistant), kind: enumValue("kind", default: .message),
                content: string("content"), metadata: json("metadata"), externalId: optString("external_id"),
                inputTokens: int("input_tokens"), outputTokens: int("output_tokens"), cacheReadTokens: int("cache_read_tokens"),
                cacheWriteTokens: int("cache_write_tokens"), cacheWrite1hTokens: int("cache_write_1h_tokens"), model: optString("model"),
                costUsd: optDouble("cost_usd"), isError: bool("is_error"),
                createdAt: date("created_at"))
    }

    var toolCall: ToolCall {
        ToolCall(id: int("id"), sessionId: int("session_id"), messageId: optInt("message_id"),
                 externalId: optString("external_id"), toolName: string("tool_name"), input: string("input"),
                 output: optString("output"), status: enumValue("status", default: .pending),
                 durationMs: optInt("duration_ms"), decidedBy: optString("decided_by"), decidedAt: optDate("decided_at"),
                 decisionReason: optString("decision_reason"), requiresConfirmation: bool("requires_confirmation"),
                 confirmationMessage: optString("confirmation_message"), createdAt: date("created_at"))
    }
}

extension Encodable {
    /// JSON text with sorted keys, for JSON columns.
    var jsonText: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: enc.encode(self), as: UTF8.self)) ?? "null"
    }
}

extension Message {
    /// cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, model, cost_usd, in that order.
    var usageValues: [SQLValue] {
        [.int(cacheReadTokens), .int(cacheWriteTokens), .int(cacheWrite1hTokens), .optional(model), .optional(costUsd)]
    }
}
