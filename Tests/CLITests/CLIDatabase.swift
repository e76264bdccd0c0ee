import Foundation
import TestSupport
@testable import Storage

/// A fresh database for one CLI test (SQLite file or a new PostgreSQL database), as a connection string.
enum CLIBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
}

final class CLIDatabase: @unchecked Sendable {
    let url: String
    let dir: URL
    /// The PostgreSQL database, dropped with this value.
    private var scratch: ScratchPostgres?

    /// nil when PostgreSQL is not configured (and not required).
    init?(_ backend: CLIBackend) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            url = dir.appendingPathComponent("board.db").path
        case .postgres:
            guard case .available(let pg) = try ScratchPostgres.make(prefix: "agentmon_c_") else {
                print("note: PostgreSQL CLI tests skipped: AGENTMON_TEST_PG_URL is not set (run scripts/test)")
                return nil
            }
            url = pg.url
            scratch = pg
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func run(_ args: String...) throws -> CLIResult { try CLI.run(args, db: url) }
    func runArgs(_ args: [String]) throws -> CLIResult { try CLI.run(args, db: url) }
}
