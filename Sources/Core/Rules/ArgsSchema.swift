import Foundation

/// The parts of a capability's JSON args schema the worker and `agentmon run` use: defaults and `required`.
public enum ArgsSchema {
    /// `properties.NAME.default`, as text.
    public static func defaults(_ schema: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for (name, prop) in schema["properties"]?.objectValue ?? [:] {
            if let d = prop["default"], let text = text(d) { out[name] = text }
        }
        return out
    }

    public static func required(_ schema: JSONValue) -> [String] {
        schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Required names that neither `args` nor a default provides, in schema order.
    public static func missing(_ schema: JSONValue, args: [String: String]) -> [String] {
        let have = defaults(schema).merging(args) { $1 }
        return required(schema).filter { have[$0] == nil }
    }

    /// What a run of `capability` on `task` is queued with (`values` over the schema's defaults, which are
    /// stored with the run so a prompt rendered now sees them too) and the names it still lacks: required by
    /// the schema or, in template mode, a placeholder of the command (the worker renders strictly). The task's
    /// input-context args count as given. Shared by `agentmon run` and the MCP server's `queue_run`.
    public static func forRun(_ capability: Capability, values: [String: String], task: TaskItem) -> (args: [String: String], missing: [String]) {
        let withDefaults = defaults(capability.argsSchema).merging(values) { $1 }
        let known = withDefaults.merging(task.inputContext.args ?? [:]) { a, _ in a }
        var missing = missing(capability.argsSchema, args: known)
        for name in (capability.commandTokens ?? []).flatMap(TemplateRenderer.placeholders) where known[name] == nil && !missing.contains(name) {
            missing.append(name)
        }
        return (withDefaults, missing)
    }

    static func text(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .null: return nil
        default: return v.jsonString
        }
    }
}
