import Foundation
import Testing
import CLISupport
import Core
@testable import Storage

/// `agentmon run`, `exec …`, `worker` and `worker list` through the real binary, as scripts use them.
@Suite("CLI: run, exec, worker") struct WorkerCLITests {
    /// An agent (printf) with a capability `pf:say` printing its `msg` argument, and one task.
    func setUp(_ db: CLIDatabase) throws {
        #expect(try db.run("agent", "add", "--slug", "pf", "--name", "Printf", "--binary", "/usr/bin/printf", "--max-concurrent", "4").status == 0)
        let cap = try db.run("capability", "add", "--agent", "pf", "--key", "say", "--label", "Say", "--command", "%s\\n", "{{msg}}")
        #expect(cap.status == 0, "\(cap.stderr)")
        #expect(try db.run("task", "add", "--title", "T").status == 0)
    }

    func worker(_ db: CLIDatabase, _ extra: String...) throws -> CLIResult {
        try db.runArgs(["worker", "--once", "--quiet", "--poll-interval", "20", "--log-dir", db.dir.appendingPathComponent("logs").path] + extra)
    }

    @Test("run queues and prints the id; exec list/show/logs/retry; worker list", arguments: CLIBackend.allCases)
    func contract(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        try setUp(db)
        let run = try db.run("run", "--task", "1", "--capability", "pf:say", "--arg", "msg=x; rm -rf ~ $(id)")
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let queued = try #require(try db.run("run", "--task", "1", "--capability", "pf:say", "--arg", "msg=two", "--max-retries", "2", "--json").json as? [String: Any])
        #expect(queued["status"] as? String == "queued" && queued["max_retries"] as? Int == 2 && (queued["args"] as? [String: String]) == ["msg": "two"])

        let w = try worker(db)
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stdout.contains("ran 2 executions (2 succeeded)"))

        let list = try #require(try db.run("exec", "list", "--json").json as? [[String: Any]])
        #expect(list.count == 2 && list.allSatisfy { $0["status"] as? String == "succeeded" })
        let show = try #require(try db.run("exec", "show", "\(id)", "--json").json as? [String: Any])
        for key in ["id", "task_id", "agent_id", "capability_id", "status", "worker_id", "attempt", "retry_count", "max_retries",
                    "exit_code", "error", "log_file_path", "log_byte_size", "log_line_count", "pid", "started_at", "ended_at",
                    "heartbeat_at", "created_at", "args", "requires_approval", "approved_at", "approved_by"] {
            #expect(show.keys.contains(key), "exec show has \(key)")
        }
        #expect(show["exit_code"] as? Int == 0 && show["log_line_count"] as? Int == 1 && show["attempt"] as? Int == 1)
        #expect(try db.run("exec", "list", "--status", "queued", "--json").json as? [Any] != nil)

        let logs = try db.run("exec", "logs", "\(id)")
        #expect(logs.status == 0 && logs.stdout == "x; rm -rf ~ $(id)\n")
        // Without the file (another machine's worker), the bytes come from the database.
        try FileManager.default.removeItem(atPath: try #require(show["log_file_path"] as? String))
        #expect(try db.run("exec", "logs", "\(id)").stdout == "x; rm -rf ~ $(id)\n")

        let retry = try db.run("exec", "retry", "\(id)")
        #expect(retry.status == 0, "\(retry.stderr)")
        let retryId = try #require(Int(retry.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(retryId > id)
        let again = try #require(try db.run("exec", "show", "\(retryId)", "--json").json as? [String: Any])
        #expect(again["attempt"] as? Int == 2 && again["status"] as? String == "queued")
        #expect(try db.run("exec", "cancel", "\(retryId)").stdout.contains("cancelled"))

        let workers = try #require(try db.run("worker", "list", "--json").json as? [[String: Any]])
        #expect(workers.isEmpty, "a worker that ended removed its row")
    }

    @Test("user errors: one line on stderr, non-zero exit", arguments: CLIBackend.allCases)
    func errors(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        try setUp(db)
        #expect(try db.run("capability", "add", "--agent", "pf", "--key", "need", "--label", "Need", "--command", "{{msg}}").status == 0)
        expectCleanError(try db.run("run", "--task", "99", "--capability", "pf:say", "--arg", "msg=x"), contains: "no task with id 99")
        expectCleanError(try db.run("run", "--task", "1", "--capability", "nobody:say"), contains: "no agent with slug 'nobody'")
        expectCleanError(try db.run("run", "--task", "1", "--capability", "pf:nothing"), contains: "agent 'pf' has no capability 'nothing'")
        expectCleanError(try db.run("run", "--task", "1", "--capability", "pfsay"), contains: "is not AGENT:KEY")
        expectCleanError(try db.run("run", "--task", "1", "--capability", "pf:say", "--arg", "novalue"), contains: "--arg 'novalue' is not KEY=VALUE")
        expectCleanError(try db.run("run", "--task", "1", "--capability", "pf:say"), contains: "capability pf:say needs --arg msg=VALUE")
        // A schema's required names (a default counts as given); the defaults are stored with the run.
        let store = try Store.open(db.url)
        let pf = try store.agents.require(slug: "pf")
        try store.agents.addCapability(Capability(agentId: pf.id, key: "sch", label: "Schema", mode: .template, commandTokens: ["{{count}}"],
                                                  argsSchema: ["properties": ["count": ["default": 20]], "required": ["count", "path"]]))
        store.close()
        expectCleanError(try db.run("run", "--task", "1", "--capability", "pf:sch"), contains: "capability pf:sch needs --arg path=VALUE")
        let withPath = try #require(try db.run("run", "--task", "1", "--capability", "pf:sch", "--arg", "path=p", "--json").json as? [String: Any])
        #expect(withPath["args"] as? [String: String] == ["count": "20", "path": "p"])
        expectCleanError(try db.run("run", "--task", "x", "--capability", "pf:say"), contains: "is not a task id")
        expectCleanError(try db.run("run", "--task", "1", "--capability", "pf:say", "--max-retries", "-1"), contains: "--max-retries")
        expectCleanError(try db.run("exec", "show", "42"), contains: "no execution with id 42")
        expectCleanError(try db.run("exec", "logs", "abc"), contains: "is not an execution id")
        expectCleanError(try db.run("exec", "list", "--status", "bogus"), contains: "unknown status 'bogus'")
        expectCleanError(try db.run("worker", "--concurrency", "0"), contains: "--concurrency must be at least 1")
        expectCleanError(try db.run("worker", "--heartbeat", "10", "--stale-after", "5"), contains: "--stale-after")
        expectCleanError(try db.run("agent", "add", "--slug", "e", "--name", "E", "--binary", "/bin/true", "--env-allow", "A=B"), contains: "--env-allow")
        let done = try db.run("run", "--task", "1", "--capability", "pf:say", "--arg", "msg=x")
        let id = done.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        expectCleanError(try db.run("exec", "approve", id), contains: "does not need approval")
        expectCleanError(try db.run("exec", "retry", id), contains: "only an ended run can be retried")
        #expect(try db.run("exec", "cancel", id).status == 0)
        expectCleanError(try db.run("exec", "cancel", id), contains: "has already ended")
    }

    @Test("a required argument is checked; approval gates the run; env allowlist and working dir from agent add", arguments: CLIBackend.allCases)
    func requiredApprovalEnvironment(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        let wd = db.dir.appendingPathComponent("wd").path
        try FileManager.default.createDirectory(atPath: wd, withIntermediateDirectories: true)
        #expect(try db.run("agent", "add", "--slug", "env", "--name", "Env", "--binary", "/bin/sh", "--env-allow", "ALLOWED_VAR",
                           "--env-allow", "HOME", "--working-dir", wd).status == 0)
        #expect(try db.run("capability", "add", "--agent", "env", "--key", "show", "--label", "Show", "--requires-approval",
                           "--command", "-c", "pwd; env | sort", "sh", "{{unused}}").status == 0)
        #expect(try db.run("task", "add", "--title", "T").status == 0)
        let q = try db.run("run", "--task", "1", "--capability", "env:show", "--arg", "unused=1")
        let id = q.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try worker(db).stdout.contains("ran 0 executions"), "waits for approval")
        #expect(try db.run("exec", "approve", id).status == 0)
        var env = ProcessInfo.processInfo.environment
        env["SECRET_TOKEN"] = "hunter2"; env["ALLOWED_VAR"] = "yes"
        let w = try CLI.run(["worker", "--once", "--quiet", "--log-dir", db.dir.appendingPathComponent("logs").path], db: db.url, env: env)
        #expect(w.status == 0, "\(w.stderr)")
        let lines = try db.run("exec", "logs", id).stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == wd)
        #expect(lines.contains("ALLOWED_VAR=yes") && lines.contains("PATH=/usr/bin:/bin"))
        #expect(!lines.contains { $0.contains("hunter2") })
    }

    @Test("exec logs --follow prints the log as it grows and exits when the run ends", arguments: CLIBackend.allCases)
    func follow(_ backend: CLIBackend) throws {
        guard let db = try CLIDatabase(backend) else { return }
        #expect(try db.run("agent", "add", "--slug", "sh", "--name", "Sh", "--binary", "/bin/sh").status == 0)
        #expect(try db.run("capability", "add", "--agent", "sh", "--key", "slow", "--label", "Slow", "--command", "-c",
                           "echo one; sleep 0.5; printf 'two\\377'").status == 0)
        #expect(try db.run("task", "add", "--title", "T").status == 0)
        let id = try db.run("run", "--task", "1", "--capability", "sh:slow").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let follower = try BackgroundCLI(["exec", "logs", id, "--follow"], db: db)
        #expect(try worker(db).status == 0)
        let status = try #require(follower.wait(timeout: 10), "follow ends when the run ends")
        #expect(status == 0)
        #expect(follower.stdout == Array("one\ntwo".utf8) + [0xff])
    }
}

extension WorkerCLITests {
    /// Workers as real processes, ended by signals.
    @Suite("CLI: worker processes and signals") struct Signals {
        static func exec(_ db: CLIDatabase, _ id: String) throws -> [String: Any] {
            try #require(try db.run("exec", "show", id, "--json").json as? [String: Any])
        }

        func workerArgs(_ db: CLIDatabase, id: String) -> [String] {
            ["worker", "--id", id, "--heartbeat", "1", "--stale-after", "2", "--poll-interval", "50", "--kill-grace", "1",
             "--log-dir", db.dir.appendingPathComponent("logs").path]
        }

        @Test("a worker killed with SIGKILL mid-run: its run is reaped and retried by another worker, and the retry succeeds",
              arguments: CLIBackend.allCases)
        func sigkill(_ backend: CLIBackend) throws {
            guard let db = try CLIDatabase(backend) else { return }
            let mark = db.dir.appendingPathComponent("first-attempt").path
            // The first attempt leaves a mark and sleeps; a later one finds the mark and succeeds at once.
            let script = #"if [ -e "$1" ]; then echo second; exit 0; fi; touch "$1"; echo first; exec sleep 30"#
            #expect(try db.run("agent", "add", "--slug", "nap", "--name", "Nap", "--binary", "/bin/sh").status == 0)
            #expect(try db.run("capability", "add", "--agent", "nap", "--key", "run", "--label", "Run", "--command", "-c", script, "sh", mark).status == 0)
            #expect(try db.run("task", "add", "--title", "T").status == 0)
            let id = try db.run("run", "--task", "1", "--capability", "nap:run", "--max-retries", "1").stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            let a = try BackgroundCLI(workerArgs(db, id: "doomed"), db: db)
            var pid: Int?
            #expect(try pollUntil(10) {
                let e = try Self.exec(db, id)
                pid = e["pid"] as? Int
                return e["status"] as? String == "running" && pid != nil && FileManager.default.fileExists(atPath: mark)
            }, "the first attempt runs: \(a.stderr) \((try? db.run("exec", "list"))?.stdout ?? "")")
            a.signal(SIGKILL)
            #expect(a.wait(timeout: 5) != nil)
            // Its child is in its own process group and outlives a SIGKILLed worker: end it here.
            if let pid { kill(-Int32(pid), SIGKILL) }

            let b = try BackgroundCLI(workerArgs(db, id: "rescuer"), db: db)
            var retry: [String: Any]?
            #expect(try pollUntil(20) {
                let all = try #require(try db.run("exec", "list", "--json").json as? [[String: Any]])
                retry = all.first { $0["retry_of_id"] as? Int == Int(id) }
                return retry?["status"] as? String == "succeeded"
            }, "the retry succeeded: \(b.stderr) \((try? db.run("exec", "list"))?.stdout ?? "") \((try? db.run("worker", "list"))?.stdout ?? "")")
            b.signal(SIGTERM)
            #expect(b.wait(timeout: 10) == 0, "a worker stopped by SIGTERM exits 0")
            let first = try Self.exec(db, id)
            #expect(first["status"] as? String == "failed")
            #expect((first["error"] as? String)?.contains("worker doomed stopped heartbeating") == true)
            #expect(retry?["attempt"] as? Int == 2 && retry?["worker_id"] as? String == "rescuer")
            let retryId = try #require(retry?["id"] as? Int)
            #expect(try db.run("exec", "logs", "\(retryId)").stdout == "second\n")
            #expect(b.stderr.contains("reaped execution \(id) of worker doomed"))
        }

        @Test("SIGTERM to a worker: it stops claiming, ends its runs' process groups, records them, exits 0",
              arguments: CLIBackend.allCases)
        func sigterm(_ backend: CLIBackend) throws {
            guard let db = try CLIDatabase(backend) else { return }
            let marker = "agentmon-test-\(UUID().uuidString)"
            #expect(try db.run("agent", "add", "--slug", "nap", "--name", "Nap", "--binary", "/bin/sh", "--max-concurrent", "2").status == 0)
            #expect(try db.run("capability", "add", "--agent", "nap", "--key", "run", "--label", "Run", "--command", "-c",
                               "sleep 300 & wait", marker).status == 0)
            #expect(try db.run("task", "add", "--title", "T").status == 0)
            let ids = try (0..<3).map { _ in try db.run("run", "--task", "1", "--capability", "nap:run").stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
            let w = try BackgroundCLI(workerArgs(db, id: "w"), db: db)
            var pids: [Int] = []
            #expect(try pollUntil(10) {
                pids = try ids.prefix(2).compactMap { try Self.exec(db, $0)["pid"] as? Int }
                return pids.count == 2
            }, "two run (max_concurrent 2): \(w.stderr)")
            w.signal(SIGTERM)
            #expect(w.wait(timeout: 10) == 0, "\(w.stderr)")
            for id in ids.prefix(2) {
                let e = try Self.exec(db, id)
                #expect(e["status"] as? String == "failed" && e["error"] as? String == "worker stopped")
            }
            #expect(try Self.exec(db, ids[2])["status"] as? String == "queued", "a stopping worker claims nothing more")
            for pid in pids {
                #expect(pollUntil(5) { kill(-Int32(pid), 0) != 0 && errno == ESRCH }, "process group \(pid) is gone")
            }
            let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { p in
                guard Int32(p) != nil, let d = FileManager.default.contents(atPath: "/proc/\(p)/cmdline") else { return false }
                return String(decoding: d, as: UTF8.self).contains(marker)
            }
            #expect(left.isEmpty, "no process of the runs is left")
        }
    }
}

