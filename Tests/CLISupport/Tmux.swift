import Foundation
import Testing

/// The real binary in a real terminal: a tmux server of our own (private socket), keys in with
/// send-keys, the screen out with capture-pane.
public final class Tmux: @unchecked Sendable {
    public let socket = "agentmon-test-\(UUID().uuidString.prefix(8))"
    public let session = "t"
    public let dir: URL

    public init(width: Int, height: Int, command: String, env: [String: String] = [:]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var vars = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_CONFIG_HOME": dir.appendingPathComponent("config").path,
                    "NO_COLOR": ""]
        // A home of its own: the dashboard's background sync reads the agents' folders under $HOME, never the real ones.
        let home = dir.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        vars["HOME"] = home.path
        vars.merge(env) { $1 }
        let exports = vars.filter { !$0.value.isEmpty }.map { "export \($0.key)=\(Self.quote($0.value));" }.joined(separator: " ")
        let script = dir.appendingPathComponent("run.sh")
        // After the program, the pane lingers a little so its last screen can be read, then ends by itself.
        try "#!/bin/sh\n\(exports)\nunset NO_COLOR\n\(command)\necho \"[exited $?]\"\nsleep 20\n".write(to: script, atomically: true, encoding: .utf8)
        // The server inherits the client's stdout: give it no pipe to hold open.
        _ = try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh " + Self.quote(script.path)],
                    capture: false)
        serverPid = Int32((try? run(["display-message", "-p", "-t", session, "#{pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        shellPid = Int32((try? run(["display-message", "-p", "-t", session, "#{pane_pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    private var serverPid: Int32 = 0
    private var shellPid: Int32 = 0

    /// Leaves nothing behind: the server, and the pane's process group (the shell and anything it started).
    deinit {
        _ = try? run(["kill-server"])
        if shellPid > 0 { kill(-shellPid, SIGKILL) }
        if serverPid > 0 { kill(serverPid, SIGKILL) }
        try? FileManager.default.removeItem(at: dir)
    }

    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    public func run(_ args: [String], capture: Bool = true) throws -> String {
        try spawn(["tmux", "-L", socket] + args, capture: capture)
    }

    public func send(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }
    public func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]) }
    public func resize(width: Int, height: Int) throws { try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"]) }
    public func panePid() throws -> Int32 { Int32(try run(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }

    /// Waits (bounded) until the screen satisfies `check`; records an issue with the screen if it never does.
    @discardableResult
    public func waitFor(_ what: String, within seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
                 _ check: (String) -> Bool) throws -> String {
        let end = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < end {
            last = try screen()
            if check(last) { return last }
            usleep(20_000)
        }
        Issue.record("screen never showed \(what):\n\(last)", sourceLocation: sourceLocation)
        return last
    }

    @discardableResult
    public func waitFor(text: String, within seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor("'\(text)'", within: seconds, sourceLocation: sourceLocation) { $0.contains(text) }
    }
}

/// The pid of the agentmon process that a pane's shell runs.
public func childPid(of parent: Int32) -> Int32? {
    guard let text = try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8) else { return nil }
    return text.split(separator: " ").compactMap { Int32($0) }.first
}

/// posix_spawn and waitpid, with stdout read to the end when `capture` (Foundation's Process can hang
/// waiting for a tmux client whose forked server lives on).
public func spawn(_ argv: [String], capture: Bool) throws -> String {
    var fds: [Int32] = [-1, -1]
    if capture { guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    if capture {
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    let cargs = argv.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT) }
    var output = [UInt8]()
    if capture {
        close(fds[1])
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n > 0 { output += buf[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        close(fds[0])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return String(decoding: output, as: UTF8.self)
}
