import Foundation
import Core

/// MCP's stdio transport (specification 2025-06-18, basic/transports): messages are JSON-RPC objects, one
/// per line, UTF-8, on the server's stdin and stdout; nothing else is written to stdout (logs go to stderr).
/// The server runs until stdin ends. Lines are framed by the repository's `JSONObjectStream`, which also
/// says why a line was refused, so each gets its JSON-RPC error and the server reads on.
public enum StdioTransport {
    /// A longer line is dropped unread and answered with a parse error.
    public static let maxLineBytes = 4 << 20

    public static func serve(_ session: MCPSession, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        signal(SIGPIPE, SIG_IGN)  // a client that went away ends the loop through a failed write, not a signal
        var stream = JSONObjectStream(maxLineBytes: maxLineBytes)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var open = true
        func send(_ message: JSONValue?) {
            guard open, let message else { return }
            open = writeAll(output, Array(JSONRPC.line(message).utf8))
        }
        let onObject: (JSONValue) -> Void = { send(session.handle($0)) }
        let onRejected: (JSONObjectStream.Rejection) -> Void = { send(MCPSession.rejected($0, maxLineBytes: maxLineBytes)) }
        while open {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            stream.feed(buffer[0..<n], onObject, rejected: onRejected)
        }
        stream.flush(onObject, rejected: onRejected)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            off += n
        }
        return true
    }
}
