import Foundation
import Testing
import TestSupport
import Core
@testable import Storage

@Suite("Executions contract") struct ExecutionRepositoryTests {
    @Test("8 claimers racing over 500 queued executions claim each exactly once", arguments: Backend.allCases)
    func claimRace(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            // Several agents with room for everything, so the limit never hides a double claim.
            var caps: [Capability] = []
            for i in 0..<4 { caps.append(try s.makeCapability(try s.makeAgent("agent\(i)", maxConcurrent: 1000))) }
            let task = try s.makeTask("work")
            try s.db.transaction {
                for i in 0..<500 { try s.executions.queue(.init(taskId: task.id, capabilityId: caps[i % 4].id)) }
            }
            let url = tdb.url
            let claimed = Locked<[ID: [String]]>([:]), errors = Locked<[String]>([]), opened = Locked(0)
            runConcurrently(8) { w in
                do {
                    // All claimers start together: opening a store (the migrations' check) must not decide the race.
                    let opening = Result { try Store.open(url) }
                    opened.with { $0 += 1 }
                    while opened.get < 8 { usleep(1000) }
                    let store = try opening.get()
                    while let e = try store.executions.claim(workerId: "w\(w)") {
                        claimed.with { $0[e.id, default: []].append("w\(w)") }
                    }
                } catch { errors.with { $0.append("\(error)") } }
            }
            #expect(errors.get.isEmpty)
            #expect(claimed.get.count == 500)
            #expect(claimed.get.values.allSatisfy { $0.count == 1 }, "no execution claimed twice")
            let running = try s.executions.list(status: .running, limit: 1000)
            #expect(running.count == 500)
            #expect(Set(running.compactMap(\.workerId)).count > 1, "the work was shared")
        }
    }

    @Test("max_concurrent is never exceeded, even by racing claimers", arguments: Backend.allCases)
    func maxConcurrent(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("make", maxConcurrent: 2))
            let task = try s.makeTask("t")
            for _ in 0..<10 { try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id)) }
            let url = tdb.url
            let got = Locked(0)
            runConcurrently(6) { w in
                guard let store = try? Store.open(url) else { return }
                while let _ = try? store.executions.claim(workerId: "w\(w)") { got.with { $0 += 1 } }
            }
            #expect(got.get == 2)
            #expect(try s.agents.runningCounts()[cap.agentId] == 2)
        }
    }

    @Test("approval gates the claim; inactive agents and disabled capabilities are skipped", arguments: Backend.allCases)
    func approval(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let agent = try s.makeAgent("claude", maxConcurrent: 5)
            let risky = try s.makeCapability(agent, key: "deploy", approval: true)
            let task = try s.makeTask("t")
            let e = try s.executions.queue(.init(taskId: task.id, capabilityId: risky.id))
            #expect(e.requiresApproval)
            #expect(try s.executions.claim(workerId: "w") == nil)
            try s.executions.approve(e.id, by: "alice")
            #expect(throws: StorageError.self) { try s.executions.approve(e.id) }
            let claimed = try s.executions.claim(workerId: "w")
            #expect(claimed?.id == e.id)
            #expect(claimed?.approvedBy == "alice")

            let idle = try s.makeAgent("idle", maxConcurrent: 5, active: false)
            try s.executions.queue(.init(taskId: task.id, capabilityId: try s.makeCapability(idle).id))
            #expect(try s.executions.claim(workerId: "w") == nil)
            #expect(try s.tasks.events(taskId: task.id).map(\.eventType) == ["created", "execution_queued", "execution_approved", "execution_started", "execution_queued"])
        }
    }

    @Test("legal moves only; completions fenced by worker and attempt; retries are new attempts", arguments: Backend.allCases)
    func lifecycle(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("git", maxConcurrent: 5))
            let task = try s.makeTask("t")
            let e = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id, args: ["msg": "x; rm -rf ~"], maxRetries: 1))
            #expect(e.args == ["msg": "x; rm -rf ~"])
            let run = try #require(try s.executions.claim(workerId: "w1"))
            #expect(run.status == .running && run.attempt == 1)
            #expect(try s.executions.finish(run.id, workerId: "intruder", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil) == nil)
            let fin = try #require(try s.executions.finish(run.id, workerId: "w1", attempt: 1, outcome: .failed, exitCode: 2,
                                                           error: "boom\nsecond line"))
            #expect(fin.status == .failed)
            let retry = try #require(fin.retry)
            #expect(retry.attempt == 2 && retry.retryOf == run.id && retry.status == .queued && retry.retryCount == 1)
            #expect(try s.executions.get(run.id).error == "boom")
            #expect(try s.executions.finish(run.id, workerId: "w1", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil) == nil,
                    "an ended run cannot end again")
            // The retry fails too: no retries left.
            let run2 = try #require(try s.executions.claim(workerId: "w2"))
            #expect(run2.id == retry.id)
            #expect(try s.executions.finish(run2.id, workerId: "w2", attempt: 2, outcome: .timedOut, exitCode: nil, error: "timed out")?.retry == nil)
            #expect(try s.executions.get(run2.id).status == .timedOut)
            // A person may retry any ended run.
            let manual = try s.executions.retry(run2.id)
            #expect(manual.attempt == 3 && manual.status == .queued)
            #expect(throws: StorageError.self) { try s.executions.retry(manual.id) }
        }
    }

    @Test("cancel: queued ends at once, running goes through cancelling", arguments: Backend.allCases)
    func cancel(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("git", maxConcurrent: 5))
            let task = try s.makeTask("t")
            let queued = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            let running = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            #expect(try s.executions.claim(workerId: "w")?.id == queued.id)
            #expect(try s.executions.requestCancel(running.id) == .cancelled)
            #expect(try s.executions.requestCancel(queued.id) == .cancelling)
            let fin = try s.executions.finish(queued.id, workerId: "w", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil)
            #expect(fin?.status == .cancelled, "a run under cancelling ends cancelled")
            #expect(throws: StorageError.self) { try s.executions.requestCancel(queued.id) }
        }
    }

    @Test("runs of a worker that stopped heartbeating are reaped and retried", arguments: Backend.allCases)
    func reap(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("git", maxConcurrent: 5))
            let task = try s.makeTask("t")
            let a = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id, maxRetries: 1))
            let b = try s.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
            _ = try s.executions.claim(workerId: "dead"); _ = try s.executions.claim(workerId: "alive")
            try s.db.execute("UPDATE executions SET heartbeat_at = ? WHERE worker_id = 'dead'", .date(Date().addingTimeInterval(-600)))
            try s.executions.heartbeat(workerId: "alive", executionIds: [b.id])
            let reaped = try s.executions.reapStale(staleAfter: 120)
            #expect(reaped.map(\.reaped.id) == [a.id])
            #expect(reaped[0].reaped.status == .failed)
            #expect(reaped[0].retry?.attempt == 2)
            #expect(try s.executions.get(b.id).status == .running)
            // The presumed-dead worker's late completion is refused.
            #expect(try s.executions.finish(a.id, workerId: "dead", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil) == nil)
        }
    }

    @Test("log chunks keep any bytes and the counts", arguments: Backend.allCases)
    func logs(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.makeCapability(try s.makeAgent("git"))
            let e = try s.executions.queue(.init(taskId: try s.makeTask("t").id, capabilityId: cap.id))
            let weird: [UInt8] = [0, 1, 27, 91, 50, 74, 0xff, 0xfe, 10, 0xc3, 0x28, 10]
            try s.executions.appendLog(e.id, Array("hello\n".utf8))
            try s.executions.appendLog(e.id, weird)
            let chunks = try s.executions.logChunks(e.id)
            #expect(chunks.map(\.seq) == [1, 2])
            #expect(chunks[1].data == weird)
            #expect(chunks[1].offset == 6)
            let after = try s.executions.get(e.id)
            #expect(after.logByteSize == 6 + Int64(weird.count))
            #expect(after.logLineCount == 3)
            #expect(try s.executions.logChunks(e.id, afterSeq: 1).count == 1)
        }
    }
}
