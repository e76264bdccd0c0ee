import Foundation
import ArgumentParser
import Core
import Storage

/// Claim-and-complete throughput (issue 12: ≥ 3,000/s with 16 workers on PostgreSQL, and ≥ 0.8 of pgbench):
/// N threads, each with its own connection, loop claim → finish(succeeded) over a queue of executions without
/// starting a process. Every claimed id is counted: an id claimed twice is a double claim.
///
/// On PostgreSQL all the executions are queued up front (one multi-row INSERT), and in the same run and on
/// the same server pgbench runs the reference twice, once before ours and once after (a shared machine's
/// speed drifts over a minute: bracketing ours cancels a steady drift, and both runs are reported): as many
/// clients as workers, each time over as many freshly queued rows of the same agent, capability and tasks
/// (the first run's rows are queued older than ours, so it takes only its own). "The same statements" means the very SQL text
/// `ExecutionRepository` sends for one look of the claim and for the finish
/// (`ExecutionRepository.postgresClaimAndFinish`), with each `?` turned into a pgbench variable, prepared
/// (`-M prepared`) as our driver prepares them, and the id and attempt the claim returned passed to the
/// finish (`\gset`). Only the error parameter of the finish is the literal NULL (pgbench has no NULL
/// variable), and every pgbench client claims as worker `pgbench`. So both sides pay the same server work
/// (the claim function, the gate, the triggers, the events, two commits per run); what pgbench does not pay
/// is ours alone: the Swift driver, decoding the row into an `Execution`, and the claim's loop.
struct ClaimsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claims", abstract: "Claim-and-complete throughput of the executions queue.")
    @Option(help: "Database (SQLite path or PostgreSQL URL) with no queued executions; default: a temporary SQLite file.") var db: String?
    @Option(help: "Claiming threads, each with its own connection.") var workers = 8
    @Option(help: "Executions to queue, then claim and complete.") var executions = 5000
    @Option(help: "Agents the executions are spread over (each allows them all at once).") var agents = 1
    @Option(help: "Tasks the executions are spread over.") var tasks = 1
    @Option(help: "pgbench to run the PostgreSQL reference with; default: on PATH, else in pg_config --bindir.") var pgbench: String?
    @Flag(help: "PostgreSQL: leave out the pgbench reference.") var noPgbench = false
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
        // Found (and runnable) before anything is queued: a bad --pgbench must not leave rows behind.
        var pgbenchBinary: String?
        if store.db.dialect == .postgres && !noPgbench {
            let b = try pgbench ?? Self.findPgbench()
            guard FileManager.default.isExecutableFile(atPath: b) else { throw BenchError("\(b) is not a program this user can run (--pgbench)") }
            pgbenchBinary = b
        }
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
        let postgres = store.db.dialect == .postgres
        if postgres {
            // All of them up front, in one statement (each with its own time, in queue order).
            _ = try Self.fillPostgres(store, count: executions, taskIds: taskIds, caps: caps)
        } else {
            // Queued one by one, as the CLI and the dashboard do (each with its own time), not in one transaction.
            for i in 0..<executions { try store.executions.queue(.init(taskId: taskIds[i % tasks], capabilityId: caps[i % agents].id)) }
        }
        let fillMs = Stats.nowMs() - fillStart
        let loadBefore = Self.loadAverage()

        var pgbenchRuns: [[String: Any]] = []
        if let pgbenchBinary {
            pgbenchRuns.append(try runPgbench(store, binary: pgbenchBinary, connection: connection, taskIds: taskIds, caps: caps, olderThanQueued: true))
            try store.db.executeScript("VACUUM (ANALYZE) executions, task_events")
        }

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
        let cpu0 = Self.cpuSeconds(RUSAGE_SELF)
        let t0 = Stats.nowMs()
        for _ in 0..<workers { start.signal() }
        group.wait()
        let seconds = (Stats.nowMs() - t0) / 1000
        let cpuSeconds = Self.cpuSeconds(RUSAGE_SELF) - cpu0

        let counts = claimed.get
        let total = counts.values.reduce(0, +)
        let doubles = counts.values.filter { $0 > 1 }.reduce(0) { $0 + $1 - 1 }
        let succeeded = try store.executions.countsByStatus()[.succeeded] ?? 0
        var result: [String: Any] = [
            "backend": store.db.dialect.rawValue, "workers": workers, "executions": executions, "agents": agents, "tasks": tasks,
            "claimed": total, "double_claims": doubles, "unclaimed": executions - counts.count, "succeeded_in_db": succeeded,
            "errors": errors.get.count, "first_error": errors.get.first ?? NSNull(),
            "elapsed_s": Stats.round(seconds), "claims_per_s": Stats.round(Double(total) / max(seconds, 1e-9), 1),
            "claim_ms_p50": Stats.round(Stats.percentile(claimMs.get, 50)), "claim_ms_p99": Stats.round(Stats.percentile(claimMs.get, 99)),
            "finish_ms_p50": Stats.round(Stats.percentile(finishMs.get, 50)), "finish_ms_p99": Stats.round(Stats.percentile(finishMs.get, 99)),
            "fill_ms": Stats.round(fillMs, 1), "load_average_before": loadBefore,
            "client_cpu_us_per_claim": Stats.round(cpuSeconds * 1e6 / Double(max(total, 1)), 1),
        ]
        if let pgbenchBinary {
            pgbenchRuns.append(try runPgbench(store, binary: pgbenchBinary, connection: connection, taskIds: taskIds, caps: caps, olderThanQueued: false))
            for (k, v) in Self.combine(pgbenchRuns) { result[k] = v }
            if let tps = result["pgbench_claims_per_s"] as? Double, tps > 0 {
                result["ratio_to_pgbench"] = Stats.round(Double(total) / max(seconds, 1e-9) / tps)
            }
        }
        result["load_average_after"] = Self.loadAverage()
        if json { Stats.printJSON(result, to: STDOUT_FILENO); return }
        print("claims (\(store.db.dialect.rawValue), \(workers) workers, \(executions) executions over \(agents) agent\(agents == 1 ? "" : "s"), \(tasks) task\(tasks == 1 ? "" : "s"))")
        print("  claim-and-complete: \(result["claims_per_s"]!)/s in \(result["elapsed_s"]!) s")
        print("  double claims: \(doubles), unclaimed: \(executions - counts.count), errors: \(errors.get.count)")
        print("  claim p50 \(result["claim_ms_p50"]!) ms, p99 \(result["claim_ms_p99"]!) ms; finish p50 \(result["finish_ms_p50"]!) ms, p99 \(result["finish_ms_p99"]!) ms")
        print("  client CPU per claim-and-complete: \(result["client_cpu_us_per_claim"]!) µs")
        if let tps = result["pgbench_claims_per_s"] {
            let runs = (result["pgbench_runs_claims_per_s"] as? [Double] ?? []).map { "\($0)" }.joined(separator: " before, ") + " after"
            print("  pgbench, same statements, \(workers) clients: \(tps)/s (\(runs)); ratio \(result["ratio_to_pgbench"] ?? "-")"
                  + "; double claims \(result["pgbench_double_claims"] ?? "-"), failed \(result["pgbench_failed"] ?? "-")"
                  + "; its CPU per claim-and-complete \(result["pgbench_cpu_us_per_claim"] ?? "-") µs")
        }
        print("  load average before \(loadBefore), after \(result["load_average_after"]!)")
    }

    /// Queues `count` executions in one INSERT, spread over the tasks and capabilities like the SQLite fill,
    /// each `created_at` a microsecond after the last (the claim takes them in that order), starting now or,
    /// `older`, a day ago (before anything queued now), then has the planner look at the table as it now is.
    /// Returns the range of their ids.
    static func fillPostgres(_ store: Store, count: Int, taskIds: [ID], caps: [Capability], older: Bool = false) throws -> ClosedRange<ID> {
        func array(_ ids: [ID]) -> SQLValue { .text("{" + ids.map(String.init).joined(separator: ",") + "}") }
        let ids = try store.db.queryOne("""
            WITH q AS (
                INSERT INTO executions (task_id, agent_id, capability_id, requested_by, mode, args, requires_approval, max_retries, created_at)
                SELECT (?::bigint[])[1 + i % ?], (?::bigint[])[1 + i % ?], (?::bigint[])[1 + i % ?], 'bench', 'template', '{}', false, 0,
                    now() - \(older ? "interval '1 day'" : "interval '0'") + i * interval '1 microsecond'
                FROM generate_series(0, ? - 1) AS i
                RETURNING id)
            SELECT min(id) AS first, max(id) AS last FROM q
            """, array(taskIds), .int(Int64(taskIds.count)), array(caps.map(\.agentId)), .int(Int64(caps.count)),
            array(caps.map(\.id)), .int(Int64(caps.count)), .int(Int64(count)))
        try store.db.executeScript("VACUUM (ANALYZE) executions, task_events")
        return (ids?.int("first") ?? 0)...(ids?.int("last") ?? 0)
    }

    /// One pgbench reference run (see the type's comment): queues ceil(executions / workers) × workers rows
    /// (`olderThanQueued`: before the rows already queued, so that it takes only its own), runs pgbench with
    /// `workers` clients, each doing that many claim-and-complete transactions, and checks in the database
    /// that every one of its rows was claimed once and succeeded.
    func runPgbench(_ store: Store, binary: String, connection: String, taskIds: [ID], caps: [Capability], olderThanQueued: Bool) throws -> [String: Any] {
        let perClient = (executions + workers - 1) / workers, rows = perClient * workers
        let firstEvent = try store.db.queryOne("SELECT coalesce(max(id), 0) AS n FROM task_events")?.int("n") ?? 0
        let ids = try Self.fillPostgres(store, count: rows, taskIds: taskIds, caps: caps, older: olderThanQueued)

        let dir = try Stats.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("claim-and-complete.sql")
        try Self.pgbenchScript().write(to: script, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["-n", "-M", "prepared", "-f", script.path, "-c", "\(workers)", "-j", "\(workers)", "-t", "\(perClient)",
                       "-D", "bench_worker=pgbench", "-D", "bench_none={}", "-D", "bench_slots=\(ExecutionRepository.claimSlots)",
                       "-D", "bench_next=succeeded", "-D", "bench_exit=0", connection]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        let cpu0 = Self.cpuSeconds(RUSAGE_CHILDREN)
        do { try p.run() } catch { throw BenchError("cannot run \(binary): \(error)") }
        let outData = out.fileHandleForReading.readDataToEndOfFile(), errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let cpuSeconds = Self.cpuSeconds(RUSAGE_CHILDREN) - cpu0
        let text = String(decoding: outData, as: UTF8.self)
        guard p.terminationStatus == 0, let tps = Self.number(after: "tps = ", in: text) else {
            let why = (String(decoding: errData, as: UTF8.self) + text).split(separator: "\n").suffix(5).joined(separator: "; ")
            throw BenchError("pgbench failed (\(p.terminationStatus)): \(why)")
        }
        let done = try store.db.queryOne("""
            SELECT count(*) FILTER (WHERE status = 'succeeded') AS succeeded, count(*) FILTER (WHERE status = 'queued') AS queued
            FROM executions WHERE id BETWEEN ? AND ?
            """, .int(ids.lowerBound), .int(ids.upperBound))
        let doubles = try store.db.queryOne("""
            SELECT count(*) - count(DISTINCT payload->>'execution_id') AS n FROM task_events WHERE id > ? AND event_type = 'execution_started'
            """, .int(firstEvent))?.int("n") ?? -1
        return [
            "claims_per_s": tps, "transactions": rows, "cpu_s": cpuSeconds, "clients": workers,
            "processed": Int(Self.number(after: "number of transactions actually processed: ", in: text) ?? -1),
            "failed": Int(Self.number(after: "number of failed transactions: ", in: text) ?? 0),
            "succeeded_in_db": Int(done?.int("succeeded") ?? -1), "unclaimed": Int(done?.int("queued") ?? -1),
            "double_claims": Int(doubles),
        ]
    }

    /// The reference from the runs before and after ours: all their transactions over all their time, and
    /// each run's rate; counts are summed.
    static func combine(_ runs: [[String: Any]]) -> [String: Any] {
        func sum(_ key: String) -> Int { runs.reduce(0) { $0 + ($1[key] as? Int ?? 0) } }
        let transactions = sum("transactions")
        let seconds = runs.reduce(0.0) { $0 + Double($1["transactions"] as? Int ?? 0) / max($1["claims_per_s"] as? Double ?? 0, 1e-9) }
        let cpu = runs.reduce(0.0) { $0 + ($1["cpu_s"] as? Double ?? 0) }
        return [
            "pgbench_claims_per_s": Stats.round(Double(transactions) / max(seconds, 1e-9), 1),
            "pgbench_runs_claims_per_s": runs.map { Stats.round($0["claims_per_s"] as? Double ?? 0, 1) },
            "pgbench_clients": runs.first?["clients"] ?? 0, "pgbench_transactions": transactions,
            "pgbench_processed": sum("processed"), "pgbench_failed": sum("failed"),
            "pgbench_succeeded_in_db": sum("succeeded_in_db"), "pgbench_unclaimed": sum("unclaimed"),
            "pgbench_double_claims": sum("double_claims"),
            "pgbench_cpu_us_per_claim": Stats.round(cpu * 1e6 / Double(max(transactions, 1)), 1),
        ]
    }

    /// User and system CPU seconds of this process (`RUSAGE_SELF`) or of its waited-for children.
    static func cpuSeconds(_ who: __rusage_who) -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(who.rawValue), &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// One claim-and-complete, in pgbench's language: the claim's row is kept in variables (`\gset`: `id`,
    /// `attempt`, every other column), the finish takes the id and attempt from them.
    static func pgbenchScript() -> String {
        let (claim, finish) = ExecutionRepository.postgresClaimAndFinish
        let c = bind(claim, [":bench_worker", ":bench_none", ":bench_none", ":bench_none", ":bench_slots", ":bench_offset"])
        let f = bind(finish, [":bench_next", ":bench_exit", "NULL", ":id", ":bench_worker", ":attempt", ":bench_worker"])
        return "\\set bench_offset random(0, \(ExecutionRepository.claimSlots - 1))\n\(c) \\gset\n\(f);\n"
    }

    /// `sql` with its `?` placeholders, outside quotes, replaced in order by `names`.
    static func bind(_ sql: String, _ names: [String]) -> String {
        var out = "", n = 0, quote: Character?
        for ch in sql {
            if let q = quote { if ch == q { quote = nil }; out.append(ch) }
            else if ch == "'" || ch == "\"" { quote = ch; out.append(ch) }
            else if ch == "?" { out += names[n]; n += 1 }
            else { out.append(ch) }
        }
        precondition(n == names.count, "the statement has \(n) parameters, the bench binds \(names.count)")
        return out
    }

    static func number(after prefix: String, in text: String) -> Double? {
        guard let r = text.range(of: prefix) else { return nil }
        return Double(text[r.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    static func findPgbench() throws -> String {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let cfg = Process(), out = Pipe()
        cfg.executableURL = URL(fileURLWithPath: "/usr/bin/env"); cfg.arguments = ["pg_config", "--bindir"]
        cfg.standardOutput = out; cfg.standardError = FileHandle.nullDevice
        if (try? cfg.run()) != nil {
            let dir = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            cfg.waitUntilExit()
            if !dir.isEmpty { dirs.append(dir) }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        dirs += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map { "/usr/lib/postgresql/\($0)/bin" }
        for d in dirs where FileManager.default.isExecutableFile(atPath: d + "/pgbench") { return d + "/pgbench" }
        throw BenchError("no pgbench found (install PostgreSQL's client programs, pass --pgbench, or --no-pgbench)")
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// A connection handed to one thread (a connection is used by one thread at a time).
private final class ConnectionBox: @unchecked Sendable {
    let store: Store
    init(_ store: Store) { self.store = store }
}
