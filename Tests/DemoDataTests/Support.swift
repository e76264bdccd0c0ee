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
    let url: String
    let folder: URL
    private let keep: Any?

    /// nil when PostgreSQL is asked for but not configured.
    init?(_ backend: Backend) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            url = folder.appendingPathComponent("demo.db").path; keep = nil
        case .postgres:
            guard case .available(let pg) = try ScratchPostgres.make(prefix: "agentmon_demo_") else {
                try? FileManager.default.removeItem(at: folder)
                print("note: PostgreSQL demo tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)")
                return nil
            }
            url = pg.url; keep = pg
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

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
