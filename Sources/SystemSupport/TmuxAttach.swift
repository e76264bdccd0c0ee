// Attaching the user's terminal to a session on agentmon's own tmux server (`agentmon exec attach`, the
// dashboard's `A`). The caller hands the terminal over (the dashboard leaves curses first) and gets it back
// when tmux's client exits: the user detached (prefix d) or the session ended.

import Foundation

public enum TmuxAttach {
    /// Runs `tmux -S SOCKET attach-session -t =NAME` on the caller's terminal and returns its exit status,
    /// or why it could not (tmux missing, no such session on this machine's server).
    public static func run(session: String, environment env: [String: String] = ProcessInfo.processInfo.environment) -> Result<Int32, AttachError> {
        let socket = AppPaths.tmuxSocket(environment: env)
        guard let tmux = Subprocess.find("tmux", searchPath: env["PATH"] ?? "/usr/bin:/bin") else {
            return .failure(AttachError("tmux was not found on PATH"))
        }
        // tmux refuses to attach from inside another tmux ($TMUX set); agentmon's server is another one,
        // on its own socket, so nesting is what the user asked for.
        var clientEnv = env
        clientEnv["TMUX"] = nil; clientEnv["TMUX_PANE"] = nil
        let target = "=" + session
        let has = Subprocess.run(tmux, [tmux, "-S", socket, "has-session", "-t", target], environment: clientEnv, timeout: 10)
        guard has.status == 0 else {
            return .failure(AttachError("session \(session) is not on this machine's agentmon tmux server (\(socket))"))
        }
        return .success(Subprocess.runInForeground(tmux, [tmux, "-S", socket, "attach-session", "-t", target], environment: clientEnv))
    }

    public struct AttachError: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }
}
