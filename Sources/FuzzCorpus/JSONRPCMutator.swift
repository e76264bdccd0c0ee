/// Hostile lines for an MCP server (`agentmon mcp`): valid JSON-RPC requests for each of its methods and
/// tools, damaged as a broken or malicious client would send them — wrong types where the schema wants
/// others, numbers no integer holds, ids of every type, deep nesting, cut lines, bytes that are not UTF-8,
/// terminal escapes in every string. Each line is one message (no raw newline inside).
public struct JSONRPCMutator {
    public enum Mutation: String, CaseIterable, Sendable {
        case valid, wrongType, badNumber, badId, hostileString, deepNesting, truncated, byteFlip, notUTF8, badEnvelope, longString
    }

    public init() {}

    /// Requests the server understands, as JSON text (numbers ≤ 3 name tasks that exist in the fuzz's board).
    public static let seeds: [String] = [
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}"#,
        #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        #"{"jsonrpc":"2.0","id":2,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#,
        #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_tasks","arguments":{"status":"todo","limit":5}}}"#,
        #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_task","arguments":{"task_id":1}}}"#,
        #"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"update_task_status","arguments":{"task_id":2,"status":"done","position":0}}}"#,
        #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add_subtask","arguments":{"parent_task_id":1,"title":"sub","priority":2}}}"#,
        #"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"add_comment","arguments":{"task_id":1,"text":"note"}}}"#,
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"add_dependency","arguments":{"task_id":3,"depends_on_task_id":1}}}"#,
        #"{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"list_agents","arguments":{"active_only":true}}}"#,
        #"{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"queue_run","arguments":{"task_id":1,"agent":"bot","capability":"say","args":{"word":"hi"},"max_retries":1}}}"#,
    ]

    static let wrongValues = [#""1""#, "1", "1.5", "-1", "0", "true", "null", "[]", "{}", #"[1,2]"#, #"{"a":"b"}"#, #""""#]
    static let badNumbers = ["1e309", "-1e309", "9223372036854775808", "-9223372036854775809", "1e18", "0.0000001", "-0", "123456789012345678901234567890"]
    static let ids = ["null", #""x""#, "1.5", "true", "[]", "{}", "-1", "1e400", #""""#]

    /// One hostile line and what was done to it.
    public func generate(_ rng: inout SeededRandom) -> (line: [UInt8], mutation: Mutation) {
        let seed = rng.pick(Self.seeds)
        let m = rng.pick(Mutation.allCases)
        var text = seed
        switch m {
        case .valid: break
        case .wrongType: text = replaceValue(seed, with: rng.pick(Self.wrongValues), &rng)
        case .badNumber: text = replaceValue(seed, with: rng.pick(Self.badNumbers), &rng)
        case .badId: text = seed.replacingFirst(#""id":"#, with: #""id":"# + rng.pick(Self.ids) + ", \"x\":")
        case .hostileString: text = replaceValue(seed, with: jsonString(rng.pick(HostileStrings.all)), &rng)
        case .longString: text = replaceValue(seed, with: jsonString(String(repeating: "é", count: 40_000 + rng.below(40_000))), &rng)
        case .deepNesting:
            let depth = 100 + rng.below(2_000)
            text = replaceValue(seed, with: String(repeating: "[", count: depth) + String(repeating: "]", count: depth), &rng)
        case .badEnvelope:
            text = rng.pick([#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, #"{"id":1,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":1}"#,
                             #"{"jsonrpc":"2.0","id":1,"method":7}"#, #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"x"}"#,
                             #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}"#, #"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#,
                             #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":7}}"#, "[]", "[" + seed + "]", "1", #""ping""#,
                             #"{"jsonrpc":"2.0","id":1,"result":{}}"#, #"{"jsonrpc":"2.0","id":1,"method":"ping","method":"tools/list"}"#])
        case .truncated, .byteFlip, .notUTF8: break
        }
        var bytes = Array(text.utf8)
        switch m {
        case .truncated: bytes = Array(bytes.prefix(rng.below(bytes.count)))
        case .byteFlip:
            for _ in 0..<(1 + rng.below(4)) where !bytes.isEmpty {
                var b = UInt8(truncatingIfNeeded: rng.next())
                if b == 0x0A { b = 0x0B }  // a newline would split the message in two lines: another case
                bytes[rng.below(bytes.count)] = b
            }
        case .notUTF8:
            let at = bytes.isEmpty ? 0 : rng.below(bytes.count)
            bytes.insert(contentsOf: rng.pick([[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x00]]), at: at)
        default: break
        }
        return (bytes, m)
    }

    /// The seed with one of its values (after a `:`) replaced by `value` (JSON text).
    func replaceValue(_ seed: String, with value: String, _ rng: inout SeededRandom) -> String {
        let chars = Array(seed)
        let colons = chars.indices.filter { chars[$0] == ":" }
        guard !colons.isEmpty else { return seed }
        let start = rng.pick(colons) + 1
        var end = start, depth = 0, inString = false
        while end < chars.count {
            let c = chars[end]
            if inString { if c == "\\" { end += 1 } else if c == "\"" { inString = false } }
            else if c == "\"" { inString = true }
            else if c == "{" || c == "[" { depth += 1 }
            else if c == "}" || c == "]" { if depth == 0 { break }; depth -= 1 }
            else if c == ",", depth == 0 { break }
            end += 1
        }
        return String(chars[..<start]) + value + String(chars[min(end, chars.count)...])
    }

    /// A JSON string literal of `s` (control characters escaped, so the line stays one line).
    func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

extension String {
    /// Without Foundation (FuzzCorpus depends on nothing): the first `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let a = Array(self), t = Array(target)
        guard !t.isEmpty, a.count >= t.count else { return self }
        for i in 0...(a.count - t.count) where Array(a[i..<(i + t.count)]) == t {
            return String(a[..<i]) + replacement + String(a[(i + t.count)...])
        }
        return self
    }
}
