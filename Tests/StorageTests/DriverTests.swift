import Foundation
import Testing
import Core
@testable import Storage

@Suite("Drivers") struct DriverTests {
    @Test func timesRoundTripInBothFormats() throws {
        let d = Date(timeIntervalSince1970: 1_795_000_000.123)
        let s = SQLTime.format(d)
        #expect(s == "2026-11-18T11:06:40.123Z")
        #expect(abs(SQLTime.parse(s)!.timeIntervalSince1970 - d.timeIntervalSince1970) < 0.0005)
        // PostgreSQL's text output with the session in UTC, and with an offset.
        #expect(abs(SQLTime.parse("2026-11-18 11:06:40.123+00")!.timeIntervalSince1970 - d.timeIntervalSince1970) < 0.0005)
        #expect(SQLTime.parse("2026-11-18 12:06:40.123+01:00")!.timeIntervalSince1970.rounded() == d.timeIntervalSince1970.rounded())
        #expect(SQLTime.parse("2026-12-01") != nil)
        #expect(SQLTime.parse("next tuesday") == nil)
        #expect(SQLTime.parse("2026-13") == nil)
    }

    /// Packed parameters (the import's multi-row inserts) store exactly what the same values one by one store:
    /// empty and long texts, a NUL inside one, any script, blobs, nulls, extremes; on SQLite a count that does
    /// not match is one error, not a bind out of range.
    @Test("packed parameters store what the same values store", arguments: Backend.allCases)
    func packedParameters(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            defer { db.close() }
            try db.executeScript("CREATE TABLE p (k BIGINT, t TEXT, b \(db.dialect == .sqlite ? "BLOB" : "BYTEA"), d DOUBLE PRECISION, n BIGINT)")
            let texts = ["", "plain", "a\u{0}b", "日本語 🎉 e\u{301}", "\u{1B}]0;x\u{7}", String(repeating: "long ", count: 50_000)]
            var packed = PackedParams()
            var plain: [SQLValue] = []
            for (i, t) in texts.enumerated() {
                let rest: [SQLValue] = [.text(t), .blob(i == 0 ? [] : [0, 255, UInt8(i)]), .double(i == 1 ? -0.5 : 1e300),
                                        i == 2 ? .null : .int(Int64.min + Int64(i))]
                for v in [.int(Int64(i))] + rest { packed.append(v) }
                plain += [.int(Int64(i + 100))] + rest
            }
            let sql = "INSERT INTO p (k, t, b, d, n) VALUES " + Array(repeating: "(?, ?, ?, ?, ?)", count: texts.count).joined(separator: ", ")
            #expect(try db.execute(sql, packed: packed) == texts.count)
            #expect(try db.execute(sql, plain) == texts.count)
            let rows = try db.query("SELECT k, t, b, d, n FROM p ORDER BY k")
            for i in texts.indices {
                let a = rows[i], b = rows[i + texts.count]
                // PostgreSQL's text holds no NUL: the driver writes U+FFFD, the same both ways.
                #expect(a.string("t") == b.string("t") && a.string("t").count == (backend == .sqlite || i != 2 ? texts[i].count : 3))
                #expect(a.values[2] == b.values[2] && a.values[3] == b.values[3] && a.values[4] == b.values[4], "row \(i)")
            }
            #expect(try db.queryOne("SELECT count(*) AS n FROM p")?.int("n") == Int64(2 * texts.count))
            if backend == .sqlite {  // (PostgreSQL's server refuses a wrong count itself)
                #expect(throws: StorageError.self) { try db.execute("INSERT INTO p (k) VALUES (?)", packed: packed) }
            }
        }
    }

    @Test func connectionStringsChooseTheDriverAndHidePasswords() throws {
        #expect(ConnectionString.target(for: "postgres://u@h/db") == .postgres("postgres://u@h/db"))
        #expect(ConnectionString.target(for: "host=localhost dbname=x") == .postgres("host=localhost dbname=x"))
        #expect(ConnectionString.target(for: "/tmp/a.db") == .sqlite(path: "/tmp/a.db"))
        #expect(ConnectionString.target(for: "my=file.db") == .sqlite(path: "my=file.db"))
        #expect(ConnectionString.redacted("postgresql://alice:s3cr3t@db:5432/x?sslmode=require") == "postgresql://alice:***@db:5432/x?sslmode=require")
        #expect(ConnectionString.redacted("host=db password=s3cr3t user=a") == "host=db password=*** user=a")
        #expect(ConnectionString.redacted("postgres://db/x?password=s3cr3t&sslmode=disable") == "postgres://db/x?password=***&sslmode=disable")
        #expect(try ConnectionString.resolve(flag: nil, environment: ["DATABASE_URL": "postgres://x"]) == "postgres://x")
        #expect(try ConnectionString.resolve(flag: "f.db", environment: ["DATABASE_URL": "postgres://x"]) == "f.db")
        #expect(try ConnectionString.resolve(flag: nil, environment: ["XDG_DATA_HOME": "/d"]) == "/d/agentmon/agentmon.db")
        #expect(try ConnectionString.resolve(flag: nil, environment: ["HOME": "/home/u"]) == "/home/u/.local/share/agentmon/agentmon.db")
    }

    @Test func postgresPlaceholdersSkipQuotedText() {
        #expect(PostgresDatabase.numberPlaceholders("SELECT ? , '?' , \"a?\" , ?") == "SELECT $1 , '?' , \"a?\" , $2")
        #expect(PostgresDatabase.decodeBytea("\\x00ff1b") == [0, 255, 27])
    }

    @Test("change tokens move when another connection commits", arguments: Backend.allCases)
    func changeDetection(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let reader = try tdb.store(), writer = try tdb.store()
            let t0 = try reader.db.changeToken()
            #expect(try reader.db.changeToken() == t0, "no change, same token")
            try writer.makeTask("new")
            var moved = false
            for _ in 0..<50 where !moved {  // a NOTIFY arrives asynchronously; bounded wait, not a timing assert
                if try reader.db.changeToken() != t0 { moved = true } else { usleep(10_000) }
            }
            #expect(moved)
        }
    }

    /// PostgreSQL counts changes in rows that become visible at commit (migration 009), not by NOTIFY: a
    /// reader must see nothing before the commit (or it would reload too early and miss the change) and
    /// something after it, for a claim and a finish as for any write.
    @Test("the token moves when a transaction commits, not before; claims and finishes move it", arguments: Backend.allCases)
    func changeDetectionAtCommit(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let reader = try tdb.store(), writer = try tdb.store()
            let cap = try writer.makeCapability(try writer.makeAgent("git", maxConcurrent: 5))
            let task = try writer.makeTask("t")
            let e = try writer.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            func moves(_ what: String, _ change: () throws -> Void) throws {
                let before = try reader.db.changeToken()
                try change()
                var moved = false
                for _ in 0..<50 where !moved {
                    if try reader.db.changeToken() != before { moved = true } else { usleep(10_000) }
                }
                #expect(moved, "\(what) moves the token")
            }
            try moves("a transaction of two writes") {
                try writer.db.transaction {
                    let t0 = try reader.db.changeToken()
                    _ = try writer.tasks.update(task.id, TaskPatch(title: "t2"))
                    _ = try writer.makeTask("u")
                    #expect(try reader.db.changeToken() == t0, "nothing is seen before the commit")
                }
            }
            var run: Execution?
            try moves("a claim") { run = try writer.executions.claim(workerId: "w") }
            #expect(run?.id == e.id)
            try moves("a finish") { try writer.executions.finish(e.id, workerId: "w", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil) }
        }
    }

    @Test("text with NUL and any bytes in blobs survive", arguments: Backend.allCases)
    func awkwardValues(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let t = try s.makeTask("tab\there ☃ \u{1B}[31m 😀 'quote' \"dq\" ?")
            #expect(try s.tasks.get(t.id).title == "tab\there ☃ \u{1B}[31m 😀 'quote' \"dq\" ?")
        }
    }

    @Test("every kind of parameter survives, thousands in one statement; a statement's columns follow a schema change", arguments: Backend.allCases)
    func hostileParameters(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            try db.executeScript("CREATE TABLE p (i BIGINT, d DOUBLE PRECISION, t TEXT, b \(db.dialect == .postgres ? "BYTEA" : "BLOB"))")
            let big = String(repeating: "é\u{1B}[2J😀", count: 200_000)  // 2.4 MB of text that is not ASCII
            let blob = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let rows: [[SQLValue]] = [
                [.int(.min), .double(-0.0), .text(""), .blob([])],
                [.int(.max), .double(1e308), .text("a\u{0}b"), .blob(blob)],
                [.null, .null, .text(big), .null],
            ]
            for r in rows { try db.execute("INSERT INTO p (i, d, t, b) VALUES (?, ?, ?, ?)", r) }
            let back = try db.query("SELECT i, d, t, b FROM p ORDER BY i NULLS LAST", [])
            #expect(back.count == 3)
            #expect(back[0].optInt("i") == .min && back[0].string("t") == "" && back[0].bytes("b").isEmpty)
            #expect(back[1].optInt("i") == .max && back[1].double("d") == 1e308 && back[1].bytes("b") == blob)
            // NUL cannot travel in PostgreSQL text: it is made visible there, kept by SQLite; never a cut value.
            #expect(back[1].string("t") == (db.dialect == .postgres ? "a\u{FFFD}b" : "a\u{0}b"))
            #expect(back[2].optInt("i") == nil && back[2].optDouble("d") == nil && back[2].string("t") == big)
            // One statement with 4,000 parameters (the importer's multi-row inserts send up to 4,608).
            let n = 1_000
            let values = Array(repeating: "(?, ?, ?, ?)", count: n).joined(separator: ", ")
            try db.execute("INSERT INTO p (i, d, t, b) VALUES " + values, (0..<n).flatMap { [.int(Int64($0)), .double(Double($0)), .text("r\($0)"), .blob([UInt8($0 % 256)])] as [SQLValue] })
            #expect(try db.query("SELECT count(*) AS n FROM p", []).first?.int("n") == Int64(n + 3))
            // The same text before and after a column is added: the result has the new column.
            let sql = "SELECT * FROM p WHERE i = ?"
            #expect(try db.query(sql, [.int(7)]).first?.has("extra") == false)
            try db.executeScript("ALTER TABLE p ADD COLUMN extra TEXT")
            let after = try db.query(sql, [.int(7)]).first
            #expect(after?.has("extra") == true && after?.string("t") == "r7")
        }
    }

    @Test("thousands of distinct statements on one connection, then more inside a transaction, all answer", arguments: Backend.allCases)
    func manyDistinctStatements(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let db = try tdb.connect()
            for k in 0..<2_100 {  // past the PostgreSQL driver's 500 prepared statements and its 2,000 kept texts
                #expect(try db.query("SELECT ? + \(k) AS n", [.int(1)]).first?.int("n") == Int64(1 + k))
            }
            let inside: [Int64] = try db.transaction(.immediate) {
                try (5_000..<5_010).map { k in try db.query("SELECT ? + \(k) AS n", [.int(2)]).first?.int("n") ?? -1 }
                    + [try db.query("SELECT ? + 3 AS n", [.int(2)]).first?.int("n") ?? -1]
            }
            #expect(inside == (5_000..<5_010).map { Int64(2 + $0) } + [5])
        }
    }
}
