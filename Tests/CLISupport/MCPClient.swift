import Foundation
import Core

/// A client of `agentmon mcp` in another process: writes JSON-RPC lines to its stdin, reads its stdout
/// line by line on a thread of its own, and waits for an answer with a deadline (never a fixed sleep).
public final class MCPClient: @unchecked Sendable {
    public let process = Process()
    private let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    private let lines = Locked<[String]>([])
    private let errText = Locked(Data())
    private var nextId = 0

    /// `agentmon --db URL mcp EXTRA…` with `env` added to the test's environment.
    public init(db: String, extra: [String] = [], env: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["--db", db, "mcp"] + extra
        var environment = ProcessInfo.processInfo.environment
        for k in ["DATABASE_URL", "AGENTMON_DB", "AGENTMON_EXECUTION_ID"] { environment.removeValue(forKey: k) }
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading, lines = self.lines
        Thread {
            var partial = Data()
            while true {
                let chunk = out.availableData
                if chunk.isEmpty { break }
                partial.append(chunk)
                while let nl = partial.firstIndex(of: 0x0A) {
                    let line = String(decoding: partial[partial.startIndex..<nl], as: UTF8.self)
                    lines.with { $0.append(line) }
                    partial = Data(partial[(nl + 1)...])
                }
            }
        }.start()
        let err = stderr.fileHandleForReading, errText = self.errText
        Thread { let d = err.readDataToEndOfFile(); errText.with { $0 = d } }.start()
    }

    public var stderrText: String { String(decoding: errText.get, as: UTF8.self) }

    /// Writes one raw line (a newline is added).
    public func sendLine(_ text: String) { stdin.fileHandleForWriting.write(Data((text + "\n").utf8)) }

    public func notify(_ method: String, _ params: JSONValue? = nil) {
        var o: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { o["params"] = params }
        sendLine(JSONValue.object(o).jsonString)
    }

    /// Sends a request and returns its answer (the message whose id matches), or nil after `timeout`.
    public func request(_ method: String, _ params: JSONValue? = nil, timeout: Double = 20) -> JSONValue? {
        nextId += 1
        let id = nextId
        var o: [String: JSONValue] = ["jsonrpc": "2.0", "id": .number(Double(id)), "method": .string(method)]
        if let params { o["params"] = params }
        sendLine(JSONValue.object(o).jsonString)
        return answer(id: .number(Double(id)), timeout: timeout)
    }

    /// `tools/call` of `name`; the result object (content, isError, structuredContent).
    public func call(_ name: String, _ arguments: JSONValue) -> JSONValue? {
        request("tools/call", ["name": .string(name), "arguments": arguments])?["result"]
    }

    /// The first unread message with this id (null for errors about unreadable lines).
    public func answer(id: JSONValue, timeout: Double = 20) -> JSONValue? {
        var found: JSONValue?
        _ = pollUntil(timeout) {
            found = lines.with { all -> JSONValue? in
                guard let i = all.firstIndex(where: { JSONValue.parse($0)?["id"] == id }) else { return nil }
                return JSONValue.parse(all.remove(at: i))
            }
            return found != nil
        }
        return found
    }

    /// Every line read so far (and not taken by `answer`).
    public var unread: [String] { lines.get }

    /// Closes stdin and returns the exit status, or nil when it did not end within `timeout` (then it is killed).
    public func finish(timeout: Double = 20) -> Int32? {
        try? stdin.fileHandleForWriting.close()
        if !pollUntil(timeout, { !process.isRunning }) { process.terminate(); process.waitUntilExit(); return nil }
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }
}
