import Foundation
@testable import Storage

/// A fresh database for one CLI test (SQLite file or a new PostgreSQL database), as a connection string.
enum CLIBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
}

final class CLIDatabase: @unchecked Sendable {
    let url: String
    let dir: URL
    private var dropName: String?
    private var adminURL: String?

    /// nil when PostgreSQL is not configured (and not required).
    init?(_ backend: CLIBackend) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            url = dir.appendingPathComponent("board.db").path
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["AGENTMON_TEST_PG_URL"], !base.isEmpty else {
                if ProcessInfo.processInfo.environment["AGENTMON_REQUIRE_PG"] == "1" {
                    throw StorageError.cannotOpen("AGENTMON_REQUIRE_PG=1 but AGENTMON_TEST_PG_URL is not set")
                }
                print("note: PostgreSQL CLI tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)")
                return nil
            }
            let name = "agentmon_c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let admin = try PostgresDatabase(connectionString: base)
            try admin.executeScript("CREATE DATABASE \(name)")
            admin.close()
            var comps = URLComponents(string: base)!
            comps.path = "/" + name
            url = comps.string!
            dropName = String(name); adminURL = base
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: dir)
        if let dropName, let adminURL, let admin = try? PostgresDatabase(connectionString: adminURL) {
            _ = try? admin.executeScript("DROP DATABASE IF EXISTS \(dropName) WITH (FORCE)")
            admin.close()
        }
    }

    func run(_ args: String...) throws -> CLIResult { try CLI.run(args, db: url) }
    func runArgs(_ args: [String]) throws -> CLIResult { try CLI.run(args, db: url) }
}
