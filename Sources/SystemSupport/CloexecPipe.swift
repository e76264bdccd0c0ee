// A pipe whose ends are close-on-exec from the start: no window in which another thread's spawn
// inherits them (pipe2 with O_CLOEXEC; pipe + FD_CLOEXEC where pipe2 does not exist).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum CloexecPipe {
    /// Both ends, blocking, close-on-exec.
    public static func make() throws(SystemError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let rc: Int32
        if let pipe2Fn {
            rc = fds.withUnsafeMutableBufferPointer { pipe2Fn($0.baseAddress!, O_CLOEXEC) }
        } else {
            rc = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
            if rc == 0 { for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        }
        guard rc == 0 else { throw SystemError(code: errno) }
        return (fds[0], fds[1])
    }

    // pipe2 is not imported into Swift without _GNU_SOURCE: looked up once by name.
    private typealias Pipe2Fn = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let pipe2Fn = dlsym(dlopen(nil, RTLD_NOW), "pipe2").map { unsafeBitCast($0, to: Pipe2Fn.self) }
}
