import Foundation
import Storage

/// A throw-away PostgreSQL database on the server `scripts/test` starts (`AGENTMON_TEST_PG_URL`), dropped
/// when this value goes away. Shared by every test target that runs against PostgreSQL.
public final class ScratchPostgres: @unchecked Sendable {
    public let url: String
    private let name: String
    private let admin: String

    public enum Availability { case available(ScratchPostgres), notConfigured }

    /// `.notConfigured` when no server is configured; an error when `AGENTMON_REQUIRE_PG=1` demands one.
    public static func make(prefix: String) throws -> Availability {
        let env = ProcessInfo.processInfo.environment
        guard let base = env["AGENTMON_TEST_PG_URL"], !base.isEmpty else {
            if env["AGENTMON_REQUIRE_PG"] == "1" {
                throw StorageError.cannotOpen("AGENTMON_REQUIRE_PG=1 but AGENTMON_TEST_PG_URL is not set")
            }
            return .notConfigured
        }
        return .available(try ScratchPostgres(base: base, prefix: prefix))
    }

    private init(base: String, prefix: String) throws {
        name = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        admin = base
        let db = try PostgresDatabase(connectionString: base)
        defer { db.close() }
        try db.executeScript("CREATE DATABASE \(name)")
        var comps = URLComponents(string: base)!
        comps.path = "/" + name
        url = comps.string!
    }

    deinit {
        guard let db = try? PostgresDatabase(connectionString: admin) else { return }
        _ = try? db.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        db.close()
    }
}
