import Foundation
import TestSupport
@testable import Storage

/// A fresh database for one CLI test (SQLite file or a new PostgreSQL database), as a connection string.
public enum CLIBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }
}

public final class CLIDatabase: @unchecked Sendable {
    private let scratch: ScratchDatabase
    public var url: String { scratch.url }
    public var dir: URL { scratch.dir }

    /// nil when PostgreSQL is not configured (and not required).
    public init?(_ backend: CLIBackend) throws {
        guard let s = try ScratchDatabase(postgres: backend == .postgres, name: "cli") else { return nil }
        scratch = s
    }

    public func run(_ args: String...) throws -> CLIResult { try CLI.run(args, db: url) }
    public func runArgs(_ args: [String]) throws -> CLIResult { try CLI.run(args, db: url) }
}
