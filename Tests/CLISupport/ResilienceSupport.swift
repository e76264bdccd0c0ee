import Foundation
import Testing

/// A PostgreSQL server of the test's own (scripts/postgres-test-server), so that it can be restarted and
/// stopped without disturbing the other tests' shared server. nil when PostgreSQL is not configured.
public final class OwnPostgres: @unchecked Sendable {
    public let dir: String
    public let url: String

    public init?() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["AGENTMON_TEST_PG_URL"].map({ !$0.isEmpty }) == true || env["AGENTMON_REQUIRE_PG"] == "1" else { return nil }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-ownpg-\(UUID().uuidString.prefix(8))").path
        url = try Self.script("start", dir).trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("postgresql://") else { throw POSIXError(.EIO) }
    }

    deinit { _ = try? Self.script("stop", dir) }

    /// halt, resume or restart.
    public func control(_ command: String) throws { _ = try Self.script(command, dir) }

    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    private static func script(_ command: String, _ dir: String) throws -> String {
        try spawn([repository + "/scripts/postgres-test-server", command, dir], capture: true)
    }
}

/// Whether a process lives: not gone and not a zombie (PID 1 here may never reap an orphan).
public func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
    return state != "Z" && state != "X"
}

/// The pids a test agent wrote, one per start, in order.
public func startedPids(_ file: URL) -> [Int32] {
    ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
}
