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

/// A fresh, empty database for one test: a temporary SQLite file, or a new PostgreSQL database.
typealias TestDatabase = ScratchDatabase

/// Runs `body` against a fresh database of `backend`; PostgreSQL without a server is a skip.
func withDatabase(_ backend: Backend, _ body: (TestDatabase) throws -> Void) throws {
    try withScratchDatabase(postgres: backend == .postgres, name: "test", body)
}
