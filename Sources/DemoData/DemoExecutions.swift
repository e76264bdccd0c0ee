import Foundation
import Core
import Storage

/// Executions in every state, each with a log file (and its database copy), made through the same
/// repository calls a worker uses: queue, claim, finish.
enum DemoExecutions {
    static let worker = "demo-worker"
    /// The task whose queued build the demo cancels once it runs.
    static let cancelledWhileRunning = "gc"

    static func create(_ store: Store, agents: DemoAgents.Set, tasks: [String: TaskItem], logDirectory: String) throws {
        let ex = store.executions
        func queue(_ task: String, _ cap: String, _ args: [String: String] = [:], retries: Int = 0) throws -> Execution {
            try ex.queue(.init(taskId: tasks[task]!.id, capabilityId: agents.caps[cap]!.id, args: args, maxRetries: retries,
                               requestedBy: "demo"))
        }
        /// Claims exactly `e` (the demo queues and claims one at a time, so it is the oldest claimable).
        func start(_ e: Execution, _ log: String) throws -> Execution {
            guard let run = try ex.claim(workerId: worker), run.id == e.id else {
                throw StorageError.internalError("demo: expected to claim execution \(e.id)")
            }
            let path = (logDirectory as NSString).appendingPathComponent("execution-\(e.id).log")
            _ = FileManager.default.createFile(atPath: path, contents: Data(log.utf8), attributes: [.posixPermissions: 0o600])
            try ex.setProcess(e.id, workerId: worker, pid: nil, logFilePath: path)
            try ex.appendLog(e.id, Array(log.utf8))
            return run
        }
        func end(_ e: Execution, _ outcome: ExecutionRepository.Outcome, exit: Int?, error: String? = nil) throws {
            try ex.finish(e.id, workerId: worker, attempt: e.attempt, outcome: outcome, exitCode: exit, error: error)
        }

        // Finished history first (oldest), then what is live now.
        try end(try start(try queue("ci", "make:build"), Logs.makeBuild), .succeeded, exit: 0)
        try end(try start(try queue("deps", "make:test", ["filter": "security"]), Logs.makeTestPass), .succeeded, exit: 0)
        try end(try start(try queue("n1", "claude:implement"), Logs.claudeStream), .succeeded, exit: 0)
        try end(try start(try queue("cache", "git:log", ["count": "5"]), Logs.gitLog), .succeeded, exit: 0)
        try end(try start(try queue("perf", "gemini:explain", ["path": "worker/boot.py"]), Logs.geminiTimeout), .timedOut, exit: nil,
                error: "timed out after 300 s")
        let cancelled = try start(try queue("webhook", "codex:tests"), Logs.codexPartial)
        try ex.requestCancel(cancelled.id, by: "demo")
        try end(cancelled, .cancelled, exit: 143, error: "cancelled by demo")
        try ex.requestCancel(try queue("lint", "codex:implement").id, by: "demo")  // cancelled before it started
        let flaky = try start(try queue("flaky", "pytest:run", ["path": "tests/test_upload.py"], retries: 1), Logs.pytestFail)
        try end(flaky, .failed, exit: 1, error: "1 failed, 41 passed")  // queues attempt 2, run below

        // Live, for the worker `agentmon demo` runs inside the dashboard: attempt 2 of the flaky test (queued
        // by the failure above), an agent implementing, a build the demo cancels while it runs (`showCancel`),
        // one waiting for approval and one waiting for a free slot. Nothing is claimed by a worker that does
        // not exist: what shows as running really runs, and really ends.
        _ = try queue("auth", "claude:implement", ["focus": "refresh tokens"])
        _ = try queue(cancelledWhileRunning, "make:build")
        _ = try queue("release", "git:push", ["branch": "release/3.2"])  // needs approval
        _ = try queue("ratelimit", "codex:implement")
    }
}

/// Log text as the tools print it, colours included.
enum Logs {
    static let esc = "\u{1B}"
    static let makeBuild = """
        make: Entering directory '/srv/app'
        \(esc)[1mcc\(esc)[0m -O2 -c src/server.c -o build/server.o
        \(esc)[1mcc\(esc)[0m -O2 -c src/auth.c -o build/auth.o
        \(esc)[35msrc/auth.c:88:12: warning:\(esc)[0m unused variable 'ttl' [-Wunused-variable]
        \(esc)[1mcc\(esc)[0m build/server.o build/auth.o -o build/app
        make: Leaving directory '/srv/app'

        """
    static let makeTestPass = """
        ./run-tests --filter security
        \(esc)[32mPASS\(esc)[0m tests/security/test_headers.py (12 tests)
        \(esc)[32mPASS\(esc)[0m tests/security/test_csrf.py (7 tests)
        \(esc)[32mPASS\(esc)[0m tests/security/test_tokens.py (23 tests)
        42 passed in 3.21s

        """
    static let pytestFail = """
        ============================= test session starts ==============================
        collected 42 items

        tests/test_upload.py ........................................F.          [100%]

        =================================== FAILURES ===================================
        ____________________________ test_upload_resume ________________________________
        E       TimeoutError: chunk 17 was not acknowledged within 5.0 s
        tests/test_upload.py:214: TimeoutError
        ERROR: 1 failed, 41 passed in 12.40s

        """
    static let pytestRunning = """
        ============================= test session starts ==============================
        collected 42 items

        tests/test_upload.py ......................
        """
    static let gitLog = """
        \(esc)[33m4f2a9c1\(esc)[0m Cache rendered markdown previews
        \(esc)[33m9b11e07\(esc)[0m Fix cache key for anonymous users
        \(esc)[33m1c0d3aa\(esc)[0m Add preview cache metrics
        \(esc)[33m77e0b52\(esc)[0m Bump markdown renderer
        \(esc)[33m03f9d14\(esc)[0m Initial preview endpoint

        """
    static let claudeStream = """
        {"type":"system","subtype":"init","session_id":"8f3c2a10-demo-0001","model":"claude-sonnet-4-5","tools":["Bash","Read","Edit"]}
        {"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"I'll look at the dashboard endpoint queries."}]}}
        {"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_01","name":"Grep","input":{"pattern":"for .* in .*\\\\.all\\\\(\\\\)"}}]}}
        {"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"app/views/dashboard.py:41"}]}}
        {"type":"result","subtype":"success","total_cost_usd":0.4213,"usage":{"input_tokens":18234,"output_tokens":2210}}

        """
    static let claudeRunning = """
        {"type":"system","subtype":"init","session_id":"8f3c2a10-demo-0002","model":"claude-sonnet-4-5"}
        {"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"Reading the token service first."}]}}

        """
    static let geminiTimeout = """
        Loading worker/boot.py ...
        The cold start spends most of its time importing the plugin registry.
        Tracing imports (this may take a while)...

        """
    static let codexPartial = """
        {"type":"thread.started","thread_id":"demo-thread-1"}
        {"type":"turn.started"}
        {"type":"item.completed","item":{"type":"agent_message","text":"Adding tests for the webhook retry schedule."}}

        """
}
