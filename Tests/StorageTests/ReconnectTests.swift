import Foundation
import Testing
@testable import Storage

/// A PostgreSQL connection whose server session ends (a restart, an administrator, a network blip) heals on
/// a later call: the loss is `unavailable`, never a query error; statements are prepared anew; LISTEN resumes.
@Suite("PostgreSQL connections heal") struct ReconnectTests {
    @Test func aTerminatedSessionIsUnavailableThenHealsWithItsListen() throws {
        try withDatabase(.postgres) { tdb in
            let victim = try tdb.store(), admin = try tdb.store()
            try victim.makeTask("before")
            #expect(try victim.tasks.list().count == 1)  // its statements are prepared on this session
            let token = try victim.db.changeToken()       // and it listens
            let pid = try #require(try victim.db.queryOne("SELECT pg_backend_pid() AS p")).int("p")
            _ = try admin.db.query("SELECT pg_terminate_backend(?)", .int(pid))

            var lost: Error?
            do { _ = try victim.tasks.list() } catch { lost = error }
            #expect(lost?.isUnavailable == true, "a lost session is unavailable: \(String(describing: lost))")
            #expect((lost as? StorageError)?.description.contains("PostgreSQL unreachable") == true)

            // Within the capped backoff the same connection works again, with fresh prepared statements.
            var healed = false
            for _ in 0..<150 where !healed {  // bounded wait (3 s), not a timing assert
                if (try? victim.tasks.list().count) == 1 { healed = true } else { usleep(20_000) }
            }
            #expect(healed)
            #expect(try victim.db.changeToken() != token, "what was missed while away counts as a change")
            let after = try victim.db.changeToken()
            try admin.makeTask("after")
            var moved = false
            for _ in 0..<100 where !moved {
                if try victim.db.changeToken() != after { moved = true } else { usleep(20_000) }
            }
            #expect(moved, "LISTEN resumed on the new session")
        }
    }

    @Test func aTransactionCutByTheLossIsNotContinuedOnANewSession() throws {
        try withDatabase(.postgres) { tdb in
            let victim = try tdb.store(), admin = try tdb.store()
            let pid = try #require(try victim.db.queryOne("SELECT pg_backend_pid() AS p")).int("p")
            var thrown: Error?
            do {
                try victim.db.transaction(.immediate) {
                    try victim.db.execute("INSERT INTO tasks (title, sort_order) VALUES ('half', 1000)")
                    _ = try admin.db.query("SELECT pg_terminate_backend(?)", .int(pid))
                    usleep(300_000)  // past the first reconnect delay: a reconnect inside would be possible
                    _ = try? victim.db.execute("INSERT INTO tasks (title, sort_order) VALUES ('other half', 2000)")
                    try victim.db.execute("INSERT INTO tasks (title, sort_order) VALUES ('third', 3000)")
                }
            } catch { thrown = error }
            #expect(thrown?.isUnavailable == true)
            #expect(try admin.tasks.list().isEmpty, "nothing of the cut transaction was written anywhere")
        }
    }
}
