import Foundation
import Testing
import TestSupport
@testable import Storage

/// `SQLiteDatabase.bulkWriting`: the log copied into the database beside a long writing, bounded, emptied at the
/// end, and everything put back as it was.
@Suite("Bulk writing") struct BulkWritingTests {
    /// A page and a bit per row: a stretch of `rows` rows adds about that many pages to the log.
    static let body = String(repeating: "x", count: 4500)

    static func open(_ s: ScratchDatabase) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: s.url)
        try db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        return db
    }

    static func stretch(_ db: SQLiteDatabase, rows: Int) throws {
        try db.transaction(.immediate) {
            for _ in 0..<rows { try db.execute("INSERT INTO t (body) VALUES (?)", [.text(body)]) }
        }
    }

    static func logBytes(_ s: ScratchDatabase) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: s.url + "-wal")[.size] as? Int) ?? 0
    }

    static func pragma(_ db: SQLiteDatabase, _ name: String) throws -> Int64 {
        try db.queryOne("PRAGMA \(name)")?.int(name) ?? -1
    }

    @Test func theLogIsCopiedBesideTheWritingAndEmptiedAtTheEnd() throws {
        try withScratchDatabase(postgres: false, name: "bulk") { s in
            let db = try Self.open(s)
            defer { db.close() }
            let cache = try Self.pragma(db, "cache_size"), temp = try Self.pragma(db, "temp_store")
            try db.bulkWriting {
                #expect(try Self.pragma(db, "cache_size") == -65536)
                #expect(try Self.pragma(db, "temp_store") == 2)  // statement journals in memory
                for _ in 0..<6 { try Self.stretch(db, rows: 800) }
            }
            #expect(db.lastBulkCheckpoints >= 2)  // beside the writing, not only the last
            #expect(Self.logBytes(s) == 0)  // nobody reads: the last checkpoint emptied the file
            #expect(try db.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 4800)
            #expect(try db.queryOne("PRAGMA integrity_check")?.string("integrity_check") == "ok")
            #expect(try Self.pragma(db, "cache_size") == cache)
            #expect(try Self.pragma(db, "temp_store") == temp)
            // SQLite's own checkpoint is back: stretches of 1,500 pages each start the log over.
            for _ in 0..<4 { try Self.stretch(db, rows: 1500) }
            #expect(Self.logBytes(s) < 2 * 2000 * 4200)
        }
    }

    @Test func theLogStaysBoundedWhileTheWritingGoesOn() throws {
        try withScratchDatabase(postgres: false, name: "bulk") { s in
            let db = try Self.open(s)
            defer { db.close() }
            var largest = 0
            try db.bulkWriting(checkpointer: LogCheckpointer(path: s.url, startPages: 10, maxPages: 300)) {
                for _ in 0..<30 {
                    try Self.stretch(db, rows: 100)
                    largest = max(largest, Self.logBytes(s))
                }
            }
            // Without the bound the log holds all 3,000-odd pages: the next stretch always starts before the
            // checkpoint beside it ends, so SQLite never starts the log over.
            #expect(largest < 500 * 4200, "log grew to \(largest) bytes")
            #expect(try db.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 3000)
        }
    }

    @Test func withoutItsOwnConnectionTheWriterCheckpointsAsSQLiteWould() throws {
        try withScratchDatabase(postgres: false, name: "bulk") { s in
            let db = try Self.open(s)
            defer { db.close() }
            var largest = 0
            // A checkpointer that cannot open its connection (here: no such file; for real, no descriptor left).
            try db.bulkWriting(checkpointer: LogCheckpointer(path: s.path("gone/none.db"))) {
                for _ in 0..<6 {
                    try Self.stretch(db, rows: 1000)
                    largest = max(largest, Self.logBytes(s))
                }
            }
            #expect(db.lastBulkCheckpoints == 0)
            // Each stretch of some 1,250 pages is copied by the writer at its commit, and the next starts the log
            // over; nobody copying would leave all 7,500 pages in it.
            #expect(largest < 2 * 1400 * 4200, "log grew to \(largest) bytes")
            #expect(try db.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 6000)
        }
    }

    @Test func aReaderHoldingAnOldSnapshotDoesNotStopTheWriting() throws {
        try withScratchDatabase(postgres: false, name: "bulk") { s in
            let db = try Self.open(s)
            defer { db.close() }
            try Self.stretch(db, rows: 5)
            let reader = try SQLiteDatabase(path: s.url)
            defer { reader.close() }
            try reader.executeScript("BEGIN")
            #expect(try reader.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 5)
            // The checkpoints cannot copy past the reader's snapshot; commits over the bound still go on.
            try db.bulkWriting(checkpointer: LogCheckpointer(path: s.url, startPages: 10, maxPages: 100)) {
                for _ in 0..<8 { try Self.stretch(db, rows: 100) }
            }
            #expect(try reader.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 5)
            try reader.executeScript("COMMIT")
            #expect(try reader.queryOne("SELECT count(*) AS n FROM t")?.int("n") == 805)
            #expect(Self.logBytes(s) > 0)  // it could not be emptied while the reader read
        }
    }

    @Test func aFailedWritingPutsEverythingBackAndNestedOnesJoin() throws {
        try withScratchDatabase(postgres: false, name: "bulk") { s in
            let db = try Self.open(s)
            defer { db.close() }
            struct Stop: Error {}
            let cache = try Self.pragma(db, "cache_size"), temp = try Self.pragma(db, "temp_store")
            var inner: Int64 = 0, after: Int64 = 0, stopped = false
            do {
                try db.bulkWriting {
                    try db.bulkWriting { inner = try Self.pragma(db, "cache_size") }
                    after = try Self.pragma(db, "cache_size")
                    try Self.stretch(db, rows: 1200)
                    throw Stop()
                }
            } catch is Stop { stopped = true }
            #expect(stopped)
            #expect(inner == -65536 && after == -65536)  // the inner one joined, and did not put it back
            #expect(try Self.pragma(db, "cache_size") == cache)
            #expect(try Self.pragma(db, "temp_store") == temp)
            #expect(Self.logBytes(s) == 0)
            // SQLite keeps no allocation statistics (each allocation took a process-wide mutex for them).
            #expect(SQLiteDatabase.memoryCounted == 0)
            // A memory database has no log: the body just runs.
            let memory = try SQLiteDatabase(path: ":memory:")
            #expect(try memory.bulkWriting { 7 } == 7)
        }
    }
}
