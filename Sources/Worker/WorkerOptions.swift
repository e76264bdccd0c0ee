import Foundation
import SystemSupport

/// How a worker runs: its identity, how many executions at once, and its timings. Defaults follow the
/// Agent Monitor design (heartbeat 30 s, stale after 120 s).
public struct WorkerOptions: Sendable {
    /// SQLite path or PostgreSQL URL; every thread of the worker opens its own connection with it.
    public var connection: String
    public var workerId: String
    public var concurrency: Int
    /// Drain what is claimable now, then exit.
    public var once: Bool
    public var pollInterval: Double
    public var heartbeatInterval: Double
    public var staleAfter: Double
    public var logDirectory: String
    /// The worker's environment: the allowlisted names are copied from here into a child's.
    public var environment: [String: String]
    /// Between SIGTERM and SIGKILL of a run's process group.
    public var killGrace: Double
    /// How often a running execution's status is read (to notice `cancelling` set by another process).
    public var statusCheckInterval: Double
    /// Log chunks go to the database at least this often, or when this many bytes are waiting.
    public var logFlushInterval: Double
    public var logFlushBytes: Int
    public var host: String
    /// The agentmon binary that runs of agents with MCP on start as their MCP server (`agentmon mcp`).
    public var agentmonBinary: String = MCPLaunchConfig.currentBinary()
    /// Activity lines (claimed, finished, reaped); nil for silence.
    public var log: (@Sendable (String) -> Void)?

    public init(connection: String, workerId: String? = nil, concurrency: Int = 4, once: Bool = false,
                pollInterval: Double = 1.0, heartbeatInterval: Double = 30, staleAfter: Double = 120,
                logDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                killGrace: Double = 3, statusCheckInterval: Double = 0.25, logFlushInterval: Double = 0.25,
                logFlushBytes: Int = 64 * 1024, log: (@Sendable (String) -> Void)? = nil) {
        let host = Self.hostName()
        self.connection = connection
        self.workerId = workerId ?? "\(host)-\(getpid())"
        self.concurrency = concurrency; self.once = once; self.pollInterval = pollInterval
        self.heartbeatInterval = heartbeatInterval; self.staleAfter = staleAfter
        // Absolute: the path is recorded on each execution and read by dashboards with another cwd.
        let dir = logDirectory ?? Self.defaultLogDirectory(environment: environment)
        self.logDirectory = dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir
        self.environment = environment; self.killGrace = killGrace; self.statusCheckInterval = statusCheckInterval
        self.logFlushInterval = logFlushInterval; self.logFlushBytes = logFlushBytes; self.host = host; self.log = log
    }

    /// Refuses settings that would make the worker misbehave (its own runs reaped, a busy loop).
    public func validate() throws {
        if workerId.isEmpty { throw WorkerError("--id must not be empty") }
        if concurrency < 1 { throw WorkerError("--concurrency must be at least 1") }
        if pollInterval <= 0 { throw WorkerError("--poll-interval must be positive") }
        if heartbeatInterval <= 0 { throw WorkerError("--heartbeat must be positive") }
        if staleAfter <= heartbeatInterval {
            throw WorkerError("--stale-after (\(Self.seconds(staleAfter))) must be longer than --heartbeat (\(Self.seconds(heartbeatInterval))), or the worker's own runs would look dead")
        }
    }

    /// `$XDG_DATA_HOME/agentmon/logs`, falling back to `~/.local/share` (the one XDG rule, `AppPaths`).
    public static func defaultLogDirectory(environment env: [String: String]) -> String {
        AppPaths.logsFolder(environment: env)
    }

    static func hostName() -> String { HostName.current() }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }
}

/// A worker problem a user can fix; `description` is one line.
public struct WorkerError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
