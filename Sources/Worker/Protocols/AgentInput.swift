import Foundation
import Core

/// The write end of a running agent's stdin. Several threads write to it (the run loop delivering a
/// person's input, the transcript thread answering by rule or closing after the last turn), so every write
/// is whole and serialised. A write never blocks the worker for long: an agent that stops reading its input
/// for `writeTimeout` seconds gets an error, not a hung worker. SIGPIPE is ignored by the worker
/// (`ignoreBrokenPipes`), so an agent that exited makes a write fail with EPIPE.
final class AgentInput: @unchecked Sendable {
    static let writeTimeout = 10.0

    private let lock = NSLock()
    private var fd: Int32
    /// Bytes written so far (for tests and the bench).
    private(set) var written = 0

    init(fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    var isOpen: Bool { lock.lock(); defer { lock.unlock() }; return fd >= 0 }

    /// One JSON object as one line (JSON Lines: what stream-json and JSON-RPC over stdio both read).
    func send(_ object: JSONValue) throws { try write(Array((object.jsonString + "\n").utf8)) }

    func write(_ bytes: [UInt8]) throws {
        lock.lock(); defer { lock.unlock() }
        guard fd >= 0 else { throw WorkerError("the agent's input is closed") }
        var offset = 0
        let deadline = Date().addingTimeInterval(Self.writeTimeout)
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n > 0 { offset += n; continue }
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { throw WorkerError("the agent did not read its input for \(Int(Self.writeTimeout)) s") }
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, Int32(min(left, 1) * 1000) + 1)
                continue
            }
            throw WorkerError(errno == EPIPE ? "the agent has closed its input" : "cannot write to the agent: \(String(cString: strerror(errno)))")
        }
        written += bytes.count
    }

    /// End of input: the agent reads EOF (stream-json then exits after its turn).
    func close() {
        lock.lock(); defer { lock.unlock() }
        if fd >= 0 { Foundation.close(fd); fd = -1 }
    }

    /// Once per process: a write to an agent that has exited must fail, not kill the worker.
    static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN); return () }()
}
