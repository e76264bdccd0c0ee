import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Sync

/// The background sync: with a scan interval of a minute, only inotify can bring a new file in within seconds.
@Suite("Sync watcher") struct SyncWatcherTests {
    @Test("a session file written in a new folder is imported within 2 seconds, by inotify alone", arguments: [false, true])
    func inotify(_ postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "watch") { tdb in
            let home = try AgentHome()
            let failures = Locked<[String]>([])
            let watcher = SyncWatcher(connection: tdb.url, locations: .from(environment: home.environment), intervalMs: 60_000) { f in
                failures.with { $0.append(f) }
            }
            watcher.start()
            defer { watcher.stop() }
            let store = try tdb.store()
            defer { store.close() }
            func count() throws -> Int { Int(try store.db.queryOne("SELECT count(*) AS n FROM messages")?.int("n") ?? 0) }
            try poll(within: 10) { try count() == AgentHome.fixtureMessages }  // the first pass
            // The pass leaves the search index to the watcher's catch-up after it (migration 019), not to a search.
            try poll(within: 10) { try store.searchBacklog.isEmpty() }
            if !postgres {
                // One size row per indexed message (FTS5's docsize table): every message of the kinds searched.
                let indexed = try store.db.queryOne("SELECT count(*) AS n FROM messages_fts_docsize")?.int("n")
                let searched = try store.db.queryOne("SELECT count(*) AS n FROM messages WHERE kind NOT IN ('action', 'observation')")?.int("n")
                #expect(indexed == searched && (searched ?? 0) > 0)
            }

            let started = Date()
            let id = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
            try home.append(".claude/projects/-work-fresh/\(id).jsonl",
                            AgentHome.claudeLine(session: id, uuid: "f1", parent: nil, role: "user", text: "watched"))
            try poll(within: 2) { try store.sessions.find(externalSessionId: id) != nil }
            print("sync watcher: new session imported after \(Int(Date().timeIntervalSince(started) * 1000)) ms")
            try home.append(".claude/projects/-work-fresh/\(id).jsonl",
                            AgentHome.claudeLine(session: id, uuid: "f2", parent: "f1", role: "user", text: "and again"))
            try poll(within: 2) { try count() == AgentHome.fixtureMessages + 2 }
            #expect(failures.get.isEmpty)
        }
    }

    /// Waits (bounded) for a condition; an issue when it never holds.
    func poll(within seconds: Double, sourceLocation: SourceLocation = #_sourceLocation, _ check: () throws -> Bool) throws {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try check() { return }
            usleep(20_000)
        }
        Issue.record("not within \(seconds) s", sourceLocation: sourceLocation)
    }
}
