import Foundation
import Testing
import TestSupport
import Core
import Storage
@testable import Worker

/// Issue 14 items 2 and 3 with real workers: a chain of auto-runs goes in order, each exactly once, under 8
/// racing workers; a cancelled dependency and a run failed for good block their dependents with the reason;
/// a run stopped by a rate limit is requeued past the reset with its attempt unchanged, and the provider's
/// other agents wait too.
@Suite("Worker: auto-run chains and rate-limit waits") struct AutoRunTests {
    /// Z → A → B → C: Z is moved to Done by hand; A, B and C each auto-run a program that appends its name.
    @Test("a chain of three auto-runs goes in order, each once, under 8 racing workers", arguments: Backend.allCases)
    func chainUnderRacingWorkers(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let out = tdb.path("chain.txt")
            let z = try s.task("Z"), a = try s.task("A"), b = try s.task("B"), c = try s.task("C")
            for (t, dep) in [(a, z), (b, a), (c, b)] {
                let cap = try s.program("append-\(t.title.lowercased())", "/bin/sh", ["-c", #"sleep 0.05; printf '%s\n' "$1" >> "$2""#, "sh", t.title, out])
                try s.tasks.addDependency(t.id, on: dep.id)
                _ = try s.tasks.update(t.id, TaskPatch(autoRunCapabilityId: .some(cap.id)))
            }
            let workers = try (0..<8).map { try tdb.background(tdb.options(id: "w\($0)", concurrency: 2, once: false)) }
            defer { for w in workers { _ = try? w.stop() } }
            #expect(try s.executions.countsByStatus().isEmpty, "nothing runs before Z is done")
            try s.tasks.move(z.id, to: .done)
            #expect(try waitUntil(30) { try s.tasks.get(c.id).status == .done })
            for w in workers { try w.stop() }
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines == ["A", "B", "C"], "in order, each once")
            #expect(try s.executions.countsByStatus() == [.succeeded: 3])
            for t in [a, b, c] {
                let task = try s.tasks.get(t.id)
                #expect(task.status == .done && task.autoRunExecutionId != nil)
                let events = try s.tasks.events(taskId: t.id)
                #expect(events.filter { $0.eventType == "auto_run_queued" }.count == 1)
                #expect(events.first { $0.eventType == "auto_run_queued" }?.actorType == .system)
                #expect(events.first { $0.eventType == "moved" && $0.payload["to"]?.stringValue == "done" }?.actorType == .system)
            }
            // Moving Z out of Done and back does not queue A again: once means once.
            try s.tasks.move(z.id, to: .inProgress)
            try s.tasks.move(z.id, to: .done)
            #expect(try s.executions.countsByStatus() == [.succeeded: 3])
        }
    }

    @Test("a cancelled dependency, and a run failed for good, block their dependents with the reason", arguments: Backend.allCases)
    func failuresBlockDependents(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let ok = try s.program("ok", "/bin/true", ["ok"])
            let bad = try s.program("bad", "/bin/sh", ["-c", "exit 3"])
            let dep = try s.task("dependency"), waiting = try s.task("waiting")
            try s.tasks.addDependency(waiting.id, on: dep.id)
            _ = try s.tasks.update(waiting.id, TaskPatch(autoRunCapabilityId: .some(ok.id)))
            try s.tasks.move(dep.id, to: .cancelled)
            #expect(try s.tasks.get(waiting.id).status == .blocked)
            let reason = try s.tasks.events(taskId: waiting.id).last { $0.eventType == "blocked" }?.payload["reason"]?.stringValue
            #expect(reason == "depends on task #\(dep.id), which was cancelled")
            #expect(try s.executions.countsByStatus().isEmpty, "nothing queued")

            // X auto-runs a failing program with no retry; Y depends on X.
            let root = try s.task("root"), x = try s.task("X"), y = try s.task("Y")
            try s.tasks.addDependency(x.id, on: root.id)
            try s.tasks.addDependency(y.id, on: x.id)
            _ = try s.tasks.update(x.id, TaskPatch(autoRunCapabilityId: .some(bad.id)))
            _ = try s.tasks.update(y.id, TaskPatch(autoRunCapabilityId: .some(ok.id)))
            try s.tasks.move(root.id, to: .done)
            try tdb.drain()
            #expect(try s.tasks.get(x.id).status == .todo, "a failed run leaves its own task where it was")
            #expect(try s.tasks.get(y.id).status == .blocked)
            let why = try s.tasks.events(taskId: y.id).last { $0.eventType == "blocked" }?.payload["reason"]?.stringValue ?? ""
            #expect(why.hasPrefix("depends on task #\(x.id), whose run #") && why.hasSuffix("failed with no retry left"))
            #expect(try s.executions.countsByStatus() == [.failed: 1], "Y's auto-run was never queued")
        }
    }

    @Test("removing a capability or its agent clears the auto-run of tasks that named it", arguments: Backend.allCases)
    func removalClearsAutoRun(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let one = try s.program("one", "/bin/true", ["ok"]), two = try s.program("two", "/bin/true", ["ok"])
            let a = try s.task("a"), b = try s.task("b")
            _ = try s.tasks.update(a.id, TaskPatch(autoRunCapabilityId: .some(one.id)))
            _ = try s.tasks.update(b.id, TaskPatch(autoRunCapabilityId: .some(two.id)))
            try s.agents.deleteCapability(one.id, withExecutions: true)
            #expect(try s.tasks.get(a.id).autoRunCapabilityId == nil)
            #expect(try s.tasks.get(b.id).autoRunCapabilityId == two.id)
            try s.agents.delete(two.agentId, withExecutions: true)
            #expect(try s.tasks.get(b.id).autoRunCapabilityId == nil)
        }
    }

    /// A stand-in Claude that hits its five-hour limit on the first run (reset two seconds away, as
    /// `rate_limit_event` says it) and succeeds on the next.
    @Test("a run stopped by a rate limit waits for the reset, runs again, and keeps its attempt", arguments: Backend.allCases)
    func rateLimitRequeues(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let marker = tdb.path("limited-once")
            let script = #"""
                if [ ! -e "$1" ]; then
                  touch "$1"; reset=$(( $(date +%s) + 2 ))
                  echo '{"type":"system","subtype":"init","session_id":"s1"}'
                  echo "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"rejected\",\"resetsAt\":$reset,\"rateLimitType\":\"five_hour\"}}"
                  echo '{"type":"result","subtype":"success","is_error":true,"result":"You'"'"'ve hit your limit"}'
                  exit 1
                fi
                echo '{"type":"result","subtype":"success","is_error":false,"result":"done"}'
                """#
            let cap = try s.program("claude-standin", "/bin/sh", ["-c", script, "sh", marker])
            var agent = try s.agents.get(cap.agentId)
            agent.metadata = ["provider": "anthropic"]
            _ = try s.agents.update(agent)
            // Another agent of the same provider, with a run queued: it waits for the reset too.
            let other = try s.program("other-claude", "/bin/true", ["ok"])
            var otherAgent = try s.agents.get(other.agentId)
            otherAgent.metadata = ["provider": "anthropic"]
            _ = try s.agents.update(otherAgent)
            let e = try s.queue(cap, task: try s.task())

            let w = try tdb.background(tdb.options(id: "w1", concurrency: 1, once: false))
            defer { _ = try? w.stop() }
            #expect(try waitUntil(20) {
                let waits = try s.executions.get(e.id).notBefore != nil
                return FileManager.default.fileExists(atPath: marker) && waits
            })
            let waiting = try s.executions.get(e.id)
            let reset = try #require(waiting.notBefore)
            #expect(waiting.attempt == 1 && waiting.retryCount == 0)
            #expect(try s.agents.get(other.agentId).limitedUntil == reset, "the provider's other agents wait too")
            let otherRun = try s.queue(other, task: try s.task("other"))
            #expect(try waitUntil(20) {
                let mine = try s.executions.get(e.id).status, theirs = try s.executions.get(otherRun.id).status
                return mine == .succeeded && theirs == .succeeded
            })
            try w.stop()
            let done = try s.executions.get(e.id)
            #expect(done.attempt == 1 && done.retryCount == 0, "a rate limit is not a failed attempt")
            #expect(try #require(done.startedAt) >= reset.addingTimeInterval(-0.001), "started again after the reset")
            #expect(try #require(s.executions.get(otherRun.id).startedAt) >= reset.addingTimeInterval(-0.001))
            #expect(try s.executions.list(limit: 10).count == 2, "the same execution ran again, no new one")
            let event = try s.tasks.events(taskId: done.taskId).first { $0.eventType == "rate_limited" }
            #expect(event?.actorType == .system && event?.payload["reason"]?.stringValue == "Claude's rate limit was hit (five_hour)")
            let log = String(decoding: try tdb.logBytes(e.id), as: UTF8.self)
            #expect(log.contains("rate_limit_event") && log.contains("\"result\":\"done\""), "one log across both runs")
        }
    }
}
