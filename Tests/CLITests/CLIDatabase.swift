import Foundation
import TestSupport
@testable import Storage

/// A fresh database for one CLI test (SQLite file or a new PostgreSQL database), as a connection string.
enum CLIBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
}

final class CLIDatabase: @unchecked Sendable {
    private let scratch: ScratchDatabase
    var url: String { scratch.url }
    var dir: URL { scratch.dir }

    /// nil when PostgreSQL is not configured (and not required).
    init?(_ backend: CLIBackend) throws {
        guard let s = try ScratchDatabase(postgres: backend == .postgres, name: "cli") else { return nil }
        scratch = s
    }

    func run(_ args: String...) throws -> CLIResult { try CLI.run(args, db: url) }
    func runArgs(_ args: [String]) throws -> CLIResult { try CLI.run(args, db: url) }
}
