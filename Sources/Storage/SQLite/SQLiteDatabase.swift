import Foundation
import CSQLite
import SystemSupport
import Core

/// A libsqlite3 connection: WAL, foreign keys on, a busy timeout, statements cached and finalized on close.
/// The file is created with mode 0600. One instance per thread.
public final class SQLiteDatabase: Database {
    public let dialect = SQLDialect.sqlite
    public let path: String
    public var displayName: String { "sqlite:\(path)" }
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Result column names per cached statement: building the name index for every query was a twentieth
    /// of an import.
    private var columnIndexes: [OpaquePointer: ColumnIndex] = [:]
    public private(set) var inTransaction = false

    /// - Parameters: readOnly: another program's database, read and never changed (not created, no pragmas set).
    public init(path: String, busyTimeoutMs: Int32 = 10_000, readOnly: Bool = false) throws {
        self.path = path
        _ = Self.configured
        if path != ":memory:" && !readOnly { try Self.prepareFile(path) }
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw StorageError.cannotOpen("cannot open database \(path): \(msg)")
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMs)
        sqlite3_extended_result_codes(db, 1)
        do {
            // Reading the schema proves the file is a database before anything writes to it.
            _ = try query("SELECT count(*) AS n FROM sqlite_master", [])
            if readOnly { return }
            // Switching a new file to WAL needs a moment alone with it: several processes opening the same new
            // database at once get SQLITE_BUSY here without the busy handler, so wait and try again.
            if path != ":memory:" {
                var attempt = 0
                while true {
                    do { _ = try query("PRAGMA journal_mode=WAL", []); break } catch StorageError.busy(let m) {
                        attempt += 1
                        if attempt > 200 { throw StorageError.busy(m) }
                        usleep(UInt32.random(in: 5_000...25_000))
                    }
                }
            }
            try execute("PRAGMA foreign_keys=ON", [])
            try execute("PRAGMA synchronous=NORMAL", [])
        } catch let e as StorageError {
            close()
            if case .sql(let m, _) = e, m.contains("not a database") || m.contains("malformed") {
                throw StorageError.notADatabase("\(path) is not an agentmon database (\(m))")
            }
            throw e
        }
    }

    deinit { close() }

    /// Process-wide settings made once, before the first connection: SQLite's allocation statistics off (each
    /// of its allocations took a global mutex for them: a twentieth of an import's writing thread).
    static let configured: Void = { _ = csqlite_no_memory_statistics() }()
    /// What SQLite counts as allocated: 0 when it keeps no statistics (tests).
    static var memoryCounted: Int64 { sqlite3_memory_used() }

    /// Creates the parent folder and an empty 0600 file, so the database is never world-readable.
    private static func prepareFile(_ path: String) throws {
        let fm = FileManager.default
        let dir = PathText.parent(of: path)
        if !dir.isEmpty && !fm.fileExists(atPath: dir) {
            do { try Directories.create(dir, mode: 0o700) } catch {
                throw StorageError.cannotOpen("cannot create folder \(error.path ?? dir): \(error.reason)")
            }
        }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw StorageError.cannotOpen("\(path) is a folder, not a database file") }
            return
        }
        let fd = open(path, O_CREAT | O_RDWR | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw StorageError.cannotOpen("cannot create database \(path): \(String(cString: strerror(errno)))")
        }
        Foundation.close(fd)
    }

    public func close() {
        for (_, s) in statements { sqlite3_finalize(s) }
        statements.removeAll()
        columnIndexes.removeAll()
        if let h = handle { sqlite3_close_v2(h) }
        handle = nil
    }

    private func error(_ rc: Int32, _ sql: String) -> StorageError {
        let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        switch rc & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy("database is busy (locked by another process): \(msg)")
        case SQLITE_CONSTRAINT: return .constraint(msg)
        case SQLITE_NOTADB: return .notADatabase("\(path) is not an agentmon database (\(msg))")
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR:
            return .cannotOpen("cannot write database \(path): \(msg)")
        default: return .sql(message: msg, sql: sql)
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        if let s = statements[sql] { return s }
        guard let handle else { throw StorageError.internalError("database is closed") }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        statements[sql] = stmt
        return stmt
    }

    /// A statement handed the wrong number of values is one error, not a bind out of range.
    private func checkCount(_ stmt: OpaquePointer, _ count: Int, _ sql: String) throws {
        let expected = Int(sqlite3_bind_parameter_count(stmt))
        guard expected == count else { throw StorageError.internalError("expected \(expected) parameters, got \(count): \(sql)") }
    }

    private func bind(_ stmt: OpaquePointer, _ params: [SQLValue], _ sql: String) throws {
        try checkCount(stmt, params.count, sql)
        for (i, p) in params.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch p {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case .int(let v): rc = sqlite3_bind_int64(stmt, idx, v)
            case .double(let d): rc = sqlite3_bind_double(stmt, idx, d)
            case .text(let s):
                // The string's own UTF-8 with its length (SQLite copies it): no C string made first.
                var t = s
                rc = t.withUTF8 { u in
                    u.withMemoryRebound(to: CChar.self) { c in
                        c.isEmpty ? sqlite3_bind_text(stmt, idx, "", 0, csqlite_transient())
                                  : sqlite3_bind_text(stmt, idx, c.baseAddress, Int32(c.count), csqlite_transient())
                    }
                }
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, idx, $0.baseAddress, Int32(b.count), csqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw error(rc, sql) }
        }
    }

    private func run(_ sql: String, _ params: [SQLValue], collect: Bool) throws -> [Row] {
        let stmt = try prepare(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, params, sql)
        var rows: [Row] = []
        var columns: ColumnIndex?
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql) }
            guard collect else { continue }
            let n = sqlite3_column_count(stmt)
            if columns == nil {
                if let known = columnIndexes[stmt], known.names.count == Int(n) { columns = known } else {
                    let c = ColumnIndex((0..<n).map { String(cString: sqlite3_column_name(stmt, $0)) })
                    columnIndexes[stmt] = c
                    columns = c
                }
            }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(n))
            for c in 0..<n {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: values.append(.double(sqlite3_column_double(stmt, c)))
                case SQLITE_TEXT:
                    // By its length, not up to a NUL: text with one in it comes back whole, as it was bound.
                    let n = Int(sqlite3_column_bytes(stmt, c))
                    values.append(.text(sqlite3_column_text(stmt, c).map { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) } ?? ""))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(stmt, c))
                    if let p = sqlite3_column_blob(stmt, c), count > 0 {
                        values.append(.blob(Array(UnsafeRawBufferPointer(start: p, count: count))))
                    } else { values.append(.blob([])) }
                default: values.append(.null)
                }
            }
            rows.append(Row(columns: columns!, values: values))
        }
        return rows
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue]) throws -> Int {
        _ = try run(sql, params, collect: false)
        return Int(sqlite3_changes(handle))
    }

    public func query(_ sql: String, _ params: [SQLValue]) throws -> [Row] {
        try run(sql, params, collect: true)
    }

    /// Texts and blobs bound from the packed buffer without a copy (`SQLITE_STATIC`, a nil destructor): the
    /// statement runs and its bindings are cleared while the buffer is held.
    @discardableResult
    public func execute(_ sql: String, packed: PackedParams) throws -> Int {
        let stmt = try prepare(sql)
        try checkCount(stmt, packed.count, sql)
        try packed.bytes.withUnsafeBufferPointer { buffer in
            defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
            let base = UnsafeRawPointer(buffer.baseAddress)
            for (i, slot) in packed.slots.enumerated() {
                let idx = Int32(i + 1)
                let rc: Int32
                switch slot {
                case .null: rc = sqlite3_bind_null(stmt, idx)
                case .int(let v): rc = sqlite3_bind_int64(stmt, idx, v)
                case .double(let d): rc = sqlite3_bind_double(stmt, idx, d)
                case .text(let start, let count):
                    rc = count == 0 || base == nil ? sqlite3_bind_text(stmt, idx, "", 0, csqlite_transient())
                        : sqlite3_bind_text(stmt, idx, base!.advanced(by: start).assumingMemoryBound(to: CChar.self), Int32(count), nil)
                case .blob(let start, let count):
                    rc = count == 0 || base == nil ? sqlite3_bind_zeroblob(stmt, idx, 0)
                        : sqlite3_bind_blob(stmt, idx, base!.advanced(by: start), Int32(count), nil)
                }
                guard rc == SQLITE_OK else { throw error(rc, sql) }
            }
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw error(rc, sql) }
            }
        }
        return Int(sqlite3_changes(handle))
    }

    public func executeScript(_ sql: String) throws {
        guard let handle else { throw StorageError.internalError("database is closed") }
        // A script may change the schema, and with it what `SELECT *` returns.
        if !columnIndexes.isEmpty, !["BEGIN", "COMMIT", "ROLLBACK"].contains(where: { sql.hasPrefix($0) }) { columnIndexes.removeAll() }
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(err)
            throw StorageError.sql(message: msg, sql: sql)
        }
    }

    public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }  // nested: join the outer transaction
        try executeScript(kind == .immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        inTransaction = true
        do {
            let result = try body()
            try executeScript("COMMIT")
            inTransaction = false
            return result
        } catch {
            try? executeScript("ROLLBACK")
            inTransaction = false
            throw error
        }
    }

    private var bulkDepth = 0

    /// A long stretch of writes: a 64 MB page cache (at 2 MB, index pages left the cache and were written to the
    /// log again and again: 440 MB written for a 28 MB transcript), statement journals in memory (a multi-row
    /// insert inside a transaction kept one in a temporary file: 64,000 small writes), and the log copied into
    /// the database beside the writing (`LogCheckpointer`). Nested calls join the outer one.
    public func bulkWriting<T>(_ body: () throws -> T) throws -> T {
        try bulkWriting(checkpointer: LogCheckpointer(path: path), body)
    }

    /// Checkpoints run beside the last bulk writing (tests).
    private(set) var lastBulkCheckpoints = 0

    func bulkWriting<T>(checkpointer: LogCheckpointer, _ body: () throws -> T) throws -> T {
        guard let handle, path != ":memory:", bulkDepth == 0 else { return try body() }
        let cachePages = try queryOne("PRAGMA cache_size")?.int("cache_size") ?? -2000
        try execute("PRAGMA cache_size = -65536", [])
        // Refused inside a transaction once the connection has a temporary database: then journals stay files.
        _ = try? execute("PRAGMA temp_store = MEMORY", [])
        let context = Unmanaged.passRetained(checkpointer)
        sqlite3_wal_hook(handle, { context, db, name, pages in
            // Without a thread of its own, the writer checkpoints as SQLite's own hook does.
            if !Unmanaged<LogCheckpointer>.fromOpaque(context!).takeUnretainedValue().committed(pages: pages) {
                _ = sqlite3_wal_checkpoint(db, name)
            }
            return SQLITE_OK
        }, context.toOpaque())
        bulkDepth += 1
        defer {
            bulkDepth -= 1
            sqlite3_wal_autocheckpoint(handle, 1000)  // SQLite's own hook again
            lastBulkCheckpoints = checkpointer.finish()
            context.release()
            _ = try? execute("PRAGMA temp_store = DEFAULT", [])
            _ = try? execute("PRAGMA cache_size = \(cachePages)", [])
        }
        return try body()
    }

    public func notifications(on channel: String) throws -> [String]? { nil }
    public var wakeSocket: Int32 { -1 }

    /// `PRAGMA data_version` changes when another connection commits (about 4 µs).
    public func changeToken() throws -> Int64 {
        try query("PRAGMA data_version", []).first?.int("data_version") ?? 0
    }
}
