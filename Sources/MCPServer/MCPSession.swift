import Foundation
import Core

/// The protocol side of `agentmon mcp`: one incoming message in, at most one message out. The transport
/// (StdioTransport) frames lines; the tools (AgentmonTools) touch the database.
///
/// Follows the MCP specification 2025-06-18 (basic/lifecycle: initialize with version negotiation, then
/// notifications/initialized; basic/utilities/ping; server/tools: tools/list, tools/call) and, for arguments
/// that do not fit a tool's schema, SEP-1303 of the 2025-11-25 revision: they are tool execution errors
/// (`isError: true`), which the model can read and correct, not JSON-RPC errors.
public final class MCPSession {
    /// Newest first; a client asking for another gets the newest (lifecycle: version negotiation).
    public static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    public static let serverName = "agentmon"

    private let tools: ToolBox
    private let version: String

    public init(tools: ToolBox, version: String) {
        self.tools = tools; self.version = version
    }

    /// The reply to one line that was a JSON object, or nil (a notification, a client's response).
    public func handle(_ message: JSONValue) -> JSONValue? {
        switch JSONRPC.classify(message) {
        case .response: return nil
        case .invalid(let id, let reason): return JSONRPC.error(id, JSONRPC.invalidRequest, "invalid request: " + reason)
        case .notification:
            // initialized, cancelled, progress, roots changed…: nothing to do for tools that answer at once, and
            // tools are served before `initialized` too (the lifecycle leaves that to the server).
            return nil
        case .request(let id, let method, let params):
            return request(id, method, params)
        }
    }

    /// The reply to a line that was not a JSON object (the id cannot be known: null).
    public static func rejected(_ why: JSONObjectStream.Rejection, maxLineBytes: Int) -> JSONValue {
        switch why {
        case .notJSON: return JSONRPC.error(.null, JSONRPC.parseError, "parse error: the line is not JSON")
        case .notObject: return JSONRPC.error(.null, JSONRPC.invalidRequest, "invalid request: a message is a JSON object (batches are not supported)")
        case .oversized: return JSONRPC.error(.null, JSONRPC.parseError, "parse error: the line is longer than \(maxLineBytes) bytes")
        }
    }

    private func request(_ id: JSONValue, _ method: String, _ params: JSONValue?) -> JSONValue {
        switch method {
        case "initialize":
            let asked = params?["protocolVersion"]?.stringValue
            let v = asked.flatMap { Self.protocolVersions.contains($0) ? $0 : nil } ?? Self.protocolVersions[0]
            return JSONRPC.result(id, [
                "protocolVersion": .string(v),
                "capabilities": ["tools": ["listChanged": false]],
                "serverInfo": ["name": .string(Self.serverName), "title": "agentmon", "version": .string(version)],
                "instructions": "Tools for agentmon's task board: read tasks and agents, change a task's status, add subtasks, comments and dependencies, queue runs. Changes are recorded as made by the agent of the run.",
            ])
        case "ping":
            return JSONRPC.result(id, [:])
        case "tools/list":
            return JSONRPC.result(id, ["tools": .array(tools.definitions.map(\.listing))])
        case "tools/call":
            guard let name = params?["name"]?.stringValue else {
                return JSONRPC.error(id, JSONRPC.invalidParams, "tools/call needs params.name, a string")
            }
            guard tools.definitions.contains(where: { $0.name == name }) else {
                return JSONRPC.error(id, JSONRPC.invalidParams, "unknown tool: \(name)")
            }
            let args = params?["arguments"] ?? .object([:])
            return JSONRPC.result(id, tools.call(name, args).json)
        default:
            return JSONRPC.error(id, JSONRPC.methodNotFound, "method not found: \(method)")
        }
    }
}

/// What a tool returns (server/tools, CallToolResult): text content for every client, the same value as
/// `structuredContent` for those that read it, and `isError` for a failure the model should see.
public struct ToolResult: Equatable {
    public var value: JSONValue
    public var isError: Bool

    public static func ok(_ value: JSONValue) -> ToolResult { ToolResult(value: value, isError: false) }
    public static func failure(_ message: String) -> ToolResult { ToolResult(value: ["error": .string(message)], isError: true) }

    var json: JSONValue {
        let text = isError ? (value["error"]?.stringValue ?? value.jsonString) : value.jsonString
        var o: [String: JSONValue] = ["content": [["type": "text", "text": .string(text)]], "isError": .bool(isError)]
        if !isError { o["structuredContent"] = value }
        return .object(o)
    }
}
