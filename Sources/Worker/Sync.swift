import Foundation

/// Seconds on a clock that never jumps (timeouts and flush deadlines must not follow the wall clock).
enum Monotonic {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A pipe that wakes a thread sleeping in poll(2): written by a finishing run or a stop request, so the
/// main loop refills a slot at once instead of at its next poll tick.
final class WakePipe: @unchecked Sendable {
    private let readFD: Int32, writeFD: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard LibC.pipeCloexec(&fds) == 0 else { throw WorkerError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        readFD = fds[0]; writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit { close(readFD); close(writeFD) }

    func signal() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)  // a full pipe already means "wake up"
    }

    /// Sleeps until signalled or `timeout` seconds pass, then empties the pipe.
    func wait(timeout: Double) {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, Int32(max(0, min(timeout, 3600)) * 1000))
        var buf = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buf, buf.count) > 0 {}
    }
}
