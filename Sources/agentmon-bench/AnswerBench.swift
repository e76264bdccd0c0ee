import Foundation
import ArgumentParser
import Core
import Storage

/// From a person's decision to the agent (issue 11: p99 under 1000 ms, the goal under 100 ms with NOTIFY):
/// the real `agentmon worker` (the binary beside this one) runs the stand-in Claude
/// (Tests/StandIns/claude-stream-json), which asks for one permission after another. For each request the
/// bench approves it through the inbox, as `agentmon inbox approve` and the dashboard's `a` do, and takes
/// the time from the decision's commit to the moment the stand-in read the control_response on its stdin
/// (it stamps each line with CLOCK_MONOTONIC, the clock used here). Run once per backend.
struct AnswerBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "answer", abstract: "Latency from an inbox decision to the agent.")
    @Option(help: "Database (SQLite path or PostgreSQL URL); default: a temporary SQLite file.") var db: String?
    @Option(help: "Also run on this PostgreSQL database (a URL), reported beside SQLite.") var postgres: String?
    @Option(help: "Permission requests to answer per backend.") var requests = 100
    @Flag(help: "Print one JSON object.") var json = false

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run() throws {
        guard requests >= 1 else { throw BenchError("--requests must be at least 1") }
        let dir = try Stats.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var results: [String: Any] = [:]
        let first = db ?? dir.appendingPathComponent("answer.db").path
        for connection in [first] + (postgres.map { [$0] } ?? []) {
            let r = try measure(connection, dir: dir)
            results[r["backend"] as! String] = r
        }
        if json { Stats.printJSON(results, to: STDOUT_FILENO); return }
        for (backend, r) in results.sorted(by: { $0.key < $1.key }) {
            guard let r = r as? [String: Any] else { continue }
            print("answer (\(backend), \(requests) requests): decision → agent p50 \(r["decision_to_agent_p50_ms"]!) ms, "
                  + "p99 \(r["decision_to_agent_p99_ms"]!) ms, max \(r["decision_to_agent_max_ms"]!) ms")
        }
    }

    static func monotonicNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private func measure(_ connection: String, dir: URL) throws -> [String: Any] {
        let store = try Store.open(connection)
        defer { store.close() }
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        let standIn = Self.repository.appendingPathComponent("Tests/StandIns/claude-stream-json").path
        let p = AgentPresets.claude
        let agent = try store.agents.create(Agent(slug: "answer-\(tag)", name: "Answer bench", toolType: .aiAgent, binaryPath: standIn,
                                                  baseArgs: p.baseArgs, envAllowlist: ["STANDIN_LOG"], sessionConfig: p.sessionConfig))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "ask", label: "Ask", mode: .prompt,
                                                            promptTemplate: "{{task_title}}", timeoutSec: 3600))
        let task = try store.tasks.create(NewTask(title: "repeat \(requests) ask Bash: make check"))
        let e = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
        let log = dir.appendingPathComponent("standin-\(tag).log").path

        let worker = Process()
        let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("agentmon")
        worker.executableURL = bin
        worker.arguments = ["--db", connection, "worker", "--id", "answer-\(tag)", "--log-dir", dir.appendingPathComponent("logs").path]
        var env = ProcessInfo.processInfo.environment
        env["STANDIN_LOG"] = log
        worker.environment = env
        worker.standardError = FileHandle.nullDevice
        worker.standardOutput = FileHandle.nullDevice
        do { try worker.run() } catch { throw BenchError("cannot start \(bin.path): \(error) (build agentmon beside agentmon-bench)") }
        defer { if worker.isRunning { worker.interrupt(); worker.waitUntilExit() } }

        var latencies: [Double] = []
        var answered = 0
        let deadline = Date().addingTimeInterval(Double(requests) * 5 + 30)
        while answered < requests {
            guard Date() < deadline else { throw BenchError("only \(answered) of \(requests) requests were answered in time") }
            guard let sid = try store.sessions.list().first(where: { $0.executionId == e.id })?.id,
                  let call = try store.toolCalls.pendingConfirmation(sessionId: sid) else { usleep(1000); continue }
            try store.inbox.approve(InboxRef(kind: .confirm, id: call.id), by: "bench")
            let decided = Self.monotonicNs()
            answered += 1
            // The stand-in's stamp of the answer it read (its log has one control_response per answer).
            var read: Int64?
            while read == nil, Date() < deadline {
                read = Self.responseStamps(log).dropFirst(answered - 1).first
                if read == nil { usleep(500) }
            }
            guard let read else { throw BenchError("the agent never read answer \(answered)") }
            latencies.append(Double(read - decided) / 1e6)
        }
        return ["backend": store.db.dialect.rawValue, "requests": requests,
                "decision_to_agent_p50_ms": Stats.round(Stats.percentile(latencies, 50), 2),
                "decision_to_agent_p99_ms": Stats.round(Stats.percentile(latencies, 99), 2),
                "decision_to_agent_max_ms": Stats.round(latencies.max() ?? 0, 2)]
    }

    /// CLOCK_MONOTONIC stamps of the control_response lines the stand-in read, in order.
    static func responseStamps(_ path: String) -> [Int64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard line.contains("\"control_response\""), let space = line.firstIndex(of: " ") else { return nil }
            return Int64(line[..<space])
        }
    }
}
