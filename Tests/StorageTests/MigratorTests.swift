import Foundation
import Core
import Testing
import TestSupport
@testable import Storage

@Suite("Migrator contract") struct MigratorTests {
    @Test("migrate, status, rollback, re-apply", arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            let m = Migrator(db)
            #expect(try m.summary().applied.isEmpty)
            #expect(try m.summary().pending.count == Schema.migrations.count)

            let dry = try m.migrate(dryRun: true, limit: 2)
            #expect(dry.map(\.id) == ["001", "002"])
            #expect(dry.allSatisfy { $0.dryRun })
            #expect(try m.summary().applied.isEmpty, "a dry run applies nothing")

            #expect(try m.migrate(limit: 2).map(\.id) == ["001", "002"])
            #expect(try m.summary().applied.map(\.id) == ["001", "002"])
            // Every id after the first two, in order: the list grows with each migration without editing this test.
            let ids = Schema.migrations.map(\.id)
            #expect(ids == ids.sorted() && ids.count >= 8 && ids.prefix(8) == ["001", "002", "003", "004", "005", "006", "007", "008"])
            #expect(try m.migrate().map(\.id) == Array(ids.dropFirst(2)))
            let applied = try m.applied()
            for a in applied {
                #expect(a.checksum == Schema.migrations.first { $0.id == a.id }!.checksum(db.dialect))
            }
            #expect(try m.validate().isEmpty)
            #expect(try m.migrate().isEmpty, "nothing left to apply")

            for id in ids.dropFirst(3).reversed() { #expect(try m.rollbackLast()?.id == id) }  // down to 003
            #expect(try m.summary().pending.map(\.id) == Array(ids.dropFirst(3)))
            // The rolled-back tables are really gone, the others kept.
            #expect(throws: StorageError.self) { try db.query("SELECT count(*) FROM settings") }
            _ = try db.query("SELECT count(*) AS n FROM sessions")
            #expect(try m.migrate().map(\.id) == Array(ids.dropFirst(3)))
            _ = try db.query("SELECT count(*) AS n FROM settings")
        }
    }

    @Test("every migration rolls back to an empty schema and re-applies", arguments: Backend.allCases)
    func fullRollback(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let m = Migrator(try tdb.connect())
            try m.migrate()
            var rolled: [String] = []
            while let step = try m.rollbackLast() { rolled.append(step.id) }
            #expect(rolled == Schema.migrations.map(\.id).reversed())
            #expect(try m.migrate().count == Schema.migrations.count)
        }
    }

    @Test("an edited migration is named and refused everywhere", arguments: Backend.allCases)
    func editedChecksum(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            try Migrator(db).migrate()
            try db.execute("UPDATE schema_migrations SET checksum = 'tampered' WHERE id = '002'")
            let problems = try Migrator(db).validate()
            #expect(problems == [.edited(id: "002", description: Schema.migrations[1].description)])
            let err = #expect(throws: StorageError.self) { try Store.open(tdb.url) }
            #expect("\(err!)".contains("migration 002"))
            #expect("\(err!)".contains("checksum differs"))
            #expect(throws: StorageError.self) { try Migrator(db).migrate() }
            #expect(throws: StorageError.self) { try Migrator(db).rollbackLast() }
        }
    }

    @Test("a database newer than the binary is refused", arguments: Backend.allCases)
    func unknownMigration(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            try Migrator(db).migrate()
            try db.execute("INSERT INTO schema_migrations (id, description, checksum) VALUES ('900', 'from the future', 'x')")
            let err = #expect(throws: StorageError.self) { try Store.open(tdb.url) }
            #expect("\(err!)".contains("900"))
            #expect("\(err!)".contains("unknown to this agentmon binary"))
        }
    }

    @Test("a migration missing in the middle is reported", arguments: Backend.allCases)
    func missingMigration(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            try Migrator(db).migrate()
            try db.execute("DELETE FROM schema_migrations WHERE id = '003'")
            #expect(try Migrator(db).validate() == [.missing(id: "003", description: Schema.migrations[2].description)])
        }
    }

    @Test("concurrent first opens migrate exactly once", arguments: Backend.allCases)
    func concurrentFirstUse(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let url = tdb.url
            let failures = Locked<[String]>([])
            runConcurrently(4) { _ in
                do { _ = try Store.open(url) } catch { failures.with { $0.append("\(error)") } }
            }
            #expect(failures.get.isEmpty)
            let applied = try Migrator(try tdb.connect()).applied()
            #expect(applied.count == Schema.migrations.count)
        }
    }

    @Test func checksumsDifferPerDialectAndAreStable() {
        let m = Schema.migrations[0]
        #expect(m.checksum(.sqlite) != m.checksum(.postgres))
        #expect(m.checksum(.sqlite) == Schema.migrations[0].checksum(.sqlite))
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
