import Foundation
import Testing
import Core
import Storage
@testable import Worker

/// Ending a run early: timeout, a cancel from another connection, the worker stopping. Each leaves no
/// process behind: the process group is gone (kill(-pgid, 0) fails with ESRCH) and no process shows
/// the run's marker argument in /proc.
@Suite("Worker: timeout, cancel, stop leave nothing behind") struct WorkerStopTests {
    /// A shell that starts a grandchild and waits: both must go. The marker is unique to the test.
    static func sleeper(_ s: Store, slug: String = "sleeper", timeout: Int = 60, ignoreTerm: Bool = false) throws -> (Capability, String) {
        let marker = "agentmon-test-\(UUID().uuidString)"
        let script = (ignoreTerm ? "trap '' TERM; " : "") + "echo started; sleep 300 & wait; sleep 300"
        return (try s.program(slug, "/bin/sh", ["-c", script, marker], timeout: timeout), marker)
    }

    /// The group's processes may be zombies for a moment until init reaps them: wait (bounded) for ESRCH.
    func expectNothingLeft(_ pid: Int, _ marker: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let pgid = Int32(pid)
        #expect(waitUntil(5) { !groupExists(pgid) }, "process group \(pgid) is gone", sourceLocation: sourceLocation)
        #expect(processes(containing: marker).isEmpty, "no process with the marker", sourceLocation: sourceLocation)
    }

    /// Waits until the run is running with its pid recorded and its first line in the database.
    func waitStarted(_ s: Store, _ id: ID) throws -> Int {
        var pid: Int?
        let ok = try waitUntil(10) {
            let e = try s.executions.get(id)
            pid = e.pid
            let logged = try s.executions.logChunks(id).flatMap(\.data)
            return e.status == .running && e.pid != nil && logged == Array("started\n".utf8)
        }
        #expect(ok, "the run started and its first line reached the database while it runs")
        return try #require(pid)
    }

    @Test("timeout: SIGTERM to the group, the run ends timed_out", arguments: Backend.allCases)
    func timeout(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let (cap, marker) = try Self.sleeper(s, timeout: 1)
            let e = try s.queue(cap, task: try s.task())
            let w = try tdb.background(tdb.options(once: false))
            let pid = try waitStarted(s, e.id)
            #expect(try waitUntil(10) { try s.executions.get(e.id).status == .timedOut })
            try w.stop()
            let done = try s.executions.get(e.id)
            #expect(done.error == "timed out after 1 s" && done.pid == nil)
            expectNothingLeft(pid, marker)
        }
    }

    @Test("a program that ignores SIGTERM is killed after the grace", arguments: Backend.allCases)
    func killAfterGrace(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let (cap, marker) = try Self.sleeper(s, timeout: 1, ignoreTerm: true)
            let e = try s.queue(cap, task: try s.task())
            let w = try tdb.background(tdb.options(once: false))
            let pid = try waitStarted(s, e.id)
            let started = Date()
            #expect(try waitUntil(10) { try s.executions.get(e.id).status == .timedOut })
            #expect(Date().timeIntervalSince(started) >= 1.5, "timeout 1 s, then SIGTERM ignored for the 1 s grace")
            try w.stop()
            expectNothingLeft(pid, marker)
        }
    }

    @Test("cancelling set by another connection ends the run cancelled", arguments: Backend.allCases)
    func cancel(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let (cap, marker) = try Self.sleeper(s)
            let e = try s.queue(cap, task: try s.task())
            let w = try tdb.background(tdb.options(once: false))
            let pid = try waitStarted(s, e.id)
            let other = try tdb.store()
            #expect(try other.executions.requestCancel(e.id) == .cancelling)
            #expect(try waitUntil(10) { try s.executions.get(e.id).status == .cancelled })
            try w.stop()
            expectNothingLeft(pid, marker)
        }
    }

    @Test("a stopping worker ends its runs (failed: worker stopped) and returns", arguments: Backend.allCases)
    func workerStop(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let (cap, marker) = try Self.sleeper(s)
            let e1 = try s.queue(cap, task: try s.task()), e2 = try s.queue(cap, task: try s.task())
            let w = try tdb.background(tdb.options(once: false))
            let pid1 = try waitStarted(s, e1.id), pid2 = try waitStarted(s, e2.id)
            let summary = try w.stop()
            #expect(summary.byStatus[.failed] == 2)
            for id in [e1.id, e2.id] {
                let done = try s.executions.get(id)
                #expect(done.status == .failed && done.error == "worker stopped")
            }
            expectNothingLeft(pid1, marker)
            expectNothingLeft(pid2, marker)
            #expect(try s.workers.list().isEmpty, "a stopped worker removes its heartbeat row")
        }
    }

    @Test("a program that exits leaving a background child: the leftover is killed before the end is recorded", arguments: Backend.allCases)
    func leftovers(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let marker = "agentmon-test-\(UUID().uuidString)"
            let cap = try s.program("bg", "/bin/sh", ["-c", "sleep 300 & echo $!", marker])
            let e = try s.queue(cap, task: try s.task())
            try tdb.drain()
            let done = try s.executions.get(e.id)
            #expect(done.status == .succeeded)
            let grandchild = try #require(Int32(String(decoding: try tdb.logBytes(e.id), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(waitUntil(5) { kill(grandchild, 0) != 0 }, "the background sleep is gone")
        }
    }
}
