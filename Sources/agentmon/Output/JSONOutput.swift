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

    // The entities' shapes live in Core (EntityJSON), shared with the MCP server's tool results.
    static func time(_ d: Date?) -> JSONValue { EntityJSON.time(d) }
    static func id(_ i: ID?) -> JSONValue { EntityJSON.id(i) }
    static func text(_ s: String?) -> JSONValue { EntityJSON.text(s) }
    static func int(_ i: Int?) -> JSONValue { EntityJSON.int(i) }
    static func int(_ i: Int64) -> JSONValue { EntityJSON.int(i) }
    static func task(_ t: TaskItem) -> [String: JSONValue] { EntityJSON.task(t) }
    static func taskDetail(_ t: TaskItem, dependsOn: [ID], events: [TaskEvent]) -> JSONValue {
        EntityJSON.taskDetail(t, dependsOn: dependsOn, events: events)
    }
    static func agent(_ a: Agent, capabilities: [Capability]? = nil, running: Int? = nil) -> JSONValue {
        EntityJSON.agent(a, capabilities: capabilities, running: running)
    }
    static func capability(_ c: Capability) -> JSONValue { EntityJSON.capability(c) }

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
