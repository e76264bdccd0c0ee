import Foundation
import Testing
import TestSupport
import Core
@testable import Storage

/// What the worker relies on beyond the executions contract: the status read, a limit that holds on both
/// of PostgreSQL's claim paths (shared gate far from the limit, exclusive near it), skipping what cannot
/// run without blocking what can, and the audit events of claim and finish.
@Suite("Executions: claims for workers") struct ExecutionClaimTests {
    @Test("status reads the status alone; an unknown id is notFound", arguments: Backend.allCases)
    func status(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("git", maxConcurrent: 5))
            let e = try s.executions.queue(.init(taskId: try s.makeTask("t").id, capabilityId: cap.id))
            #expect(try s.executions.status(e.id) == .queued)
            _ = try s.executions.claim(workerId: "w")
            #expect(try s.executions.status(e.id) == .running)
            try s.executions.requestCancel(e.id)
            #expect(try s.executions.status(e.id) == .cancelling)
            #expect(throws: StorageError.notFound("no execution with id 999")) { try s.executions.status(999) }
            #expect(throws: StorageError.notFound("no execution with id 999")) {
                try s.executions.finish(999, workerId: "w", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil)
            }
        }
    }

    @Test("a limit far above the claim slots holds under 16 racing claimers, through both ways of claiming", arguments: Backend.allCases)
    func limitUnderRace(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let limit = ExecutionRepository.claimSlots + 5
            let cap = try s.makeCapability(try s.makeAgent("wide", maxConcurrent: limit))
            let task = try s.makeTask("t")
            try s.db.transaction { for _ in 0..<(limit * 3) { try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id)) } }
            let url = tdb.url
            let got = Locked(0), errors = Locked<[String]>([])
            runConcurrently(16) { w in
                do {
                    let store = try Store.open(url)
                    while try store.executions.claim(workerId: "w\(w)") != nil { got.with { $0 += 1 } }
                } catch { errors.with { $0.append("\(error)") } }
            }
            #expect(errors.get.isEmpty, "\(errors.get)")
            #expect(got.get == limit)
            #expect(try s.agents.runningCounts()[cap.agentId] == limit)
            // A finished run frees exactly one place.
            let one = try #require(try s.executions.list(status: .running, limit: 1).first)
            try s.executions.finish(one.id, workerId: one.workerId!, attempt: 1, outcome: .succeeded, exitCode: 0, error: nil)
            #expect(try s.executions.claim(workerId: "late") != nil)
            #expect(try s.executions.claim(workerId: "late") == nil)
        }
    }

    @Test("older work that cannot run (inactive agent, disabled capability, full agent) does not hide newer work that can",
          arguments: Backend.allCases)
    func skipsWhatCannotRun(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let task = try s.makeTask("t")
            let idle = try s.makeAgent("idle", maxConcurrent: 5)
            let idleRun = try s.executions.queue(.init(taskId: task.id, capabilityId: try s.makeCapability(idle).id))
            try s.agents.setActive(idle.id, false)
            let busy = try s.makeAgent("busy", maxConcurrent: 1)
            let busyCap = try s.makeCapability(busy)
            let off = try s.makeAgent("off", maxConcurrent: 5)
            let offCap = try s.makeCapability(off, key: "off")
            let first = try s.executions.queue(.init(taskId: task.id, capabilityId: busyCap.id))
            let offRun = try s.executions.queue(.init(taskId: task.id, capabilityId: offCap.id))
            try s.agents.setCapabilityEnabled(agentId: off.id, key: "off", false)
            let blocked = try s.executions.queue(.init(taskId: task.id, capabilityId: busyCap.id))
            let ready = try s.executions.queue(.init(taskId: task.id, capabilityId: try s.makeCapability(try s.makeAgent("ok", maxConcurrent: 5)).id))
            #expect(try s.executions.claim(workerId: "w")?.id == first.id)
            #expect(try s.executions.claim(workerId: "w")?.id == ready.id)
            #expect(try s.executions.claim(workerId: "w") == nil)
            for e in [idleRun, offRun, blocked] { #expect(try s.executions.status(e.id) == .queued) }
        }
    }

    @Test("claim and finish write their audit events with the same payloads on both backends", arguments: Backend.allCases)
    func events(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("git", maxConcurrent: 5))
            let task = try s.makeTask("t")
            let e = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id, maxRetries: 1))
            let run = try #require(try s.executions.claim(workerId: "w1"))
            #expect(run.workerId == "w1" && run.startedAt != nil && run.heartbeatAt != nil && run.status == .running)
            let fin = try #require(try s.executions.finish(e.id, workerId: "w1", attempt: 1, outcome: .failed, exitCode: 7, error: "bad\nworse"))
            let retry = try #require(fin.retry)
            #expect(fin.status == .failed && retry.retryOf == e.id && retry.attempt == 2 && retry.retryCount == 1 && retry.status == .queued)
            let ended = try s.executions.get(e.id)
            #expect(ended.exitCode == 7 && ended.error == "bad" && ended.endedAt != nil && ended.pid == nil)
            let events = try s.tasks.events(taskId: task.id).filter { $0.eventType.hasPrefix("execution_") }
            #expect(events.map(\.eventType) == ["execution_queued", "execution_started", "execution_finished", "execution_retried"])
            #expect(events[1].payload == ["execution_id": .number(Double(e.id)), "worker_id": "w1"])
            #expect(events[1].actorType == .agent && events[1].actorId == "w1")
            #expect(events[2].payload == ["execution_id": .number(Double(e.id)), "status": "failed", "exit_code": 7])
            #expect(events[3].payload == ["execution_id": .number(Double(retry.id)), "retry_of": .number(Double(e.id)), "attempt": 2])
            #expect(events[3].actorType == .system)
        }
    }
}
