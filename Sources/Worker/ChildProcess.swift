import Foundation
import CSpawn
import SystemSupport

/// A run's program, started under a supervisor (CSpawn) that leads a new process group, with stdout and
/// stderr on one pipe, so output is read in the order it was written. The group is what gets signalled:
/// a timeout, a cancel or a stopping worker ends the program and everything it started. If the worker
/// dies, the supervisor kills the group: one execution never runs twice, even when its worker is SIGKILLed.
final class ChildProcess: RunningProgram {
    /// The supervisor's pid, which is also the group id; it exits as the program did.
    let pid: pid_t
    /// Read end of the output pipe, non-blocking; -1 once closed.
    private(set) var outputFD: Int32
    /// Write end of the program's stdin when it was started with one (`withInput`); the conversation owns it.
    let input: AgentInput?

    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    private init(pid: pid_t, outputFD: Int32, input: AgentInput?) { self.pid = pid; self.outputFD = outputFD; self.input = input }

    deinit { closeOutput(); input?.close() }

    /// Starts `plan`: stdin from /dev/null (or, `withInput`, a pipe whose write end is `input`), stdout and
    /// stderr to one pipe, every signal at its default, an empty signal mask, and no descriptor of the
    /// worker's beyond 0–2.
    static func spawn(_ plan: LaunchPlan, withInput: Bool = false) throws -> ChildProcess {
        let (readFD, writeFD): (Int32, Int32)
        do { (readFD, writeFD) = try CloexecPipe.make() } catch { throw WorkerError("cannot create a pipe: \(error.reason)") }
        var stdinPipe: (read: Int32, write: Int32)?
        if withInput {
            do { stdinPipe = try CloexecPipe.make() } catch {
                close(readFD); close(writeFD)
                throw WorkerError("cannot create a pipe: \(error.reason)")
            }
        }
        let devNull = stdinPipe?.read ?? open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(writeFD); if devNull >= 0 { close(devNull) } }
        guard devNull >= 0, let lifeline = Lifeline.readEnd else {
            close(readFD); if let p = stdinPipe { close(p.write) }
            throw WorkerError("cannot prepare the run's descriptors: \(String(cString: strerror(errno)))")
        }
        let argv = CStrings(plan.argv)
        let envp = CStrings(plan.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        var err: Int32 = 0
        var pid = agentmon_spawn_supervised(plan.executable, argv.pointers, envp.pointers, plan.workingDirectory,
                                            devNull, writeFD, lifeline, &err)
        // ETXTBSY: the binary is still open for writing somewhere (being installed, or a descriptor another
        // process forked meanwhile still holds); a moment later it is not. A few short tries, then the error.
        var tries = 0
        while pid <= 0 && err == ETXTBSY && tries < 5 {
            tries += 1
            usleep(20_000)
            pid = agentmon_spawn_supervised(plan.executable, argv.pointers, envp.pointers, plan.workingDirectory,
                                            devNull, writeFD, lifeline, &err)
        }
        guard pid > 0 else {
            close(readFD); if let p = stdinPipe { close(p.write) }
            throw WorkerError("cannot start \(plan.executable): \(String(cString: strerror(err)))")
        }
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        return ChildProcess(pid: pid, outputFD: readFD, input: stdinPipe.map { AgentInput(fd: $0.write) })
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

    func closeOutput() {
        if outputFD >= 0 { close(outputFD); outputFD = -1 }
    }
}

/// What the run loop supervises: a program started by the worker (`ChildProcess`), or one hosted in a tmux
/// session (`TmuxHostedProgram`). Its output comes on one descriptor; "the group" is everything it started.
protocol RunningProgram: AnyObject {
    /// The process to record on the execution (the supervisor's pid, or the pane's).
    var pid: pid_t { get }
    /// Where the program's output is read, non-blocking; -1 once closed.
    var outputFD: Int32 { get }
    /// Whether the program has ended (without reaping it).
    func hasExited() -> Bool
    /// Asks (SIGTERM) or forces (SIGKILL) the program and what it started to end.
    func signalGroup(_ signal: Int32)
    /// Waits for the end and returns how it ended.
    func reap() -> ChildProcess.Termination
    func closeOutput()
}

extension RunningProgram {
    /// Reads what the output descriptor holds now into `buffer`; nil at end of file (every writer closed it).
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
}

/// The pipe every supervisor watches: its write end lives only in this process (close-on-exec, and each
/// supervisor closes its copy), so it closes exactly when the worker process dies, however it dies.
enum Lifeline {
    static let readEnd: Int32? = {
        // The write end stays open, unused, for the life of the process.
        (try? CloexecPipe.make())?.read
    }()
}

/// Ends what is left of a dead worker's run on this host: its supervisor's process group. The pid must
/// still lead its own group (a reused pid of an unrelated process almost never does).
enum ProcessGroup {
    static func killStale(pid: pid_t) {
        guard pid > 1, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return }
        // Fields after "(comm)": state, ppid, pgrp, …
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, Int32(fields[2]) == pid else { return }
        _ = kill(-pid, SIGKILL)
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

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(dlopen(nil, RTLD_NOW), name) }
    private static let chdirFn = symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: ChdirFn.self) }
    private static let closeFromFn = symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFromFn.self) }

    static func addChdir(_ fa: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Bool {
        chdirFn?(fa, path) == 0
    }

    static func addCloseFrom(_ fa: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32) {
        _ = closeFromFn?(fa, fd)
    }
}
