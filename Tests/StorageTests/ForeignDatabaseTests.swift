import Foundation
import Testing
import CSQLite
@testable import Storage

/// The right database or none: another application's SQLite file is refused byte for byte unchanged, a URL of
/// another scheme creates nothing, an empty value is an error.
@Suite("Storage: the right database or none") struct ForeignDatabaseTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-foreign-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    /// A database written with the C API, as another application would; WAL mode when asked.
    func foreign(_ name: String, wal: Bool = false, sql: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        if wal { #expect(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nil, nil, nil) == SQLITE_OK) }
        #expect(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK)
        return path
    }

    func snapshot(_ path: String) throws -> (Data, [String]) {
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return (try Data(contentsOf: URL(fileURLWithPath: path)), siblings)
    }

    @Test(arguments: [
        ("app.db", false, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');"),
        ("wal.db", true, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');"),
        ("rails.db", false, "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101');"),
        ("lookalike.db", false, "CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, description TEXT, checksum TEXT); INSERT INTO schema_migrations VALUES ('20240101', 'other tool', 'x');"),
    ])
    func anotherApplicationsDatabaseIsRefusedUnchanged(_ name: String, _ wal: Bool, _ sql: String) throws {
        let path = try foreign(name, wal: wal, sql: sql)
        let before = try snapshot(path)
        #expect(throws: StorageError.notADatabase("\(path) is another application's database")) { try Store.open(path) }
        #expect(throws: StorageError.notADatabase("\(path) is another application's database")) { try DatabaseOpener.open(path) }
        let after = try snapshot(path)
        #expect(after.0 == before.0, "byte for byte unchanged")
        #expect(after.1 == before.1, "no -wal, -shm or journal file left beside it")
    }

    @Test func emptyAndTablelessFilesAreInitialised() throws {
        let empty = dir.appendingPathComponent("empty.db").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        try Store.open(empty).close()
        let tableless = try foreign("tableless.db", sql: "PRAGMA user_version = 3;")
        try Store.open(tableless).close()
        for p in [empty, tableless] {
            let s = try Store.open(p)
            #expect(try !Migrator(s.db).summary().applied.isEmpty, "\(p) holds agentmon's schema")
            s.close()
        }
    }

    @Test func agentmonsOwnDatabaseOpensAgain() throws {
        let path = dir.appendingPathComponent("board.db").path
        let s = try Store.open(path)
        _ = try s.tasks.create(.init(title: "kept"))
        s.close()
        let again = try Store.open(path)
        defer { again.close() }
        #expect(try again.tasks.list().map(\.title) == ["kept"])
    }

    @Test func aLiveDatabaseIsJudgedByItsWALToo() throws {
        // agentmon's own, just created by another process that still holds it: the schema may be in the WAL only.
        let ours = dir.appendingPathComponent("live.db").path
        let first = try Store.open(ours)
        _ = try first.tasks.create(.init(title: "in the WAL"))
        #expect(FileManager.default.fileExists(atPath: ours + "-wal"))
        let second = try Store.open(ours)
        #expect(try second.tasks.list().map(\.title) == ["in the WAL"])
        second.close(); first.close()

        // Another application's, open and writing: refused, its file left as it is.
        let path = dir.appendingPathComponent("live-foreign.db").path
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        #expect(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);", nil, nil, nil) == SQLITE_OK)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StorageError.notADatabase("\(path) is another application's database")) { try Store.open(path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFileThatIsNotSQLiteIsRefusedUnchanged() throws {
        let path = dir.appendingPathComponent("notes.txt").path
        let text = Data(String(repeating: "my notes\n", count: 100).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.self) { try Store.open(path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }

    @Test(arguments: ["mysql://user:s3cret@127.0.0.1/db", "http://example.com/x.db", "postgress://u:s3cret@h/db",
                      "file:///tmp/agentmon-never.db", "sqlite://x.db", "HTTPS://h/x", "git+ssh://u:s3cret@h/r"])
    func otherSchemesAreRefusedBeforeAnythingIsCreated(_ url: String) throws {
        // The working directory is the process's, shared by tests running in parallel: it stays put, and
        // the folder the old code made ("mysql:" for mysql://…) is looked for there. The CLI tests run the
        // binary in an empty folder.
        let folder = String(url.prefix { $0 != "/" })
        let existed = FileManager.default.fileExists(atPath: folder)
        do {
            _ = try Store.open(url)
            Issue.record("\(url) was accepted")
        } catch let e as StorageError {
            #expect(e.description.contains("unsupported database URL scheme"), "\(e)")
            #expect(e.description.contains("postgres://") && e.description.contains("key=value"))
            #expect(!e.description.contains("s3cret"), "the password is never shown")
        }
        #expect(FileManager.default.fileExists(atPath: folder) == existed, "no folder \(folder) was created")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/agentmon-never.db"))
    }

    @Test func supportedFormsStillChooseTheirDriver() throws {
        for ok in ["postgres://u@h/db", "postgresql://u@h/db", "POSTGRES://u@h/db", "host=h dbname=x", "/tmp/a.db", "a.db", "sqlite:a.db"] {
            try ConnectionString.check(ok)
        }
        #expect(ConnectionString.target(for: "POSTGRESQL://u@h/db") == .postgres("POSTGRESQL://u@h/db"))
    }

    @Test func emptyValuesAreErrors() {
        #expect(throws: StorageError.self) { try ConnectionString.resolve(flag: "", environment: [:]) }
        #expect(throws: StorageError.self) { try ConnectionString.resolve(flag: "  ", environment: [:]) }
        #expect(throws: StorageError.self) { try ConnectionString.resolve(flag: nil, environment: ["DATABASE_URL": "", "HOME": "/h"]) }
        #expect(throws: StorageError.self) { try ConnectionString.check("") }
        #expect((try? ConnectionString.resolve(flag: "x.db", environment: ["DATABASE_URL": ""])) == "x.db", "--db wins over an empty variable")
    }
}
