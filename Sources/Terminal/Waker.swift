// A self-pipe: lets another thread (or a signal handler) wake the input wait.
//
// Public API:
//   final class Waker — wake() (thread-safe and async-signal-safe), readFD, drain()
//
// The app loop polls stdin and this pipe together, so it sleeps until a key, a "data ready"
// message or its own tick: no busy wake-ups when idle.

import Glibc
import Synchronization

public final class Waker: Sendable {
    public let readFD: Int32
    let writeFD: Int32
    /// Coalesces wakes: one byte in the pipe is enough, however many threads call wake().
    private let pending = Atomic<Bool>(false)

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        } else {
            fds = [-1, -1]
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }

    /// Wakes the waiting loop. Cheap when a wake is already pending.
    public func wake() {
        if pending.exchange(true, ordering: .acquiringAndReleasing) { return }
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Empties the pipe; returns true when something had been written.
    @discardableResult
    public func drain() -> Bool {
        // Read first, clear after: a wake() that sees `pending` still set and skips its write
        // happened before this drain returned, so the caller's queue check after it sees its data.
        defer { pending.store(false, ordering: .releasing) }
        var buf = [UInt8](repeating: 0, count: 64)
        var any = false
        while true {
            let n = buf.withUnsafeMutableBytes { read(readFD, $0.baseAddress, 64) }
            if n <= 0 { break }
            any = true
        }
        return any
    }
}
