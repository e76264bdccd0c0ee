// Running a helper program (tmux) by argv, never through a shell.
//
// Public API:
//   Subprocess.run(executable, argv, environment:, timeout:) -> Subprocess.Output
//       stdin /dev/null, stdout and stderr captured together, killed after `timeout` seconds
//   Subprocess.runInForeground(executable, argv, environment:) -> Int32
//       the caller's terminal (stdin, stdout, stderr) handed to the program until it exits; its status
//   Subprocess.find(name, searchPath:) -> String?      a bare name looked up on a PATH
//
// Every signal is at its default and the mask empty in the child, and no descriptor beyond 0–2 is
// inherited (closefrom where glibc has it; every descriptor of ours is close-on-exec anyway).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Subprocess {
    public struct Output: Sendable, Equatable {
        /// The exit code; 128 + the signal when killed by one; -1 when it could not start or timed out.
        public var status: Int32
        /// stdout and stderr as written, decoded as UTF-8 (invalid bytes replaced).
        public var output: String
        public var timedOut: Bool
        public init(status: Int32, output: String, timedOut: Bool) { self.status = status; self.output = output; self.timedOut = timedOut }
    }

    /// Output past `maxBytes` is read and dropped (a program that floods its output cannot fill memory).
    public static func run(_ executable: String, _ argv: [String], environment: [String: String], timeout: Double,
                           maxBytes: Int = 4 << 20) -> Output {
        let readFD: Int32, writeFD: Int32
        do { (readFD, writeFD) = try CloexecPipe.make() } catch {
            return Output(status: -1, output: "cannot create a pipe: \(error.reason)", timedOut: false)
        }
        let spawned = spawn(executable, argv, environment) { fa in
            _ = posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0)
            _ = posix_spawn_file_actions_adddup2(fa, writeFD, 1)
            _ = posix_spawn_file_actions_adddup2(fa, writeFD, 2)
        }
        close(writeFD)
        guard case .success(let pid) = spawned else {
            close(readFD)
            if case .failure(let code) = spawned {
                return Output(status: -1, output: "cannot start \(executable): \(String(cString: strerror(code)))", timedOut: false)
            }
            return Output(status: -1, output: "", timedOut: false)
        }
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        defer { close(readFD) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Monotonic.now() + timeout
        var status: Int32?, open = true
        func readSome() {
            while open {
                let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
                if n > 0 { if bytes.count < maxBytes { bytes += buffer[0..<min(n, maxBytes - bytes.count)] }; continue }
                if n < 0 && errno == EINTR { continue }
                if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { open = false }
                return
            }
        }
        while status == nil {
            // A child it started (a tmux server forking) may hold the pipe: its end is the end, not EOF.
            if let s = reapNoHang(pid) { status = s; break }
            let left = deadline - Monotonic.now()
            if left <= 0 {
                _ = kill(pid, SIGKILL)
                _ = waitBlocking(pid)
                return Output(status: -1, output: String(decoding: bytes, as: UTF8.self), timedOut: true)
            }
            var p = pollfd(fd: open ? readFD : -1, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, Int32(min(left, open ? 0.05 : 0.005) * 1000) + 1)
            readSome()
        }
        readSome()
        return Output(status: status!, output: String(decoding: bytes, as: UTF8.self), timedOut: false)
    }

    /// The program runs on the caller's terminal, in the caller's process group (the terminal's foreground
    /// one), so it reads the keys and gets the window's size changes; the caller waits for it.
    public static func runInForeground(_ executable: String, _ argv: [String], environment: [String: String]) -> Int32 {
        switch spawn(executable, argv, environment, { _ in }) {
        case .success(let pid): return waitBlocking(pid)
        case .failure: return -1
        }
    }

    /// The first executable `name` on `searchPath`; a name with a slash is returned as it is when executable.
    public static func find(_ name: String, searchPath: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, st.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private enum Spawned { case success(pid_t), failure(Int32) }

    private static func spawn(_ executable: String, _ argv: [String], _ environment: [String: String],
                              _ actions: (UnsafeMutablePointer<posix_spawn_file_actions_t>) -> Void) -> Spawned {
        var fa = posix_spawn_file_actions_t()
        var attr = posix_spawnattr_t()
        posix_spawn_file_actions_init(&fa)
        posix_spawnattr_init(&attr)
        defer { posix_spawn_file_actions_destroy(&fa); posix_spawnattr_destroy(&attr) }
        actions(&fa)
        _ = closeFrom?(&fa, 3)
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all); sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cArgv + cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &fa, &attr, cArgv, cEnv)
        return rc == 0 ? .success(pid) : .failure(rc)
    }

    private static func decode(_ status: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func reapNoHang(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { return decode(status) }
        if r < 0 && errno != EINTR { return -1 }
        return nil
    }

    private static func waitBlocking(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    // Not imported into Swift without _GNU_SOURCE (glibc 2.34+): looked up once by name.
    private typealias CloseFromFn = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFromFn.self) }
}
