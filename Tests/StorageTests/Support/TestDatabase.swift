import Foundation
import Core
import Testing
import TestSupport
@testable import Storage

/// The backends every contract test runs against. PostgreSQL comes from `AGENTMON_TEST_PG_URL`, which
/// `scripts/test` sets after starting a throw-away server; without it the PostgreSQL cases are recorded as
/// skipped, unless `AGENTMON_REQUIRE_PG=1` (as in CI) makes that a failure.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["AGENTMON_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

struct SkipBackend: Error, CustomStringConvertible {
    var description: String { "PostgreSQL tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)" }
}

/// A fresh, empty database for one test: a temporary SQLite file, or a new PostgreSQL database.
final class TestDatabase: @unchecked Sendable {
    let backend: Backend
    /// Connection string of the fresh database (Sendable: threads open their own connections with it).
    let url: String
    private let cleanup: () -> Void

    init(_ backend: Backend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            url = dir.appendingPathComponent("test.db").path
            cleanup = { try? FileManager.default.removeItem(at: dir) }
        case .postgres:
            guard case .available(let pg) = try ScratchPostgres.make(prefix: "agentmon_t_") else { throw SkipBackend() }
            url = pg.url
            cleanup = { _ = pg }  // keeps the database until this value goes away
        }
    }

    deinit { cleanup() }

    /// A new connection to this database (no migration).
    func connect() throws -> Database { try DatabaseOpener.open(url) }

    /// A migrated store on a new connection.
    func store() throws -> Store { try Store.open(url) }

}

/// Runs `body` against a fresh database of `backend`; PostgreSQL without a server is a skip.
func withDatabase(_ backend: Backend, _ body: (TestDatabase) throws -> Void) throws {
    let tdb: TestDatabase
    do { tdb = try TestDatabase(backend) } catch is SkipBackend {
        print("note: \(SkipBackend())")
        return
    }
    try body(tdb)
}

/// Starts `count` threads at once (each typically opening its own connection) and waits for all.
func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
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

