import Foundation
import Testing
import CLISupport
import Storage

@Suite("CLI: db commands") struct DBCommandTests {
    @Test("migrate, status --json, validate, rollback", arguments: CLIBackend.allCases)
    func lifecycle(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let dry = try db.run("db", "migrate", "--dry-run", "--limit", "2")
        #expect(dry.status == 0)
        #expect(dry.stdout.split(separator: "\n").map { String($0.prefix(15)) } == ["would apply 001", "would apply 002"])

        let status0 = try db.run("db", "status", "--json")
        #expect(status0.status == 0)
        let s0 = try #require(status0.json as? [String: Any])
        #expect((s0["applied"] as? [Any])?.isEmpty == true)
        let ids = Schema.migrations.map(\.id), last = ids.last!, beforeLast = ids.dropLast().last!
        #expect((s0["pending"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids)
        #expect(s0["dialect"] as? String == backend.rawValue)

        let migrate = try db.run("db", "migrate", "--limit", "3")
        #expect(migrate.status == 0)
        #expect(migrate.stdout.contains("applied 003"))
        #expect(!migrate.stdout.contains("004"))
        #expect(try db.run("db", "migrate").stdout.contains("applied \(last)"))

        let status = try #require(try db.run("db", "status", "--json").json as? [String: Any])
        let applied = try #require(status["applied"] as? [[String: Any]])
        #expect(applied.count == ids.count)
        #expect(status["current"] as? String == last)
        for a in applied {
            #expect((a["checksum"] as? String)?.count == 64)
            #expect(a["applied_at"] is String && a["execution_ms"] is NSNumber && a["description"] is String)
        }

        let validate = try db.run("db", "validate")
        #expect(validate.status == 0)
        #expect(validate.stdout.contains("\(ids.count) applied"))

        let rollback = try db.run("db", "rollback")
        #expect(rollback.status == 0 && rollback.stdout.contains("rolled back \(last)"))
        let after = try #require(try db.run("db", "status", "--json").json as? [String: Any])
        #expect(after["current"] as? String == beforeLast)
        #expect(try db.run("db", "migrate").status == 0)
    }

    @Test("an edited migration makes validate and every other command refuse, naming it", arguments: CLIBackend.allCases)
    func tamperedChecksum(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("task", "add", "--title", "first").status == 0)  // first use migrates
        let conn = try openRaw(db.url)
        try conn.execute("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE id = '003'")
        conn.close()
        for args in [["db", "validate"], ["task", "list"], ["task", "add", "--title", "x"], ["agent", "list"], ["db", "migrate"],
                     ["db", "rollback"], ["db", "status"]] {
            let r = try db.runArgs(args)
            #expect(r.status != 0, "\(args) must refuse")
            #expect(r.stderr.contains("migration 003"), "\(args): \(r.stderr)")
            #expect(r.stderr.contains("checksum differs"))
        }
    }

    @Test("a database newer than the binary is refused with a message that says so", arguments: CLIBackend.allCases)
    func newerDatabase(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("db", "migrate").status == 0)
        let conn = try openRaw(db.url)
        try conn.execute("INSERT INTO schema_migrations (id, description, checksum) VALUES ('099', 'future feature', 'abc')")
        conn.close()
        expectCleanError(try db.run("task", "list"), contains: "migration 099 (future feature) is applied in the database but unknown to this agentmon binary")
    }
}
