import Foundation
import ArgumentParser
import Core
import Storage

/// Claim-and-complete throughput (DESIGN.md §6: ≥ 2,500/s with 8 workers on PostgreSQL): N threads, each
/// with its own connection, loop claim → finish(succeeded) over a queue of executions without starting a
/// process. Every claimed id is counted: an id claimed twice is a double claim.
struct ClaimsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claims", abstract: "Claim-and-complete throughput of the executions queue.")
    @Option(help: "Database (SQLite path or PostgreSQL URL) with no queued executions; default: a temporary SQLite file.") var db: String?
    @Option(help: "Claiming threads, each with its own connection.") var workers = 8
    @Option(help: "Executions to queue, then claim and complete.") var executions = 5000
    @Option(help: "Agents the executions are spread over (each allows them all at once).") var agents = 1
    @Option(help: "Tasks the executions are spread over.") var tasks = 1
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        guard workers >= 1, executions >= 1, agents >= 1, tasks >= 1 else {
            throw BenchError("--workers, --executions, --agents and --tasks must be at least 1")
        }
        var tempDir: URL?
        let connection: String
        if let db { connection = db } else {
            let dir = try Stats.scratchFolder()
            tempDir = dir
            connection = dir.appendingPathComponent("claims.db").path
        }
        defer { if let tempDir { try? FileManager.default.removeItem(at: tempDir) } }

        let store = try Store.open(connection)
        defer { store.close() }
        if let n = try store.executions.countsByStatus()[.queued], n > 0 {
            throw BenchError("the database already holds \(n) queued executions; use an empty database")
        }
        let fillStart = Stats.nowMs()
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        var caps: [Capability] = []
        for i in 0..<agents {
            let a = try store.agents.create(Agent(slug: "bench-\(tag)-\(i)", name: "Bench \(i)", binaryPath: "/bin/true",
                                                  maxConcurrent: executions))
            caps.append(try store.agents.addCapability(Capability(agentId: a.id, key: "noop", label: "No-op", mode: .template,
                                                                  commandTokens: ["x"])))
        }
        let taskIds = try (0..<tasks).map { try store.tasks.create(NewTask(title: "claims benchmark \(tag) #\($0)")).id }
        // Queued one by one, as the CLI and the dashboard do (each with its own time), not in one transaction.
        for i in 0..<executions { try store.executions.queue(.init(taskId: taskIds[i % tasks], capabilityId: caps[i % agents].id)) }
        let fillMs = Stats.nowMs() - fillStart

        // Connections are opened before the clock starts; all threads start together.
        let stores = try (0..<workers).map { _ in ConnectionBox(try Store.open(connection, migrate: false)) }
        defer { for s in stores { s.store.close() } }
        let claimed = Locked<[ID: Int]>([:]), errors = Locked<[String]>([])
        let claimMs = Locked<[Double]>([]), finishMs = Locked<[Double]>([])
        let start = DispatchSemaphore(value: 0), group = DispatchGroup()
        for w in 0..<workers {
            group.enter()
            let box = stores[w]
            let t = Thread {
                start.wait()
                var mine: [ID] = [], cl: [Double] = [], fl: [Double] = []
                do {
                    let repo = box.store.executions
                    while true {
                        let t0 = Stats.nowMs()
                        guard let e = try repo.claim(workerId: "bench-\(w)") else { break }
                        let t1 = Stats.nowMs()
                        try repo.finish(e.id, workerId: "bench-\(w)", attempt: e.attempt, outcome: .succeeded, exitCode: 0, error: nil)
                        fl.append(Stats.nowMs() - t1); cl.append(t1 - t0)
                        mine.append(e.id)
                    }
                } catch { errors.with { $0.append("\(error)") } }
                claimed.with { for id in mine { $0[id, default: 0] += 1 } }
                claimMs.with { $0 += cl }; finishMs.with { $0 += fl }
                group.leave()
            }
            t.stackSize = 1 << 20
            t.start()
        }
        let t0 = Stats.nowMs()
        for _ in 0..<workers { start.signal() }
        group.wait()
        let seconds = (Stats.nowMs() - t0) / 1000

        let counts = claimed.get
        let total = counts.values.reduce(0, +)
        let doubles = counts.values.filter { $0 > 1 }.reduce(0) { $0 + $1 - 1 }
        let succeeded = try store.executions.countsByStatus()[.succeeded] ?? 0
        let result: [String: Any] = [
            "backend": store.db.dialect.rawValue, "workers": workers, "executions": executions, "agents": agents, "tasks": tasks,
            "claimed": total, "double_claims": doubles, "unclaimed": executions - counts.count, "succeeded_in_db": succeeded,
            "errors": errors.get.count, "first_error": errors.get.first ?? NSNull(),
            "elapsed_s": Stats.round(seconds), "claims_per_s": Stats.round(Double(total) / max(seconds, 1e-9), 1),
            "claim_ms_p50": Stats.round(Stats.percentile(claimMs.get, 50)), "claim_ms_p99": Stats.round(Stats.percentile(claimMs.get, 99)),
            "finish_ms_p50": Stats.round(Stats.percentile(finishMs.get, 50)), "finish_ms_p99": Stats.round(Stats.percentile(finishMs.get, 99)),
            "fill_ms": Stats.round(fillMs, 1),
        ]
        if json { Stats.printJSON(result, to: STDOUT_FILENO); return }
        print("claims (\(store.db.dialect.rawValue), \(workers) workers, \(executions) executions over \(agents) agent\(agents == 1 ? "" : "s"), \(tasks) task\(tasks == 1 ? "" : "s"))")
        print("  claim-and-complete: \(result["claims_per_s"]!)/s in \(result["elapsed_s"]!) s")
        print("  double claims: \(doubles), unclaimed: \(executions - counts.count), errors: \(errors.get.count)")
        print("  claim p50 \(result["claim_ms_p50"]!) ms, p99 \(result["claim_ms_p99"]!) ms; finish p50 \(result["finish_ms_p50"]!) ms, p99 \(result["finish_ms_p99"]!) ms")
    }
}

/// A connection handed to one thread (a connection is used by one thread at a time).
private final class ConnectionBox: @unchecked Sendable {
    let store: Store
    init(_ store: Store) { self.store = store }
}
