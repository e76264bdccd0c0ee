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

/// A fresh database (temporary SQLite file or new PostgreSQL database) and a scratch folder for one test:
/// log directory, side-effect files.
typealias TestDatabase = ScratchDatabase

/// Runs `body` against a fresh database of `backend`; PostgreSQL without a server is a skip.
func withDatabase(_ backend: Backend, _ body: (TestDatabase) throws -> Void) throws {
    try withScratchDatabase(postgres: backend == .postgres, name: "worker", body)
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
