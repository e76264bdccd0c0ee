import Foundation
import CSQLite
import Core

/// The right database or none: before agentmon opens a SQLite file for writing (WAL mode, pragmas and
/// migrations all write), it looks at the file read-only and refuses one that belongs to another
/// application. Only a missing, empty (0-byte) or table-less file is taken as new.
public enum SQLiteFileCheck {
    /// Throws `StorageError.notADatabase` for a non-empty file that is not agentmon's; writes nothing.
    public static func requireAgentmonOrNew(_ path: String, migrationIds: Set<String> = Set(Schema.migrations.map(\.id))) throws {
        guard path != ":memory:" else { return }
        // Once per file and process, before this process holds a connection to it: closing the check's own
        // descriptor would drop every POSIX lock the process holds on the file (the classic fcntl pitfall),
        // and a connection that lost its WAL lock lets another process delete the WAL under it.
        let key = canonical(path)
        if checked.get.contains(key) { return }
        try check(path, migrationIds: migrationIds)
        checked.with { _ = $0.insert(key) }
    }

    private static let checked = Locked<Set<String>>([])

    /// The file's real path; for one not made yet, its folder's real path and its name.
    static func canonical(_ path: String) -> String {
        func real(_ p: String) -> String? { realpath(p, nil).map { r in defer { free(r) }; return String(cString: r) } }
        if let r = real(path) { return r }
        let dir = PathText.parent(of: path)
        return (real(dir.isEmpty ? "." : dir) ?? dir) + "/" + PathText.lastComponent(of: path)
    }

    private static func check(_ path: String, migrationIds: Set<String>) throws {
        var st = stat()
        // Missing: a new database. A folder or an unreadable file: SQLiteDatabase says why, as before.
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return }
        guard let header = FileHandle(forReadingAtPath: path).flatMap({ h in defer { try? h.close() }; return try? h.read(upToCount: 16) })
        else { return }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StorageError.notADatabase("\(path) is not an agentmon database (it is not a SQLite file)")
        }
        // A live WAL (another process is writing) may hold tables the main file does not show yet, or a
        // checkpoint may be under way: then ask through SQLite's locks, still read-only. Otherwise immutable.
        var wal = stat()
        let live = stat(path + "-wal", &wal) == 0 && wal.st_size > 0
        switch inspect(path, immutable: !live, migrationIds: migrationIds) {
        case .empty, .agentmon: return
        case .foreign: throw StorageError.notADatabase("\(path) is another application's database")
        case .unreadable: throw StorageError.notADatabase("\(path) is not an agentmon database (it cannot be read as SQLite)")
        }
    }

    enum Verdict { case empty, agentmon, foreign, unreadable }

    /// `immutable=1`: no lock, no journal, no -wal/-shm file is created, nothing is written. `mode=ro` alone
    /// reads a live WAL through its -shm index, and never writes the database file either.
    static func inspect(_ path: String, immutable: Bool, migrationIds: Set<String>) -> Verdict {
        _ = SQLiteDatabase.configured
        var db: OpaquePointer?
        let uri = (path.hasPrefix("/") ? "file://" : "file:") + encode(path) + (immutable ? "?mode=ro&immutable=1" : "?mode=ro")
        let rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
        defer { sqlite3_close_v2(db) }
        guard rc == SQLITE_OK, let db else { return .empty }  // let the real open report the reason
        if !immutable { sqlite3_busy_timeout(db, 5_000) }
        guard let tables = strings(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") else {
            return .unreadable
        }
        if tables.isEmpty { return .empty }
        guard tables.contains("schema_migrations") else { return .foreign }
        // Another tool's schema_migrations (Rails, golang-migrate…) has other columns or other ids.
        let columns = Set(strings(db, "SELECT name FROM pragma_table_info('schema_migrations')") ?? [])
        guard columns.isSuperset(of: ["id", "description", "checksum"]) else { return .foreign }
        let ids = strings(db, "SELECT id FROM schema_migrations") ?? []
        return ids.isEmpty || ids.contains(where: migrationIds.contains) ? .agentmon : .foreign
    }

    /// The first column of every row as text; nil when the statement fails.
    private static func strings(_ db: OpaquePointer, _ sql: String) -> [String]? {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else { return nil }
        defer { sqlite3_finalize(stmt) }
        var out: [String] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { return nil }
            out.append(sqlite3_column_text(stmt, 0).map { String(cString: $0) } ?? "")
        }
    }

    /// A path inside a `file:` URI: `%`, `?` and `#` would otherwise end or change it.
    static func encode(_ path: String) -> String {
        var out = ""
        for u in path.utf8 {
            switch u {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x20, 0x7F...:
                out += String(format: "%%%02X", u)
            default: out.unicodeScalars.append(Unicode.Scalar(u))
            }
        }
        return out
    }
}
