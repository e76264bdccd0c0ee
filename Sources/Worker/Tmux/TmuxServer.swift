import Foundation
import SystemSupport

/// agentmon's own tmux server, on the socket `AppPaths.tmuxSocket` names (the one `agentmon exec attach`
/// uses too). Every command is run by argv (never a shell) with a timeout, and with `-f /dev/null`: the
/// server that a first command starts reads no tmux.conf, so a user's default-command, hooks or
/// remain-on-exit setting cannot change how a run is hosted.
struct TmuxServer: Sendable {
    let socket: String
    let executable: String
    /// The tmux client's environment: enough for tmux and its server (which takes it as its global
    /// environment), none of the worker's secrets. A pane's program gets the launch plan's, set by `env -i`.
    let environment: [String: String]
    static let commandTimeout = 10.0

    /// The server for the worker with environment `env`: tmux from its PATH, the socket's folder made.
    static func forWorker(environment env: [String: String]) throws -> TmuxServer {
        let socket = AppPaths.tmuxSocket(environment: env)
        do { try AppPaths.prepareTmuxSocketDirectory(socket) } catch {
            throw WorkerError("cannot create the folder of agentmon's tmux socket \(socket): \(error.reason)")
        }
        guard let tmux = Subprocess.find("tmux", searchPath: env["PATH"] ?? LaunchPlan.minimalPath) else {
            throw WorkerError("the agent's protocol is tmux, but tmux was not found on the worker's PATH")
        }
        var clientEnv: [String: String] = [:]
        for k in ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR"] { clientEnv[k] = env[k] }
        if clientEnv["PATH"] == nil { clientEnv["PATH"] = LaunchPlan.minimalPath }
        return TmuxServer(socket: socket, executable: tmux, environment: clientEnv)
    }

    /// Runs `tmux -S SOCKET -f /dev/null ARGS…`; tmux's own message when it fails.
    @discardableResult
    func run(_ args: [String]) throws -> String {
        let out = attempt(args)
        if out.timedOut { throw WorkerError("tmux \(args.first ?? "") did not answer in \(Int(Self.commandTimeout)) s") }
        guard out.status == 0 else {
            let why = out.output.trimmingCharacters(in: .whitespacesAndNewlines)
            throw WorkerError("tmux \(args.first ?? "") failed: \(why.isEmpty ? "exit status \(out.status)" : why)")
        }
        return out.output
    }

    /// The same, for callers that take a failure as an answer (the session is gone).
    func attempt(_ args: [String]) -> Subprocess.Output {
        Subprocess.run(executable, [executable, "-S", socket, "-f", "/dev/null"] + args, environment: environment,
                       timeout: Self.commandTimeout)
    }

    /// A target naming exactly session `name` (tmux would otherwise take a unique prefix: the session of
    /// run 1 must never match run 12's).
    static func session(_ name: String) -> String { "=" + name }
    /// The session's (only) pane.
    static func pane(_ name: String) -> String { "=" + name + ":" }

    func killSession(_ name: String) {
        _ = attempt(["kill-session", "-t", Self.session(name)])
    }

    func hasSession(_ name: String) -> Bool {
        attempt(["has-session", "-t", Self.session(name)]).status == 0
    }

    /// A word for `sh -c`: single quotes, each `'` written as `'\''`.
    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
