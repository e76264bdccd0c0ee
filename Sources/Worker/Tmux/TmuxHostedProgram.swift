import Foundation
import Core
import SystemSupport

/// A run's program hosted in a detached tmux session on agentmon's own server (protocol `tmux`): an
/// interactive agent (Gemini CLI) gets a terminal that a person can attach to (`agentmon exec attach`, `A`)
/// while the worker copies what it draws into the run's log and types what people send it.
///
/// - Start: the session is created with a placeholder program (`sleep`), then `remain-on-exit` is set, the
///   pane's output is piped to the log, and only then `respawn-pane -k` replaces the placeholder with the
///   real program. Nothing of the program runs before those two are in place: it cannot exit before tmux
///   keeps its pane (and its exit status), nor write a byte that the pipe misses. (Setting them after a
///   `new-session` that starts the program races with a program that exits at once.)
/// - Environment: `env -i K=V… PROGRAM ARGS…`, so the pane has exactly the launch plan's environment,
///   not the tmux server's; TERM, unless the plan sets it, is the terminal tmux emulates (`screen`), which
///   an interactive program needs to draw.
/// - Output: `pipe-pane` runs `cat >> FIFO` (through /bin/sh in the tmux server, so the path is quoted),
///   FIFO in the log directory; the worker reads it non-blocking as `outputFD`. The worker holds a write end
///   of its own until the session is gone, so the read end sees no end of file before `cat` has written
///   everything (and none before `cat` opened it).
/// - End: `#{pane_dead}` and its status (or signal), looked at most every `lookInterval`; a stop signals the
///   pane's process group (its process leads a session and group of its own); afterwards the session is
///   always killed, however the run ended, so no session outlives its run.
final class TmuxHostedProgram: RunningProgram {
    static let lookInterval = 0.25
    static let width = 200, height = 50

    let server: TmuxServer
    let session: String
    /// The pane's process (the program, exec'd by env), which leads its own process group.
    private(set) var pid: pid_t = 0
    private(set) var outputFD: Int32
    private var holdFD: Int32
    private let fifo: String
    private var ended: ChildProcess.Termination?
    private var nextLook = 0.0
    private var killed = false
    private var deadWithoutStatus: Double?

    private init(server: TmuxServer, session: String, outputFD: Int32, holdFD: Int32, fifo: String) {
        self.server = server; self.session = session; self.outputFD = outputFD; self.holdFD = holdFD; self.fifo = fifo
    }

    deinit {
        closeOutput()
        if !killed { server.killSession(session) }
        unlink(fifo)
    }

    /// `agentmon-e<execution>-a<attempt>`: one per attempt, so a retry never meets its predecessor's.
    static func sessionName(executionId: ID, attempt: Int) -> String { "agentmon-e\(executionId)-a\(attempt)" }

    static func start(_ plan: LaunchPlan, executionId: ID, attempt: Int, server: TmuxServer,
                      logDirectory: String) throws -> TmuxHostedProgram {
        // env would take a program path with "=" for a variable.
        guard !plan.executable.contains("=") else { throw WorkerError("cannot host \(plan.executable) in tmux: its path contains '='") }
        guard let sleep = Subprocess.find("sleep", searchPath: LaunchPlan.minimalPath),
              let env = Subprocess.find("env", searchPath: LaunchPlan.minimalPath) else {
            throw WorkerError("cannot host a run in tmux: sleep or env is missing from \(LaunchPlan.minimalPath)")
        }
        let name = sessionName(executionId: executionId, attempt: attempt)
        let fifo = logDirectory + "/execution-\(executionId).tmux-pipe"
        unlink(fifo)
        guard mkfifo(fifo, 0o600) == 0 else { throw WorkerError("cannot create \(fifo): \(String(cString: strerror(errno)))") }
        let readFD = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        let holdFD = readFD >= 0 ? open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC) : -1
        guard readFD >= 0, holdFD >= 0 else {
            let why = String(cString: strerror(errno))
            if readFD >= 0 { close(readFD) }
            unlink(fifo)
            throw WorkerError("cannot open \(fifo): \(why)")
        }
        // A session of this name can only be a leftover of this very attempt (a worker that died with it).
        server.killSession(name)
        // The session may not exist yet when this instance goes on a failure: killing it is then a no-op.
        let program = TmuxHostedProgram(server: server, session: name, outputFD: readFD, holdFD: holdFD, fifo: fifo)
        let pane = TmuxServer.pane(name)
        try server.run(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                        "-c", plan.workingDirectory, "--", sleep, "2147483647"])
        try server.run(["set-option", "-w", "-t", pane, "remain-on-exit", "on"])
        try server.run(["pipe-pane", "-o", "-t", pane, "exec cat >> " + TmuxServer.shellQuoted(fifo)])
        var environment = plan.environment
        if environment["TERM"] == nil { environment["TERM"] = "screen" }
        let command = [env, "-i", "--"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [plan.executable] + plan.argv.dropFirst()
        try server.run(["respawn-pane", "-k", "-t", pane, "-c", plan.workingDirectory, "--"] + command)
        let answer = try server.run(["display-message", "-p", "-t", pane, "#{session_name} #{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = answer.split(separator: " ")
        guard fields.count == 2, fields[0] == name, let pid = pid_t(fields[1]), pid > 0 else {
            throw WorkerError("tmux did not tell the pane's process (it said '\(answer)')")
        }
        program.pid = pid
        return program
    }

    func hasExited() -> Bool {
        if ended != nil { return true }
        let now = Monotonic.now()
        guard now >= nextLook else { return false }
        nextLook = now + Self.lookInterval
        look()
        return ended != nil
    }

    /// Asks tmux whether the pane's program has ended, and how.
    private func look() {
        guard ended == nil else { return }
        switch paneState() {
        case .alive: return
        case .gone:
            // The session is gone (killed by us, or closed by someone attached): its program went with it.
            ended = .signaled(killed ? SIGKILL : SIGHUP)
        case .ended(let t): ended = t
        case .deadWithoutStatus:
            // tmux 3.3 can miss the SIGCHLD of a program that exits at once: the pane is dead (its output
            // closed) but never reaped, so it has no status. Any other child of the server that exits makes
            // it reap every zombie: `run-shell true` is one. A status that still does not come is unknown.
            _ = server.attempt(["run-shell", "true"])
            if case .ended(let t) = paneState() { ended = t; return }
            let now = Monotonic.now()
            if deadWithoutStatus == nil { deadWithoutStatus = now }
            if now - deadWithoutStatus! > 2 { ended = .exited(-1) } else { nextLook = min(nextLook, now + 0.05) }
        case nil: return  // tmux did not answer in time: ask again next time
        }
    }

    private enum PaneState { case alive, gone, ended(ChildProcess.Termination), deadWithoutStatus }

    private func paneState() -> PaneState? {
        let out = server.attempt(["display-message", "-p", "-t", TmuxServer.pane(session),
                                  "#{session_name}|#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"])
        if out.timedOut { return nil }
        let fields = out.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|", omittingEmptySubsequences: false)
        guard out.status == 0, fields.count == 4, fields[0] == session else { return .gone }
        guard fields[1] == "1" else { return .alive }
        if let sig = Int32(fields[3]), sig > 0 { return .ended(.signaled(sig)) }
        if let code = Int32(fields[2]) { return .ended(.exited(code)) }
        return .deadWithoutStatus
    }

    /// SIGTERM asks the program's group to end; SIGKILL forces it and kills the session (the run loop sends
    /// it once the program has ended, too: the session goes, and with it the output pipe's writer).
    func signalGroup(_ signal: Int32) {
        if ended == nil { nextLook = 0; look() }
        // Only a live pane's pid is certain to be ours: once dead, tmux has reaped it.
        if ended == nil, pid > 0 { _ = kill(-pid, signal) }
        if signal == SIGKILL, !killed {
            if ended == nil { ended = .signaled(SIGKILL) }
            server.killSession(session)
            killed = true
            if holdFD >= 0 { close(holdFD); holdFD = -1 }
        }
    }

    func reap() -> ChildProcess.Termination {
        while ended == nil {
            nextLook = 0
            look()
            if ended == nil { usleep(50_000) }
        }
        signalGroup(SIGKILL)
        return ended!
    }

    func closeOutput() {
        if outputFD >= 0 { close(outputFD); outputFD = -1 }
        if holdFD >= 0 { close(holdFD); holdFD = -1 }
    }
}
