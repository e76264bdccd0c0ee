import Foundation

/// The small interface both drivers implement. Repositories write SQL with `?` placeholders; the
/// PostgreSQL driver numbers them. A connection is used by one thread at a time.
public protocol Database: AnyObject {
    var dialect: SQLDialect { get }
    /// A description safe to print (never holds a password).
    var displayName: String { get }

    @discardableResult
    func execute(_ sql: String, _ params: [SQLValue]) throws -> Int
    /// `execute` with the parameters packed (`PackedParams`): SQLite binds the texts without copying them.
    @discardableResult
    func execute(_ sql: String, packed: PackedParams) throws -> Int
    func query(_ sql: String, _ params: [SQLValue]) throws -> [Row]
    /// Several statements separated by `;` without parameters (migrations).
    func executeScript(_ sql: String) throws
    /// Runs `body` in one transaction; `.immediate` takes SQLite's write lock at BEGIN (read-then-write).
    /// On PostgreSQL, a serialization failure or deadlock retries the body a few times.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T
    var inTransaction: Bool { get }
    /// A number that changes whenever another connection commits a change (cheap change detection).
    func changeToken() throws -> Int64
    /// NOTIFY payloads on `channel` since the last call (listening starts on the first), or nil when the
    /// driver has none (SQLite: poll `changeToken` instead).
    func notifications(on channel: String) throws -> [String]?
    /// A descriptor that becomes readable when a notification may have arrived, or -1.
    var wakeSocket: Int32 { get }
    /// Runs `body`, a long stretch of writes (an import), with what makes those fast on this driver.
    func bulkWriting<T>(_ body: () throws -> T) throws -> T
    func close()
}

public enum TransactionKind: Sendable { case deferred, immediate }

extension Database {
    @discardableResult
    public func execute(_ sql: String, _ params: SQLValue...) throws -> Int { try execute(sql, params) }
    public func query(_ sql: String, _ params: SQLValue...) throws -> [Row] { try query(sql, params) }
    public func queryOne(_ sql: String, _ params: [SQLValue]) throws -> Row? { try query(sql, params).first }
    public func queryOne(_ sql: String, _ params: SQLValue...) throws -> Row? { try query(sql, params).first }
    public func transaction<T>(_ body: () throws -> T) throws -> T { try transaction(.immediate, body) }
    /// A driver without notifications (a test double): poll `changeToken`.
    public func notifications(on channel: String) throws -> [String]? { nil }
    public var wakeSocket: Int32 { -1 }
    public func bulkWriting<T>(_ body: () throws -> T) throws -> T { try body() }
    @discardableResult
    public func execute(_ sql: String, packed: PackedParams) throws -> Int { try execute(sql, packed.values) }

    /// Inserts and returns the new row's integer id (`RETURNING id` works on both SQLite ≥3.35 and PostgreSQL).
    public func insert(_ sql: String, _ params: [SQLValue]) throws -> Int64 {
        guard let row = try queryOne(sql + " RETURNING id", params) else {
            throw StorageError.internalError("insert returned no id")
        }
        return row.int("id")
    }
}

public enum SQLDialect: String, Sendable {
    case sqlite, postgres

    /// Current time as stored: ISO text in SQLite, timestamptz in PostgreSQL.
    public var now: String {
        switch self {
        case .sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
        case .postgres: "now()"
        }
    }
    /// `now` minus a number of seconds bound as the next parameter.
    public var nowMinusSeconds: String {
        switch self {
        case .sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ','now', '-' || ? || ' seconds')"
        case .postgres: "(now() - make_interval(secs => ?::double precision))"
        }
    }
    /// Row lock hint for a claim's candidate select.
    public var skipLocked: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }
    public var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }
    /// Case-insensitive LIKE.
    public var ilike: String { self == .postgres ? "ILIKE" : "LIKE" }
}
