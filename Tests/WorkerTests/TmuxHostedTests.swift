import Foundation
import Testing
import Core
import Storage
import SystemSupport
@testable import Worker

/// Runs of agents whose protocol is `tmux`, through the real worker loop and a real tmux server: each test
/// has its own server (AGENTMON_TMUX_SOCKET in a scratch folder), killed at the end. The agent is
/// Tests/StandIns/interactive-agent, a stand-in for Gemini CLI's interactive mode.
@Suite("Worker: runs hosted in tmux", .serialized) struct TmuxHostedTests {
    static let agentScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("StandIns/interactive-agent").path

    /// A scratch database, a worker environment whose tmux socket is the test's own, and that server.
    func withTmux(_ backend: Backend, _ body: (TestDatabase, [String: String], TmuxServer) throws -> Void) throws {
        try withDatabase(backend) { tdb in
            var env = ProcessInfo.processInfo.environment
            env[AppPaths.tmuxSocketVariable] = tdb.path("tmux/sock")
            let server = try TmuxServer.forWorker(environment: env)
            defer { _ = server.attempt(["kill-server"]) }
            try body(tdb, env, server)
        }
    }

    /// An agent speaking `tmux` that runs the stand-in with `args`; returns its capability.
    func tmuxAgent(_ s: Store, args: [String] = [], timeout: Int = 60, envAllow: [String] = []) throws -> Capability {
        let a = try s.agents.create(Agent(slug: "gemini-standin", name: "stand-in", binaryPath: Self.agentScript,
                                          envAllowlist: envAllow, maxConcurrent: 4,
                                          sessionConfig: ["bidirectionalProtocol": "tmux"]))
        return try s.agents.addCapability(Capability(agentId: a.id, key: "chat", label: "Chat", mode: .template,
                                                     commandTokens: args.isEmpty ? ["--wait"] : args, argsSchema: .object([:]),
                                                     timeoutSec: timeout, maxOutputBytes: 1 << 20))
    }

    func log(_ tdb: TestDatabase, _ id: ID) -> String {
        String(decoding: (try? tdb.logBytes(id)) ?? [], as: UTF8.self)
    }

    /// Waits until the run is running in its session and the stand-in said it is ready.
    func waitReady(_ tdb: TestDatabase, _ s: Store, _ id: ID, _ server: TmuxServer) throws -> String {
        var name: String?
        #expect(try waitUntil(15) {
            let e = try s.executions.get(id)
            name = e.tmuxSessionName
            return e.status == .running && name != nil && log(tdb, id).contains("ready: interactive stand-in")
        }, "the run never became ready; log: \(log(tdb, id))")
        let session = try #require(name)
        #expect(session == TmuxHostedProgram.sessionName(executionId: id, attempt: 1))
        #expect(server.hasSession(session))
        return session
    }

    @Test("typed messages reach the agent, Escape interrupts, and its exit code is the run's", arguments: Backend.allCases)
    func conversation(_ backend: Backend) throws {
        try withTmux(backend) { tdb, env, server in
            let s = try tdb.store()
            let e = try s.queue(try tmuxAgent(s), task: try s.task())
            let worker = try tdb.background(tdb.options(once: false, environment: env))
            defer { _ = try? worker.stop() }
            let session = try waitReady(tdb, s, e.id, server)

            // A message: the literal text (shell and tmux key names mean nothing in it), then Enter.
            try s.inputs.enqueue(executionId: e.id, kind: .message, body: "hello $(id) C-c ;", sentBy: "test")
            #expect(try waitUntil(10) { log(tdb, e.id).contains("got: hello $(id) C-c ;") }, "log: \(log(tdb, e.id))")
            // An interrupt is Escape: the stand-in reads it as the first byte of its next line.
            try s.inputs.enqueue(executionId: e.id, kind: .interrupt, sentBy: "test")
            try s.inputs.enqueue(executionId: e.id, kind: .message, body: "after", sentBy: "test")
            #expect(try waitUntil(10) { log(tdb, e.id).contains("got: \u{1b}after") }, "log: \(log(tdb, e.id))")

            try s.inputs.enqueue(executionId: e.id, kind: .message, body: "quit 3", sentBy: "test")
            #expect(try waitUntil(15) { try s.executions.get(e.id).status.isTerminal })
            let done = try s.executions.get(e.id)
            #expect(done.status == .failed && done.exitCode == 3, "\(done.status) \(String(describing: done.exitCode)) \(done.error ?? "")")
            #expect(done.tmuxSessionName == session)
            #expect(log(tdb, e.id).contains("bye"))
            #expect(try s.executions.logChunks(e.id).flatMap(\.data) == (try tdb.logBytes(e.id)))
            #expect(try s.inputs.pending(executionId: e.id).isEmpty)
            #expect(!server.hasSession(session))
        }
    }

    @Test("a program that exits at once: its output and exit code 0 are kept, in exactly the plan's environment", arguments: Backend.allCases)
    func immediateExit(_ backend: Backend) throws {
        try withTmux(backend) { tdb, env, server in
            let s = try tdb.store()
            let e = try s.queue(try tmuxAgent(s, args: ["--env", "--exit", "0"], envAllow: ["ALLOWED_VAR"]), task: try s.task())
            var workerEnv = env
            workerEnv["ALLOWED_VAR"] = "yes"; workerEnv["SECRET_TOKEN"] = "hunter2"
            try tdb.drain(environment: workerEnv)
            let done = try s.executions.get(e.id)
            #expect(done.status == .succeeded && done.exitCode == 0, "\(done.status) \(done.error ?? "")")
            let text = log(tdb, e.id)
            #expect(text.contains("ready: interactive stand-in"))
            let vars = Set(text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                .compactMap { $0.split(separator: "=").first.map(String.init) })
            #expect(vars.contains("ALLOWED_VAR") && vars.contains("PATH") && !vars.contains("SECRET_TOKEN") && !text.contains("hunter2"))
            #expect(!vars.contains("TMUX") && !vars.contains("TMUX_PANE"))
            #expect(done.tmuxSessionName != nil && !server.hasSession(done.tmuxSessionName!))
        }
    }

    @Test("a cancel ends the run and kills its session", arguments: Backend.allCases)
    func cancel(_ backend: Backend) throws {
        try withTmux(backend) { tdb, env, server in
            let s = try tdb.store()
            let e = try s.queue(try tmuxAgent(s), task: try s.task())
            let worker = try tdb.background(tdb.options(once: false, environment: env))
            defer { _ = try? worker.stop() }
            let session = try waitReady(tdb, s, e.id, server)
            let pid = try #require(try s.executions.get(e.id).pid)
            _ = try s.executions.requestCancel(e.id)
            #expect(try waitUntil(15) { try s.executions.get(e.id).status.isTerminal })
            #expect(try s.executions.get(e.id).status == .cancelled)
            #expect(!server.hasSession(session))
            #expect(!groupExists(Int32(pid)))
        }
    }

    @Test("a run past its capability's timeout is stopped and its session killed", arguments: Backend.allCases)
    func timeout(_ backend: Backend) throws {
        try withTmux(backend) { tdb, env, server in
            let s = try tdb.store()
            let e = try s.queue(try tmuxAgent(s, timeout: 2), task: try s.task())
            let started = Date()
            try tdb.drain(environment: env)
            let done = try s.executions.get(e.id)
            #expect(done.status == .timedOut, "\(done.status) \(done.error ?? "")")
            #expect(Date().timeIntervalSince(started) < 10)
            #expect(done.tmuxSessionName != nil && !server.hasSession(done.tmuxSessionName!))
            #expect(log(tdb, e.id).contains("ready: interactive stand-in"))
        }
    }

    @Test("a run whose worker died is reaped by a worker on its host, which kills the session left behind", arguments: Backend.allCases)
    func reapedSession(_ backend: Backend) throws {
        try withTmux(backend) { tdb, env, server in
            let s = try tdb.store()
            let e = try s.queue(try tmuxAgent(s), task: try s.task())
            // A worker on this host that claimed the run, started its session, and died.
            try s.workers.heartbeat(workerId: "ghost", host: HostName.current(), pid: 1, currentExecutions: 1)
            #expect(try s.executions.claim(workerId: "ghost")?.id == e.id)
            let name = TmuxHostedProgram.sessionName(executionId: e.id, attempt: 1)
            try server.run(["new-session", "-d", "-s", name, "--", "sleep", "600"])
            try s.executions.setTmuxSession(e.id, workerId: "ghost", attempt: 1, name: name)
            var opts = tdb.options(id: "alive", once: false, environment: env, heartbeat: 0.5, staleAfter: 1)
            opts.pollInterval = 0.1
            let w = try tdb.background(opts)
            defer { _ = try? w.stop() }
            #expect(try waitUntil(15) { try s.executions.get(e.id).status == .failed })
            #expect(waitUntil(5) { !server.hasSession(name) }, "the dead worker's session is killed by the reaper")
        }
    }
}
