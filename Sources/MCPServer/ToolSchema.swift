import Foundation
import Core

/// A tool's input: a flat JSON Schema object whose properties are integers, strings, booleans or a map of
/// strings. The same description gives the `inputSchema` that tools/list publishes and the check that
/// arguments get before a tool runs, so the two cannot disagree.
public struct ToolDefinition: Sendable {
    public enum Kind: Sendable {
        case integer(min: Int64)
        case string(maxBytes: Int, choices: [String]?)
        case boolean
        /// An object whose values are strings (a run's placeholder values).
        case stringMap
    }
    public struct Property: Sendable {
        let name: String
        let kind: Kind
        let description: String
        let required: Bool
    }

    public let name: String
    public let title: String
    public let description: String
    public let properties: [Property]
    /// The tool changes the database (needs an actor), or only reads it.
    public let writes: Bool

    var inputSchema: JSONValue {
        var props: [String: JSONValue] = [:]
        for p in properties {
            var s: [String: JSONValue] = ["description": .string(p.description)]
            switch p.kind {
            case .integer(let min): s["type"] = "integer"; s["minimum"] = .number(Double(min))
            case .string(_, let choices?): s["type"] = "string"; s["enum"] = .strings(choices)
            case .string(let max, nil): s["type"] = "string"; s["minLength"] = 1; s["maxLength"] = .number(Double(max))
            case .boolean: s["type"] = "boolean"
            case .stringMap: s["type"] = "object"; s["additionalProperties"] = ["type": "string"]
            }
            props[p.name] = .object(s)
        }
        return ["type": "object", "properties": .object(props),
                "required": .strings(properties.filter(\.required).map(\.name)), "additionalProperties": false]
    }

    var listing: JSONValue {
        ["name": .string(name), "title": .string(title), "description": .string(description), "inputSchema": inputSchema,
         "annotations": ["readOnlyHint": .bool(!writes)]]
    }

    /// The arguments, checked against the schema; the error names the first thing wrong, for the model to fix.
    func check(_ args: JSONValue) throws -> ToolArguments {
        guard let o = args.objectValue else { throw ToolError("arguments must be a JSON object") }
        for key in o.keys.sorted() where !properties.contains(where: { $0.name == key }) {
            throw ToolError("unknown argument '\(key)' (\(name) takes: \(properties.map(\.name).joined(separator: ", ")))")
        }
        for p in properties {
            guard let v = o[p.name], v != .null else {
                if p.required { throw ToolError("missing required argument '\(p.name)'") }
                continue
            }
            switch p.kind {
            case .integer(let min):
                guard case .number(let n) = v, n.rounded() == n, let i = Int64(exactly: n) else {
                    throw ToolError("'\(p.name)' must be an integer")
                }
                if i < min { throw ToolError("'\(p.name)' must be at least \(min), not \(i)") }
            case .string(let max, let choices):
                guard let s = v.stringValue else { throw ToolError("'\(p.name)' must be a string") }
                if let choices, !choices.contains(s) {
                    throw ToolError("'\(p.name)' must be one of \(choices.joined(separator: ", "))")
                }
                if s.isEmpty { throw ToolError("'\(p.name)' must not be empty") }
                if s.utf8.count > max { throw ToolError("'\(p.name)' is longer than \(max) bytes") }
            case .boolean:
                guard v.boolValue != nil else { throw ToolError("'\(p.name)' must be true or false") }
            case .stringMap:
                guard let m = v.objectValue, m.values.allSatisfy({ $0.stringValue != nil }) else {
                    throw ToolError("'\(p.name)' must be an object of strings")
                }
            }
        }
        return ToolArguments(values: o)
    }
}

/// Arguments that passed `check`: the getters only read what the schema allowed.
struct ToolArguments {
    let values: [String: JSONValue]
    func int(_ k: String) -> Int64? { values[k]?.intValue }
    func string(_ k: String) -> String? { values[k]?.stringValue }
    func bool(_ k: String) -> Bool? { values[k]?.boolValue }
    func strings(_ k: String) -> [String: String] { values[k]?.objectValue?.compactMapValues(\.stringValue) ?? [:] }
    /// A required argument (checked present by the schema).
    func id(_ k: String) throws -> ID {
        guard let v = int(k) else { throw ToolError("missing required argument '\(k)'") }
        return v
    }
}

/// A failure the model sees as the tool's result (`isError: true`), one line.
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
