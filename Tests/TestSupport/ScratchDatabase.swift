import Foundation
import Storage

/// A fresh database for one test — a SQLite file in a new folder, or a throw-away PostgreSQL database — as a
/// connection string, with the folder for any files the test writes. Both go away with this value.
public final class ScratchDatabase: @unchecked Sendable {
    public let url: String
    public let dir: URL
    private let postgres: ScratchPostgres?

    /// nil when PostgreSQL is asked for but not configured (an error when `AGENTMON_REQUIRE_PG=1`).
    /// - Parameters: name: what the tests are (for the folder, the database and the skip note).
    public init?(postgres: Bool, name: String) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard postgres else {
            url = dir.appendingPathComponent("\(name).db").path
            self.postgres = nil
            return
        }
        guard case .available(let pg) = try ScratchPostgres.make(prefix: "agentmon_\(name)_") else {
            try? FileManager.default.removeItem(at: dir)
            print("note: PostgreSQL \(name) tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)")
            return nil
        }
        url = pg.url
        self.postgres = pg
    }

    deinit { try? FileManager.default.removeItem(at: dir) }
}

extension ScratchDatabase {
    /// A new connection to this database (no migration).
    public func connect() throws -> Database { try DatabaseOpener.open(url) }
    /// A migrated store on a new connection.
    public func store() throws -> Store { try Store.open(url) }
    /// A file in the scratch folder.
    public func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    public var logDir: String { path("logs") }
}

/// Runs `body` against a fresh database; PostgreSQL without a configured server is a skip (noted once).
public func withScratchDatabase(postgres: Bool, name: String, _ body: (ScratchDatabase) throws -> Void) throws {
    guard let db = try ScratchDatabase(postgres: postgres, name: name) else { return }
    try body(db)
}

/// Starts `count` threads at once (each typically opening its own connection) and waits for all.
public func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for i in 0..<count {
        group.enter()
        let t = Thread {
            start.wait()
            body(i)
            group.leave()
        }
        t.stackSize = 1 << 20
        t.start()
    }
    for _ in 0..<count { start.signal() }
    group.wait()
}
