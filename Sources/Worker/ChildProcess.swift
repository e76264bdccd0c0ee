import Foundation

/// A child started with posix_spawn (never through a shell) in its own process group, with stdout and
/// stderr on one pipe, so output is read in the order it was written. The group is what gets signalled:
/// a timeout, a cancel or a stopping worker ends the program and everything it started.
final class ChildProcess {
    let pid: pid_t
    /// Read end of the output pipe, non-blocking; -1 once closed.
    private(set) var outputFD: Int32

    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    private init(pid: pid_t, outputFD: Int32) { self.pid = pid; self.outputFD = outputFD }

    deinit { closeOutput() }

    /// Starts `plan`: stdin from /dev/null, stdout and stderr to one pipe, signals the worker ignores
    /// reset to their defaults, an empty signal mask, and no descriptor of the worker's beyond 0–2.
    static func spawn(_ plan: LaunchPlan) throws -> ChildProcess {
        var fds: [Int32] = [-1, -1]
        guard LibC.pipeCloexec(&fds) == 0 else { throw WorkerError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        let (readFD, writeFD) = (fds[0], fds[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeFD, 1)
        posix_spawn_file_actions_adddup2(&actions, writeFD, 2)
        // Close everything else the worker holds (database sockets, other runs' pipes): a leaked write end
        // would keep another run's pipe open after its program ended.
        LibC.addCloseFrom(&actions, 3)
        guard LibC.addChdir(&actions, plan.workingDirectory) else {
            close(readFD); close(writeFD)
            throw WorkerError("this C library cannot set a child's working directory (posix_spawn_file_actions_addchdir_np)")
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ] {
            sigaddset(&defaults, s)
        }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setpgroup(&attr, 0)  // a new group, led by the child: its pgid is its pid
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = CStrings(plan.argv)
        let envp = CStrings(plan.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, plan.executable, &actions, &attr, argv.pointers, envp.pointers)
        close(writeFD)
        guard rc == 0 else {
            close(readFD)
            throw WorkerError("cannot start \(plan.executable): \(String(cString: strerror(rc)))")
        }
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        return ChildProcess(pid: pid, outputFD: readFD)
    }

    /// Whether the program has ended, without reaping it: while it is an unreaped zombie its pid cannot
    /// be reused, so signalling its group stays safe.
    func hasExited() -> Bool {
        var info = siginfo_t()
        let rc = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return rc == 0 && info._sifields._sigchld.si_pid == pid
    }

    /// Signals the whole process group (the program and what it started).
    func signalGroup(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Whether any process of the group is left (a zombie leader counts until it is reaped).
    var groupExists: Bool { kill(-pid, 0) == 0 || errno == EPERM }

    /// Waits for the program and reaps it.
    func reap() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return .exited(-1) }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(status & 0x7f)
    }

    /// Reads what the pipe holds now into `buffer`; nil at end of file (every writer closed it).
    func readAvailable(into buffer: inout [UInt8], _ sink: ([UInt8].SubSequence) -> Void) -> Bool? {
        guard outputFD >= 0 else { return nil }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if n > 0 { sink(buffer[0..<n]); continue }
            if n == 0 { closeOutput(); return nil }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return true }
            closeOutput(); return nil
        }
    }

    func closeOutput() {
        if outputFD >= 0 { close(outputFD); outputFD = -1 }
    }
}

/// NUL-terminated C strings for argv / envp, freed with the value.
private final class CStrings {
    var pointers: [UnsafeMutablePointer<CChar>?]
    init(_ strings: [String]) { pointers = strings.map { strdup($0) } + [nil] }
    deinit { for p in pointers { free(p) } }
}

/// glibc functions Swift does not import without _GNU_SOURCE, looked up once by name.
enum LibC {
    private typealias ChdirFn = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias CloseFromFn = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Pipe2Fn = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(dlopen(nil, RTLD_NOW), name) }
    private static let chdirFn = symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: ChdirFn.self) }
    private static let closeFromFn = symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFromFn.self) }
    private static let pipe2Fn = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2Fn.self) }

    static func addChdir(_ fa: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Bool {
        chdirFn?(fa, path) == 0
    }

    static func addCloseFrom(_ fa: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32) {
        _ = closeFromFn?(fa, fd)
    }

    /// A pipe whose ends are close-on-exec from the start (no window for another thread's spawn).
    static func pipeCloexec(_ fds: inout [Int32]) -> Int32 {
        if let pipe2Fn { return fds.withUnsafeMutableBufferPointer { pipe2Fn($0.baseAddress!, O_CLOEXEC) } }
        let rc = fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
        if rc == 0 { for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) } }
        return rc
    }
}
