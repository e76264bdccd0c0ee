import Foundation
import Core
import Storage

/// `--json` output: snake_case keys named after the columns, times as UTC ISO-8601. Scripts depend on
/// these names; add keys freely, never rename one.
enum JSONOutput {
    static func print(_ value: JSONValue) { Console.verbatim(render(value)) }

    /// The text `print` writes: pretty, sorted, and inert on a terminal (see JSONEscaping).
    static func render(_ value: JSONValue) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? enc.encode(value)) ?? Data("null".utf8)
        return JSONEscaping.escapeTerminalHazards(String(decoding: data, as: UTF8.self))
    }

    static func time(_ d: Date?) -> JSONValue { d.map { .string(SQLTime.format($0)) } ?? .null }
    static func id(_ i: ID?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
    static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func int(_ i: Int?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
    static func int(_ i: Int64) -> JSONValue { .number(Double(i)) }

    static func task(_ t: TaskItem) -> [String: JSONValue] {
        [
            "id": id(t.id), "title": .string(t.title), "status": .string(t.status.rawValue),
            "priority": int(t.priority), "sort_order": int(t.sortOrder), "assignee": text(t.assigneeSlug),
            "assignee_agent_id": id(t.assigneeId), "parent_id": id(t.parentId), "due_at": time(t.dueAt),
            "isolation": t.isolation.map { .string($0.rawValue) } ?? .null,
            "created_at": time(t.createdAt), "updated_at": time(t.updatedAt),
        ]
    }

    static func taskDetail(_ t: TaskItem, dependsOn: [ID], events: [TaskEvent]) -> JSONValue {
        var o = task(t)
        o["description"] = text(t.description)
        o["input_context"] = JSONValue.parse(encode(t.inputContext)) ?? .object([:])
        o["depends_on"] = .array(dependsOn.map { id($0) })
        o["events"] = .array(events.map { e in
            .object(["id": id(e.id), "event_type": .string(e.eventType), "actor_type": .string(e.actorType.rawValue),
                     "actor_id": text(e.actorId), "payload": e.payload, "created_at": time(e.createdAt)])
        })
        return .object(o)
    }

    static func agent(_ a: Agent, capabilities: [Capability]? = nil, running: Int? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": id(a.id), "slug": .string(a.slug), "name": .string(a.name), "kind": .string(a.kind.rawValue),
            "tool_type": .string(a.toolType.rawValue), "binary_path": .string(a.binaryPath), "base_args": .strings(a.baseArgs),
            "working_dir": text(a.workingDir), "env_allowlist": .strings(a.envAllowlist), "is_active": .bool(a.isActive),
            "max_concurrent": int(a.maxConcurrent), "discovery_method": .string(a.discoveryMethod.rawValue),
            "version": text(a.version), "model": text(a.model), "created_at": time(a.createdAt), "updated_at": time(a.updatedAt),
            "permission_mode": text(a.permissionMode), "instructions": text(a.instructions), "max_steps": int(a.maxSteps),
            "session_config": a.sessionConfig ?? .null, "metadata": a.metadata,
        ]
        if let capabilities { o["capabilities"] = .array(capabilities.map(capability)) }
        if let running { o["running"] = int(running) }
        return .object(o)
    }

    static func capability(_ c: Capability) -> JSONValue {
        .object([
            "id": id(c.id), "agent_id": id(c.agentId), "key": .string(c.key), "label": .string(c.label),
            "description": text(c.description), "interaction_mode": .string(c.mode.rawValue),
            "command_tokens": c.commandTokens.map(JSONValue.strings) ?? .null, "prompt_template": text(c.promptTemplate),
            "args_schema": c.argsSchema, "requires_approval": .bool(c.requiresApproval), "is_enabled": .bool(c.isEnabled),
            "danger_level": int(c.dangerLevel), "timeout_sec": int(c.timeoutSec), "max_output_bytes": int(c.maxOutputBytes),
            "isolation": .string(c.isolation.rawValue),
        ])
    }

    static func encode<T: Encodable>(_ v: T) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return (try? String(decoding: enc.encode(v), as: UTF8.self)) ?? "null"
    }
}

/// Human output: aligned columns, every cell sanitised (titles are untrusted text).
enum TextTable {
    static func print(header: [String], rows: [[String]]) {
        let clean = rows.map { $0.map(Printable.cell) }
        var widths = header.map(\.count)
        for r in clean { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        Console.line(line(header))
        for r in clean { Console.line(line(r)) }
    }
}
