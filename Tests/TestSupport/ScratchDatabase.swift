import Foundation
import Storage

/// A fresh database for one test — a SQLite file in a new folder, or a throw-away PostgreSQL database — as a
/// connection string, with the folder for any files the test writes. Both go away with this value.
public final class ScratchDatabase: @unchecked Sendable {
    public let url: String
    public let folder: URL
    private let postgres: ScratchPostgres?

    /// nil when PostgreSQL is asked for but not configured (an error when `AGENTMON_REQUIRE_PG=1`).
    /// - Parameters: name: what the tests are (for the folder, the database and the skip note).
    public init?(postgres: Bool, name: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard postgres else {
            url = folder.appendingPathComponent("\(name).db").path
            self.postgres = nil
            return
        }
        guard case .available(let pg) = try ScratchPostgres.make(prefix: "agentmon_\(name)_") else {
            try? FileManager.default.removeItem(at: folder)
            print("note: PostgreSQL \(name) tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)")
            return nil
        }
        url = pg.url
        self.postgres = pg
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
