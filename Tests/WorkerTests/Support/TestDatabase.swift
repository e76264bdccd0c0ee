import Foundation
import TestSupport
import Testing
@testable import Storage

/// The backends the worker tests run against (as in StorageTests): SQLite always, PostgreSQL when
/// `AGENTMON_TEST_PG_URL` names a server (`AGENTMON_REQUIRE_PG=1` makes its absence a failure).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

struct SkipBackend: Error {}

/// A fresh database (temporary SQLite file or new PostgreSQL database) and a scratch folder for one test.
final class TestDatabase: @unchecked Sendable {
    let backend: Backend
    let url: String
    /// Scratch folder: log directory, side-effect files.
    let dir: URL
    private var cleanup: () -> Void = {}

    init(_ backend: Backend) throws {
        self.backend = backend
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-worker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            url = dir.appendingPathComponent("test.db").path
        case .postgres:
            guard case .available(let pg) = try ScratchPostgres.make(prefix: "agentmon_w_") else { throw SkipBackend() }
            url = pg.url
            cleanup = { _ = pg }  // keeps the database until this value goes away
        }
    }

    deinit {
        cleanup()
        try? FileManager.default.removeItem(at: dir)
    }

    func store() throws -> Store { try Store.open(url) }
    var logDir: String { dir.appendingPathComponent("logs").path }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}

/// Runs `body` against a fresh database of `backend`; PostgreSQL without a server is a skip.
func withDatabase(_ backend: Backend, _ body: (TestDatabase) throws -> Void) throws {
    let tdb: TestDatabase
    do { tdb = try TestDatabase(backend) } catch is SkipBackend {
        print("note: PostgreSQL worker tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)")
        return
    }
    try body(tdb)
}

/// Starts `count` threads at once and waits for all.
func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let t = Thread { body(i); group.leave() }
        t.stackSize = 1 << 20
        t.start()
    }
    group.wait()
}

/// A lock-protected box for results from threads.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func with<R>(_ f: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return f(&value) }
    var get: T { with { $0 } }
}

/// Polls `condition` every 20 ms for at most `timeout` seconds: tests wait for a state, never a guess.
@discardableResult
func waitUntil(_ timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
