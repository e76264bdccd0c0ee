import Foundation
import Core
import Storage
import Testing
import TestSupport

/// The backends the demo is filled into: a temporary SQLite file, or a throw-away PostgreSQL database when
/// `AGENTMON_TEST_PG_URL` is set (`AGENTMON_REQUIRE_PG=1` makes its absence a failure).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }  // as scripts/test counts PostgreSQL cases
}

/// A fresh database and a folder for the demo's files, removed when this goes away.
final class DemoDatabase {
    private let scratch: ScratchDatabase
    var url: String { scratch.url }
    var folder: URL { scratch.dir }

    /// nil when PostgreSQL is asked for but not configured.
    init?(_ backend: Backend) throws {
        guard let s = try ScratchDatabase(postgres: backend == .postgres, name: "demo") else { return nil }
        scratch = s
    }

    func store() throws -> Store { try Store.open(url) }
}

/// What an import adds, summed over the whole database, to show that a second import changes nothing.
struct Totals: Equatable {
    var sessions = 0, messages = 0, toolCalls = 0, linked = 0
    var cost = 0.0
    init(_ store: Store) throws {
        let all = try store.sessions.list(limit: 10_000)
        sessions = all.count
        linked = all.filter { $0.taskId != nil }.count
        cost = all.map(\.costUsd).reduce(0, +)
        for s in all {
            messages += try store.messages.count(sessionId: s.id)
            toolCalls += try store.toolCalls.query(sessionId: s.id).count
        }
    }
}
