import Foundation
import Glibc
import SystemSupport

/// Runs the `[notify] command` for each event: the argv as given (looked up in PATH, never a shell), the
/// event's JSON on stdin, stdout and stderr to /dev/null (nothing reaches the dashboard's terminal), in its
/// own process group, killed (SIGKILL, the whole group) after `timeout`. Commands run one at a time on a
/// thread of their own, so a slow or hung command never holds up a key; a failure is reported in one line.
public final class NotifyCommand: @unchecked Sendable {
    public enum Outcome: Sendable, Equatable {
        case ok
        case notFound
        case cannotStart(String)
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    public let argv: [String]
    public let timeout: TimeInterval
    private let report: @Sendable (String) -> Void
    private let condition = NSCondition()
    private var queue: [[UInt8]] = []
    private var dropped = 0
    private var started = false
    private var stopping = false
    private var busy = false

    /// Events waiting beyond this are dropped (and said so): a command slower than the events never piles up.
    public static let backlogLimit = 16

    /// `report` gets one line per failure, on the runner's thread.
    public init(argv: [String], timeout: TimeInterval = 5, report: @escaping @Sendable (String) -> Void) {
        self.argv = argv; self.timeout = timeout; self.report = report
    }

    /// Queues one run with `input` on its stdin; returns at once.
    public func submit(_ input: [UInt8]) {
        condition.lock(); defer { condition.unlock() }
        guard !stopping else { return }
        if queue.count >= Self.backlogLimit { dropped += 1; return }
        queue.append(input)
        if !started {
            started = true
            let t = Thread { [self] in loop() }
            t.name = "agentmon-notify"
            t.start()
        }
        condition.signal()
    }

    /// Stops taking events; a command already running finishes (or times out) on its own thread.
    public func stop() {
        condition.lock(); stopping = true; queue.removeAll(); condition.signal(); condition.unlock()
    }

    /// Waits until nothing is queued or running (tests), at most `seconds`; true when idle.
    public func waitIdle(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock(); defer { condition.unlock() }
        while !queue.isEmpty || busy { if !condition.wait(until: deadline) { return queue.isEmpty && !busy } }
        return true
    }

    private func loop() {
        Self.blockSIGPIPE()
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping && queue.isEmpty { condition.unlock(); return }
            let input = queue.removeFirst()
            let lost = dropped
            dropped = 0
            busy = true
            condition.unlock()
            if lost > 0 { report("notify command: \(lost) notification\(lost == 1 ? "" : "s") dropped (the command is slower than the events)") }
            let outcome = Self.run(argv, input: input, timeout: timeout)
            if let line = Self.describe(outcome, argv: argv) { report(line) }
            condition.lock(); busy = false; condition.broadcast(); condition.unlock()
        }
    }

    /// One line for the status bar, nil when the command did its job.
    public static func describe(_ o: Outcome, argv: [String]) -> String? {
        let name = argv.first ?? "?"
        switch o {
        case .ok: return nil
        case .notFound: return "notify command: \(name) not found"
        case .cannotStart(let why): return "notify command: cannot start \(name): \(why)"
        case .exited(let code): return "notify command: \(name) exited with status \(code)"
        case .signalled(let sig): return "notify command: \(name) was killed by signal \(sig)"
        case .timedOut: return "notify command: \(name) took too long and was stopped"
        }
    }

    /// Runs `argv` once, synchronously: `input` on stdin, output discarded, killed after `timeout`.
    /// The calling thread should have SIGPIPE blocked (a command that exits without reading its stdin).
    public static func run(_ argv: [String], input: [UInt8], timeout: TimeInterval) -> Outcome {
        guard let program = argv.first, !program.isEmpty else { return .cannotStart("no program") }
        let fds: (read: Int32, write: Int32)
        do { fds = try CloexecPipe.make() } catch { return .cannotStart("\(error)") }
        var readEnd = fds.read
        let writeEnd = fds.write
        defer { if readEnd >= 0 { close(readEnd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(); sigemptyset(&none)
        var defaults = sigset_t(); sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGWINCH] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setpgroup(&attr, 0)  // its own group: a timeout kills what it started too
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        var rc = posix_spawnp(&pid, program, &actions, &attr, &cArgs, environ)
        // ETXTBSY: the script is still open for writing somewhere (just saved by an editor, or a descriptor a
        // process forked meanwhile still holds): a moment later it is not. A few short tries, then the error.
        var tries = 0
        while rc == ETXTBSY && tries < 5 {
            tries += 1
            usleep(20_000)
            rc = posix_spawnp(&pid, program, &actions, &attr, &cArgs, environ)
        }
        close(readEnd); readEnd = -1
        guard rc == 0 else {
            close(writeEnd)
            return rc == ENOENT || rc == ENOTDIR ? .notFound : .cannotStart(String(cString: strerror(rc)))
        }

        // The event is small (well under a pipe's buffer); a command that never reads it does not block us.
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        var done = 0
        input.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while done < input.count {
                let n = write(writeEnd, base + done, input.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { break }  // EPIPE, EAGAIN: it stopped reading
            }
        }
        close(writeEnd)

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var pause: useconds_t = 1000
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return .cannotStart("lost the process (\(String(cString: strerror(errno))))") }
            if Date() >= deadline {
                kill(-pid, SIGKILL); kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return .timedOut
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
        let low = status & 0x7F
        if low == 0 {
            let code = (status >> 8) & 0xFF
            return code == 0 ? .ok : .exited(code)  // a missing program is posix_spawnp's ENOENT, above
        }
        return .signalled(low)
    }

    /// Writing to a command that exited without reading raises SIGPIPE, which would end the dashboard: on the
    /// runner's thread it stays blocked (pending, harmless); the child starts with an empty mask.
    static func blockSIGPIPE() {
        var set = sigset_t(); sigemptyset(&set); sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
