// A self-pipe that wakes a thread sleeping in poll(2): another thread (or a signal handler, writing to
// `writeFD` itself) ends the wait at once instead of at the sleeper's next tick.
//
// Public API:
//   final class WakePipe — readFD, writeFD, failure; wake() (thread-safe), drain() -> Bool, wait(timeout:)
//
// Both ends are non-blocking and close-on-exec. Wakes coalesce: one byte in the pipe is enough, however
// many threads call wake(), and a full pipe already means "wake up".

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

public final class WakePipe: Sendable {
    public let readFD: Int32
    /// Also for signal handlers: write(2) one byte to it (async-signal-safe).
    public let writeFD: Int32
    /// Why the pipe could not be made (both descriptors are then -1 and waking does nothing).
    public let failure: SystemError?
    /// Coalesces wakes: set while a byte waits in the pipe.
    private let pending = Atomic<Bool>(false)

    public init() {
        do {
            let (r, w) = try CloexecPipe.make()
            for fd in [r, w] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            (readFD, writeFD, failure) = (r, w, nil)
        } catch {
            (readFD, writeFD, failure) = (-1, -1, error)
        }
    }

    deinit {
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }

    /// Wakes the waiting thread. Cheap when a wake is already pending.
    public func wake() {
        if pending.exchange(true, ordering: .acquiringAndReleasing) { return }
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Empties the pipe; returns true when something had been written.
    @discardableResult
    public func drain() -> Bool {
        // Read first, clear after: a wake() that sees `pending` still set and skips its write
        // happened before this drain returned, so the caller's check after it sees its data.
        defer { pending.store(false, ordering: .releasing) }
        var buf = [UInt8](repeating: 0, count: 256)
        var any = false
        while buf.withUnsafeMutableBytes({ read(readFD, $0.baseAddress, $0.count) }) > 0 { any = true }
        return any
    }

    /// Sleeps until woken or `timeout` seconds pass (at most an hour), then empties the pipe.
    public func wait(timeout: Double) {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, Int32(max(0, min(timeout, 3600)) * 1000))
        drain()
    }
}
