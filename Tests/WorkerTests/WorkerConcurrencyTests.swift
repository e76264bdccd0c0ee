import Foundation
import Testing
import TestSupport
import Core
import Storage
@testable import Worker

/// Many workers over one queue: each execution runs exactly once, agents' max_concurrent holds across
/// workers, and the runs of a worker that stopped heartbeating are reaped and retried by another.
@Suite("Worker: many workers, one queue") struct WorkerConcurrencyTests {
    @Test("8 workers over 500 executions run each exactly once", arguments: Backend.allCases)
    func exactlyOnce(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            // Each run appends its number to one file (O_APPEND: small writes never interleave).
            let out = tdb.path("runs.txt")
            let cap = try s.program("append", "/bin/sh", ["-c", #"printf '%s\n' "$1" >> "$2""#, "sh", "{{n}}", out], maxConcurrent: 1000)
            let t = try s.task()
            try s.db.transaction { for n in 0..<500 { try s.queue(cap, task: t, ["n": String(n)]) } }
            let summaries = Locked<[WorkerLoop.Summary]>([]), errors = Locked<[String]>([])
            let opts = (0..<8).map { tdb.options(id: "w\($0)", concurrency: 4) }
            runConcurrently(8) { i in
                do {
                    let sum = try WorkerLoop(options: opts[i]).run()
                    summaries.with { $0.append(sum) }
                } catch { errors.with { $0.append("\(error)") } }
            }
            #expect(errors.get.isEmpty, "\(errors.get)")
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            let counts = Dictionary(lines.map { ($0, 1) }, uniquingKeysWith: +)
            #expect(lines.count == 500 && counts.count == 500, "every run left its line, once")
            #expect(counts.values.allSatisfy { $0 == 1 })
            #expect(Set(counts.keys) == Set((0..<500).map(String.init)))
            #expect(summaries.get.map(\.claimed).reduce(0, +) == 500)
            #expect(summaries.get.filter { $0.claimed > 0 }.count > 1, "the work was shared")
            #expect(try s.executions.countsByStatus() == [.succeeded: 500])
            #expect(try s.executions.list(limit: 1000).allSatisfy { $0.attempt == 1 })
        }
    }

    @Test("max_concurrent 2 with 4 worker slots: never more than 2 at once", arguments: Backend.allCases)
    func maxConcurrent(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            // Each run marks itself running, records how many are marked, holds a while, unmarks.
            let dir = tdb.path("slots")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let script = #"touch "$1/run.$2"; ls "$1" | grep -c '^run\.' >> "$1/../seen"; sleep 0.3; rm "$1/run.$2""#
            let cap = try s.program("limited", "/bin/sh", ["-c", script, "sh", dir, "{{n}}"], maxConcurrent: 2)
            let t = try s.task()
            for n in 0..<8 { try s.queue(cap, task: t, ["n": String(n)]) }
            // Two long-lived workers (not --once: an idle one keeps trying while the agent is full).
            let workers = try ["a", "b"].map { try tdb.background(tdb.options(id: $0, concurrency: 2, once: false)) }
            #expect(try waitUntil(30) { try s.executions.countsByStatus() == [.succeeded: 8] })
            for w in workers { try w.stop() }
            let seen = try String(contentsOfFile: tdb.path("seen"), encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
            #expect(seen.count == 8)
            #expect(seen.max() == 2, "two ran at once, never three: \(seen)")
            // The database agrees: no instant with more than 2 runs between started_at and ended_at.
            let runs = try s.executions.list(limit: 100)
            var events: [(at: Date, delta: Int)] = []
            for r in runs { events += [(r.startedAt!, 1), (r.endedAt!, -1)] }
            events.sort { a, b in a.at != b.at ? a.at < b.at : a.delta < b.delta }  // an end before a start at the same instant
            var now = 0, peak = 0
            for e in events { now += e.delta; peak = max(peak, now) }
            #expect(peak <= 2)
        }
    }

    @Test("a run whose worker stopped heartbeating is reaped by a live worker and its retry succeeds", arguments: Backend.allCases)
    func reapAndRetry(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.program("ok", "/bin/sh", ["-c", "echo done"])
            let e = try s.queue(cap, task: try s.task(), retries: 1)
            // A worker that claims and then dies: it never heartbeats again.
            #expect(try s.executions.claim(workerId: "ghost")?.id == e.id)
            var opts = tdb.options(id: "alive", once: false, heartbeat: 0.5, staleAfter: 1.5)
            opts.pollInterval = 0.1
            let w = try tdb.background(opts)
            var retry: Execution?
            #expect(try waitUntil(15) {
                retry = try s.executions.list(limit: 10).first { $0.retryOf == e.id }
                return retry?.status == .succeeded
            })
            let summary = try w.stop()
            #expect(summary.reaped == 1)
            let dead = try s.executions.get(e.id)
            #expect(dead.status == .failed && dead.error?.contains("ghost stopped heartbeating") == true)
            #expect(retry?.attempt == 2 && retry?.workerId == "alive")
            #expect(try tdb.logBytes(retry!.id) == Array("done\n".utf8))
        }
    }
}
