import Foundation
import Testing
import CLISupport
import Core
@testable import Storage

/// Faults a user meets, through the real binaries: a PostgreSQL server that restarts or stops for 20 s
/// under a running worker and an open dashboard, a worker killed or hung mid-run, a full disk under the logs.
@Suite("Resilience: outages, dead workers, full disks") struct ResilienceE2ETests {
    /// A shell agent `sh:script` running `script`, one task, and a run of it; returns the execution id.
    func queue(_ db: String, _ script: String, maxRetries: Int = 0) throws -> Int {
        func ok(_ args: String...) throws -> CLIResult {
            let r = try CLI.run(args, db: db)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return r
        }
        _ = try ok("agent", "add", "--slug", "sh", "--name", "shell", "--binary", "/bin/sh", "--max-concurrent", "4")
        _ = try ok("capability", "add", "--agent", "sh", "--key", "script", "--label", "Script", "--command", "-c", script)
        _ = try ok("task", "add", "--title", "Survive")
        let run = try ok("run", "--task", "1", "--capability", "sh:script", "--max-retries", "\(maxRetries)", "--json")
        return try #require((run.json as? [String: Any])?["id"] as? Int)
    }

    func execution(_ db: String, _ id: Int) throws -> [String: Any] {
        try #require(try CLI.run(["exec", "show", "\(id)", "--json"], db: db).json as? [String: Any])
    }

    @Test("a PostgreSQL restart and a 20 s stop heal by themselves: the run ends once with every line, heartbeats resume, the dashboard shows the outage and catches up")
    func postgresOutagesHeal() throws {
        guard let server = try OwnPostgres() else { print("note: outage test skipped: no PostgreSQL configured"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-outage-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let starts = dir.appendingPathComponent("starts")
        // 150 lines over about 30 s: it runs through the restart and the whole stop.
        let id = try queue(server.url, "echo $$ >> '\(starts.path)'; i=1; while [ $i -le 150 ]; do echo \"line $i\"; i=$((i+1)); sleep 0.2; done")
        let worker = try BackgroundCLI.worker(url: server.url, dir: dir, id: "healer", ["--heartbeat", "1", "--poll-interval", "200"])
        defer { worker.stop() }
        let t = try Tmux(width: 120, height: 30, command: "\(Tmux.quote(CLI.binary)) --db \(Tmux.quote(server.url))")
        try t.waitFor(text: "Survive")
        #expect(try pollUntil(10) { try execution(server.url, id)["status"] as? String == "running" })

        try server.control("restart")
        usleep(1_500_000)
        try server.control("halt")
        try t.waitFor(text: "database unreachable — retrying", within: 10)
        usleep(20_000_000)
        #expect(try t.screen().contains("database unreachable"), "the status bar shows the outage while it lasts")
        try server.control("resume")

        // Back: the status clears and a task added now appears without a key.
        let added = try CLI.run(["task", "add", "--title", "Afterwards"], db: server.url)
        #expect(added.status == 0, "\(added.stderr)")
        let screen = try t.waitFor(text: "Afterwards", within: 10)
        #expect(!screen.contains("database unreachable"))

        // Heartbeats resume: the worker's row moves past the server's clock at resume.
        let store = try Store.open(server.url, migrate: false)
        defer { store.close() }
        let resumedAt = try #require(try store.db.queryOne("SELECT now() AS t")).date("t")
        #expect(try pollUntil(5) {
            (try store.workers.list().first { $0.workerId == "healer" }?.lastSeenAt ?? .distantPast) > resumedAt
        }, "heartbeats resume")

        // The run ends succeeded, once, with all of its lines in the database and in the file.
        #expect(try pollUntil(60) { try execution(server.url, id)["status"] as? String != "running" })
        let e = try execution(server.url, id)
        #expect(e["status"] as? String == "succeeded", "\(e) \(worker.stderr)")
        #expect(e["log_line_count"] as? Int == 150)
        let expected = (1...150).map { "line \($0)\n" }.joined()
        let chunks = try store.executions.logChunks(Int64(id), limit: 100_000).flatMap(\.data)
        #expect(String(decoding: chunks, as: UTF8.self) == expected, "every line once, in order, in the database")
        #expect(try String(contentsOfFile: try #require(e["log_file_path"] as? String), encoding: .utf8) == expected)
        #expect(startedPids(starts).count == 1, "the program ran once")
        let runs = try #require(try CLI.run(["exec", "list", "--json"], db: server.url).json as? [[String: Any]])
        #expect(runs.count == 1, "no retry, no second copy")
        #expect(worker.stderr.contains("database unreachable") && worker.stderr.contains("database reachable again"), "\(worker.stderr)")
    }

    /// A script that writes its pid, then ticks for 30 s.
    func ticking(_ pids: URL) -> String {
        "echo $$ >> '\(pids.path)'; i=0; while [ $i -lt 300 ]; do echo tick; i=$((i+1)); sleep 0.1; done"
    }

    @Test("a worker SIGKILLed mid-run takes its program with it; the retry never overlaps it; the old attempt is fenced",
          arguments: CLIBackend.allCases)
    func killedWorker(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let pids = db.dir.appendingPathComponent("pids")
        let id = try queue(db.url, ticking(pids), maxRetries: 1)
        let a = try BackgroundCLI.worker(url: db.url, dir: db.dir, id: "doomed", ["--heartbeat", "0.5", "--stale-after", "2", "--poll-interval", "100"])
        #expect(pollUntil(10) { startedPids(pids).count == 1 })
        let first = try #require(startedPids(pids).first)
        #expect(isAlive(first))

        a.signal(SIGKILL)
        a.process.waitUntilExit()
        #expect(pollUntil(1) { !isAlive(first) }, "the program dies within a second of its worker")

        let b = try BackgroundCLI.worker(url: db.url, dir: db.dir, id: "reaper", ["--heartbeat", "0.5", "--stale-after", "2", "--poll-interval", "100"])
        defer { b.stop() }
        #expect(pollUntil(15) { startedPids(pids).count == 2 }, "the retry starts: \(b.stderr)")
        #expect(!isAlive(first), "never two copies at once")
        let old = try execution(db.url, id)
        #expect(old["status"] as? String == "failed" && (old["error"] as? String)?.contains("reaped") == true, "\(old)")

        // The dead attempt's late words are refused by the database.
        let store = try Store.open(db.url, migrate: false)
        defer { store.close() }
        let ex = store.executions
        #expect(try ex.finish(Int64(id), workerId: "doomed", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil) == nil)
        #expect(try ex.appendLog(Int64(id), Array("late\n".utf8), workerId: "doomed", attempt: 1) == false)
        let before = try ex.get(Int64(id))
        try ex.heartbeat(workerId: "doomed", executionIds: [Int64(id)])
        #expect(try ex.get(Int64(id)).heartbeatAt == before.heartbeatAt && before.logByteSize == (try ex.get(Int64(id)).logByteSize))
        #expect(try ex.get(Int64(id)).status == .failed)
    }

    @Test("a reaper on the same host ends a hung worker's program before the retry starts", arguments: CLIBackend.allCases)
    func hungWorker(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let pids = db.dir.appendingPathComponent("pids")
        let id = try queue(db.url, ticking(pids), maxRetries: 1)
        let a = try BackgroundCLI.worker(url: db.url, dir: db.dir, id: "hung", ["--heartbeat", "0.5", "--stale-after", "2", "--poll-interval", "100"])
        defer { a.signal(SIGKILL) }
        #expect(pollUntil(10) { startedPids(pids).count == 1 })
        let first = try #require(startedPids(pids).first)
        a.signal(SIGSTOP)  // alive but silent: its supervisor still holds the program, only a reaper can end it

        let b = try BackgroundCLI.worker(url: db.url, dir: db.dir, id: "reaper", ["--heartbeat", "0.5", "--stale-after", "2", "--poll-interval", "100"])
        defer { b.stop() }
        #expect(pollUntil(15) { startedPids(pids).count == 2 }, "the retry starts: \(b.stderr)")
        #expect(!isAlive(first), "the stale run's group was killed before its retry was queued")

        // The hung worker wakes up: it learns the run is no longer its own and records nothing over the reaper's.
        a.signal(SIGCONT)
        #expect(pollUntil(10) { a.stderr.contains("execution \(id): no longer ours") }, "\(a.stderr)")
        let old = try execution(db.url, id)
        #expect(old["status"] as? String == "failed" && (old["error"] as? String)?.contains("reaped") == true, "\(old)")
    }

    @Test("a full disk under the logs: the run keeps its status, records the write error, and exec logs prints every byte")
    func fullDisk() throws {
        guard getuid() == 0 else { print("note: disk-full test skipped: mounting a tmpfs needs root"); return }
        guard let db = try CLIDatabase(.sqlite) else { return }
        let logs = db.dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        guard (try? spawn(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", logs.path], capture: true)) != nil,
              isMounted(logs.path) else {
            print("note: disk-full test skipped: cannot mount a tmpfs here"); return
        }
        defer { _ = try? spawn(["umount", "-l", logs.path], capture: true) }
        // 1 MB of numbered lines into a 256 KB file system.
        let id = try queue(db.url, "i=1; while [ $i -le 20000 ]; do echo \"line $i of the run that fills the disk\"; i=$((i+1)); done")
        let w = try CLI.run(["worker", "--once", "--quiet", "--log-dir", logs.path], db: db.url)
        #expect(w.status == 0, "\(w.stderr)")
        let e = try execution(db.url, id)
        #expect(e["status"] as? String == "succeeded", "\(e)")
        #expect((e["error"] as? String)?.contains("No space left on device") == true, "\(e)")
        #expect(e["log_file_incomplete"] as? Bool == true)
        let expected = (1...20000).map { "line \($0) of the run that fills the disk\n" }.joined()
        let out = try CLI.run(["exec", "logs", "\(id)"], db: db.url)
        #expect(out.status == 0)
        #expect(out.stdout.utf8.count == expected.utf8.count && out.stdout == expected, "every byte, from the database")
    }

    func isMounted(_ path: String) -> Bool {
        ((try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? "").contains(" \(path) tmpfs ")
    }
}
