import Foundation
import Testing
import CLISupport
import Core
import FuzzCorpus
@testable import Storage

/// The refusals of issue 9 through the real binary: exit status, one clean line, nothing changed or created.
@Suite("CLI: refusals") struct RefusalCLITests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-refuse-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    func scratch(_ name: String) throws -> URL {
        let u = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    @Test func anotherApplicationsDatabaseIsLeftByteForByte() throws {
        let path = dir.appendingPathComponent("firefox-places.sqlite").path
        let other = try SQLiteDatabase(path: path)  // the driver directly: no agentmon check, as another program
        try other.executeScript("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://x');")
        other.close()
        let before = SHA256.digest(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        for args in [["task", "list"], ["task", "add", "--title", "x"], ["db", "migrate"], ["db", "status"], ["import", "claude", dir.path]] {
            let r = try CLI.run(args, db: path)
            expectCleanError(r, contains: "\(path) is another application's database")
        }
        let after = SHA256.digest(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(after == before, "checksum unchanged")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == files, "no -wal or -shm left beside it")
    }

    @Test func anEmptyFileIsInitialised() throws {
        let path = dir.appendingPathComponent("empty.db").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let r = try CLI.run(["task", "add", "--title", "first", "--json"], db: path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.run(["task", "list"], db: path).stdout.contains("first"))
    }

    @Test(arguments: HostileStrings.badURLs.filter { !$0.isEmpty })
    func aURLOfAnotherSchemeCreatesNothing(_ url: String) throws {
        let cwd = try scratch("cwd-\(UUID().uuidString)")
        for r in [try CLI.run(["task", "list"], db: url, cwd: cwd), try CLI.run(["task", "list"], env: ["DATABASE_URL": url], cwd: cwd)] {
            expectCleanError(r, contains: "unsupported database URL scheme")
            #expect(r.stderr.contains("postgres://") && r.stderr.contains("postgresql://") && r.stderr.contains("key=value"))
            #expect(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"), "the password is never shown")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path).isEmpty, "no folder named after the URL")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/agentmon-fuzz.db"))
    }

    @Test func emptyDatabaseValuesAreErrors() throws {
        let cwd = try scratch("empty-\(UUID().uuidString)")
        let home = ["HOME": cwd.path, "XDG_DATA_HOME": cwd.appendingPathComponent("data").path]
        expectCleanError(try CLI.run(["--db", "", "task", "list"], env: home, cwd: cwd), contains: "--db is empty")
        expectCleanError(try CLI.run(["task", "list"], env: home.merging(["DATABASE_URL": ""]) { a, _ in a }, cwd: cwd),
                         contains: "DATABASE_URL is set but empty")
        #expect(!FileManager.default.fileExists(atPath: cwd.appendingPathComponent("data/agentmon").path), "no default database")
    }

    @Test func badDatesAreRefusedAndGoodOnesStoredExactly() throws {
        let db = dir.appendingPathComponent("dates.db").path
        for bad in ["2026-13-45", "2026-02-30", "2025-02-29", "2026-01-01T25:61", "2026-01-01T10:00+99:00"] {
            let r = try CLI.run(["task", "add", "--title", "x", "--due", bad], db: db)
            expectCleanError(r, contains: "--due '\(bad)' is not an ISO 8601 date; use YYYY-MM-DD")
        }
        expectCleanError(try CLI.run(["cost", "--since", "2026-02-30"], db: db), contains: "is not an ISO 8601 date")
        for (good, stored) in [("2024-02-29", "2024-02-29T00:00:00.000Z"), ("2026-12-01T17:00:00+02:00", "2026-12-01T15:00:00.000Z"),
                               ("2026-12-01T09:30-05:30", "2026-12-01T15:00:00.000Z")] {
            let r = try CLI.run(["task", "add", "--title", "x", "--due", good, "--json"], db: db)
            #expect(r.status == 0, "\(r.stderr)")
            #expect((r.json as? [String: Any])?["due_at"] as? String == stored)
        }
        #expect(try CLI.run(["task", "list", "--json"], db: db).json.map { ($0 as? [Any])?.count } == 3, "no refused task was stored")
    }

    @Test func numbersOutOfRangeSayTheRange() throws {
        let db = dir.appendingPathComponent("numbers.db").path
        expectCleanError(try CLI.run(["task", "add", "--title", "x", "--priority", "-1"], db: db), contains: "--priority must be 1 to 5")
        expectCleanError(try CLI.run(["task", "add", "--title", "x", "--priority", "7"], db: db), contains: "--priority must be 1 to 5")
        expectCleanError(try CLI.run(["exec", "list", "--limit", "-3"], db: db), contains: "--limit must be at least 1")
        #expect(try CLI.run(["task", "add", "--title", "x", "--priority", "5"], db: db).status == 0)
    }

    @Test(arguments: ["x\u{1B}]2;pwned\u{07}", "Bad", "a b", "a:b", "", "é", String(repeating: "a", count: 65), "x\u{9B}31m", "x\u{202E}y"])
    func hostileSlugsAreRefused(_ slug: String) throws {
        let db = dir.appendingPathComponent("slugs.db").path
        let r = try CLI.run(["agent", "add", "--slug", slug, "--name", "n", "--binary", "/bin/true"], db: db)
        expectCleanError(r, contains: slug.isEmpty ? "invalid agent slug" : "use 1 to 64 characters of a-z, 0-9")
        #expect(TerminalHazards.first(in: r.stderrBytes.map { $0 }) == nil, "\(r.stderr.debugDescription)")
        #expect(try CLI.run(["agent", "list", "--json"], db: db).json.map { ($0 as? [Any])?.count } == 0)
    }

    /// Root reads anything, so the unreadable cases run the binary as `nobody` when the tests run as root.
    var asUser: [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    @Test func unreadableImportsAreOneLineErrors() throws {
        try #require(getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
        let work = try scratch("import-\(UUID().uuidString)")
        chmod(dir.path, 0o755); chmod(work.path, 0o777)
        let db = work.appendingPathComponent("board.db").path
        let file = work.appendingPathComponent("secret.jsonl")
        try Data("{}\n".utf8).write(to: file)
        chmod(file.path, 0o000)
        let folder = work.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: folder.appendingPathComponent("a.jsonl"))
        chmod(folder.path, 0o000)
        defer { chmod(folder.path, 0o755) }
        let f = try CLI.run(["import", "claude", file.path], db: db, launcher: asUser)
        expectCleanError(f, contains: "cannot read \(file.path): Permission denied")
        let d = try CLI.run(["import", "codex", folder.path], db: db, launcher: asUser)
        expectCleanError(d, contains: "cannot read \(folder.path): Permission denied")
        #expect(!d.stdout.contains("imported"))
        // A locked folder inside a readable one is an error too, not a quiet skip.
        let nested = try CLI.run(["import", "codex", work.path], db: db, launcher: asUser)
        expectCleanError(nested, contains: "Permission denied")
    }
}
