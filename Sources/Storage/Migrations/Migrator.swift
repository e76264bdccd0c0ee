import Foundation

/// Applies, reports, validates and rolls back `Schema.migrations`. Each migration runs in its own
/// transaction and is recorded with its checksum and duration. PostgreSQL runs hold an advisory lock so two
/// processes never migrate at once; SQLite's `BEGIN IMMEDIATE` serialises the same way.
public final class Migrator {
    public struct Applied: Sendable, Equatable {
        public let id: String
        public let description: String
        public let checksum: String
        public let appliedAt: Date
        public let executionMs: Int64
    }

    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        case edited(id: String, description: String)
        case missing(id: String, description: String)
        case unknown(id: String, description: String)

        public var description: String {
            switch self {
            case .edited(let id, let d): "migration \(id) (\(d)) was edited after it was applied: its checksum differs"
            case .missing(let id, let d): "migration \(id) (\(d)) is missing: later migrations are applied but it is not"
            case .unknown(let id, let d): "migration \(id) (\(d)) is applied in the database but unknown to this agentmon binary (the database is newer: upgrade agentmon)"
            }
        }
        public var id: String {
            switch self { case .edited(let id, _), .missing(let id, _), .unknown(let id, _): id }
        }
    }

    public struct Step: Sendable, Equatable {
        public let id: String
        public let description: String
        public let executionMs: Int64
        public let dryRun: Bool
    }

    public struct Summary: Sendable {
        public let applied: [Applied]
        public let pending: [Migration]
        public let problems: [Problem]
        public var current: String? { applied.last?.id }
    }

    let db: Database
    let migrations: [Migration]
    static let advisoryLockKey: Int64 = 0x6167_656e_746d_6f6e & 0x7fff_ffff_ffff_ffff  // "agentmon"

    public init(_ db: Database, migrations: [Migration] = Schema.migrations) {
        self.db = db
        self.migrations = migrations
    }

    private func ensureTable() throws {
        try db.executeScript(DialectSQL.expand("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT PRIMARY KEY,
                description TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at {TS} NOT NULL DEFAULT {NOW},
                execution_ms {BIGINT} NOT NULL DEFAULT 0
            )
            """, for: db.dialect))
    }

    private func tableExists() throws -> Bool {
        let sql = db.dialect == .sqlite
            ? "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            : "SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
        return try db.queryOne(sql, [])?.int("n") ?? 0 > 0
    }

    public func applied() throws -> [Applied] {
        guard try tableExists() else { return [] }
        return try db.query("SELECT id, description, checksum, applied_at, execution_ms FROM schema_migrations ORDER BY id")
            .map { Applied(id: $0.string("id"), description: $0.string("description"), checksum: $0.string("checksum"),
                           appliedAt: $0.date("applied_at"), executionMs: $0.int("execution_ms")) }
    }

    public func summary() throws -> Summary {
        let done = try applied()
        let doneIds = Set(done.map(\.id))
        return Summary(applied: done, pending: migrations.filter { !doneIds.contains($0.id) },
                       problems: problems(applied: done))
    }

    /// Every edited, missing or unknown migration, in id order.
    public func validate() throws -> [Problem] { try problems(applied: applied()) }

    private func problems(applied done: [Applied]) -> [Problem] {
        var problems: [Problem] = []
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.id, $0) })
        let doneIds = Set(done.map(\.id))
        for a in done {
            if let m = known[a.id] {
                if m.checksum(db.dialect) != a.checksum { problems.append(.edited(id: a.id, description: m.description)) }
            } else {
                problems.append(.unknown(id: a.id, description: a.description))
            }
        }
        if let lastApplied = done.map(\.id).max() {
            for m in migrations where !doneIds.contains(m.id) && m.id < lastApplied {
                problems.append(.missing(id: m.id, description: m.description))
            }
        }
        return problems.sorted { $0.id < $1.id }
    }

    /// Throws when validation finds a problem; the message names each migration.
    public func requireValid() throws {
        let problems = try validate()
        guard problems.isEmpty else {
            throw StorageError.migration("refusing to use \(db.displayName): " + problems.map(\.description).joined(separator: "; "))
        }
    }

    /// Applies pending migrations in order (at most `limit`); a dry run reports what would run.
    @discardableResult
    public func migrate(dryRun: Bool = false, limit: Int? = nil) throws -> [Step] {
        try withLock {
            try ensureTable()
            try requireValid()
            var pending = try summary().pending
            if let limit { pending = Array(pending.prefix(max(0, limit))) }
            if dryRun { return pending.map { Step(id: $0.id, description: $0.description, executionMs: 0, dryRun: true) } }
            var steps: [Step] = []
            for m in pending {
                let start = DispatchTime.now().uptimeNanoseconds
                try db.transaction(.immediate) {
                    // Another process may have applied it while we waited for the lock.
                    if try db.queryOne("SELECT id FROM schema_migrations WHERE id = ?", .text(m.id)) != nil { return }
                    do { try db.executeScript(m.up(db.dialect)) } catch {
                        throw StorageError.migration("migration \(m.id) (\(m.description)) failed: \(error)")
                    }
                    let ms = Int64((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                    try db.execute("INSERT INTO schema_migrations (id, description, checksum, execution_ms) VALUES (?, ?, ?, ?)",
                                   .text(m.id), .text(m.description), .text(m.checksum(db.dialect)), .int(ms))
                }
                steps.append(Step(id: m.id, description: m.description,
                                  executionMs: Int64((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000), dryRun: false))
            }
            return steps
        }
    }

    /// Rolls back the most recently applied migration; nil when none is applied.
    @discardableResult
    public func rollbackLast() throws -> Step? {
        try withLock {
            try requireValid()
            guard let last = try applied().last, let m = migrations.first(where: { $0.id == last.id }) else { return nil }
            let start = DispatchTime.now().uptimeNanoseconds
            try db.transaction(.immediate) {
                do { try db.executeScript(m.down(db.dialect)) } catch {
                    throw StorageError.migration("rollback of migration \(m.id) (\(m.description)) failed: \(error)")
                }
                try db.execute("DELETE FROM schema_migrations WHERE id = ?", .text(m.id))
            }
            return Step(id: m.id, description: m.description,
                        executionMs: Int64((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000), dryRun: false)
        }
    }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        guard db.dialect == .postgres else { return try body() }
        try db.execute("SELECT pg_advisory_lock(?)", .int(Self.advisoryLockKey))
        defer { _ = try? db.execute("SELECT pg_advisory_unlock(?)", .int(Self.advisoryLockKey)) }
        return try body()
    }
}
