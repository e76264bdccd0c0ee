import Foundation
import Core

/// JSON-RPC 2.0 as MCP uses it (specification 2025-06-18, basic/index: requests carry a string or integer
/// `id` that is never null; notifications carry none; batches are not part of MCP since 2025-06-18).
enum JSONRPC {
    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let invalidParams = -32602
    static let internalError = -32603

    static func result(_ id: JSONValue, _ result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    static func error(_ id: JSONValue, _ code: Int, _ message: String) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": ["code": .number(Double(code)), "message": .string(message)]]
    }

    /// A message as one line: compact JSON has no raw newline (strings escape theirs), as stdio framing needs.
    /// A message that cannot be encoded (it would take a value JSON cannot hold) becomes an internal error.
    static func line(_ message: JSONValue) -> String {
        let text = message.jsonString
        if text == "null" { return error(.null, internalError, "internal error: the answer could not be encoded").jsonString + "\n" }
        return text + "\n"
    }

    /// What an incoming object is, or why it is not a valid message.
    enum Incoming: Equatable {
        case request(id: JSONValue, method: String, params: JSONValue?)
        case notification(method: String, params: JSONValue?)
        /// A response from the client (this server sends no requests, so it is ignored).
        case response
        case invalid(id: JSONValue, reason: String)
    }

    static func classify(_ o: JSONValue) -> Incoming {
        let id = o["id"]
        let idValid: Bool
        switch id {
        case .string?: idValid = true
        case .number(let n)?: idValid = Int64(exactly: n) != nil  // not 1.5, not 1e309 (which no encoder writes back)
        default: idValid = false
        }
        let echo = idValid ? id! : .null
        guard o["jsonrpc"] == "2.0" else { return .invalid(id: echo, reason: "jsonrpc must be \"2.0\"") }
        if o["method"] == nil, o["result"] != nil || o["error"] != nil { return .response }
        guard let method = o["method"]?.stringValue else { return .invalid(id: echo, reason: "method must be a string") }
        let params = o["params"]
        if let params, params.objectValue == nil, params.arrayValue == nil {
            return .invalid(id: echo, reason: "params must be an object")
        }
        guard let id else { return .notification(method: method, params: params) }
        guard idValid else { return .invalid(id: .null, reason: "id must be a string or an integer") }
        return .request(id: id, method: method, params: params)
    }
}
