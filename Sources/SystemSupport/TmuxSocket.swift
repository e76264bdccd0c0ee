// agentmon's own tmux server: the one socket path the worker (which hosts `tmux` runs there) and
// `agentmon exec attach` / the dashboard's `A` (which attach to them) agree on.
//
// Public API:
//   AppPaths.tmuxSocket(environment:)          — $AGENTMON_TMUX_SOCKET, else $XDG_RUNTIME_DIR/agentmon/tmux.sock,
//                                               else /tmp/agentmon-<uid>/tmux.sock
//   AppPaths.prepareTmuxSocketDirectory(_:)     — its folder, 0700 (tmux refuses a socket others could reach)
//
// A socket of its own keeps agentmon's sessions out of the user's `tmux ls` and the user's tmux.conf out
// of agentmon's server; the worker starts that server with `-f /dev/null`.

import Foundation

extension AppPaths {
    /// Set (an absolute path) to use another socket: tests give each case its own server.
    public static let tmuxSocketVariable = "AGENTMON_TMUX_SOCKET"

    public static func tmuxSocket(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        if let s = env[tmuxSocketVariable], s.hasPrefix("/") { return s }
        if let r = env["XDG_RUNTIME_DIR"], r.hasPrefix("/") { return r + "/agentmon/tmux.sock" }
        return "/tmp/agentmon-\(getuid())/tmux.sock"
    }

    /// Creates the socket's folder (each new level 0700) when missing; an existing one is left as it is.
    public static func prepareTmuxSocketDirectory(_ socket: String) throws(SystemError) {
        // URL's path arithmetic: NSString's traps on some short paths (Core's PathText says which).
        try Directories.create(URL(fileURLWithPath: socket).deletingLastPathComponent().path, mode: 0o700)
    }
}
