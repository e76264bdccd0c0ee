import Foundation
import Testing
import Config
import Core
import Render
import Storage
import Terminal
@testable import Dashboard

/// A folder with small executable scripts (argv programs with a shebang: no `sh -c` anywhere).
final class ScriptFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-notify-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func script(_ name: String, _ body: String) throws -> String {
        let p = path(name)
        try ("#!/bin/sh\n" + body + "\n").write(toFile: p, atomically: true, encoding: .utf8)
        chmod(p, 0o755)
        return p
    }
    func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }
}

@Suite("Notifications: the command runner") struct NotifyCommandTests {
    @Test func theEventArrivesOnStdinAndTheOutputGoesNowhere() throws {
        let f = try ScriptFolder()
        // Copies stdin to $1, and says where its stdout and stderr point.
        let copy = try f.script("copy", "cat > \"$1\"\no=$(readlink /proc/$$/fd/1); e=$(readlink /proc/$$/fd/2)\nprintf '%s\\n%s\\n' \"$o\" \"$e\" > \"$1.fds\"\necho noise; echo noise >&2")
        let e = NotifyEvent(kind: .needsInput, executionId: 4, taskId: 2, agent: "claude", tool: "Bash", summary: "ls")
        #expect(NotifyCommand.run([copy, f.path("out")], input: Array((e.json + "\n").utf8), timeout: 5) == .ok)
        let json = try #require(notifyJSON(f.read("out") ?? ""), "\(f.read("out") ?? "nothing")")
        #expect(json["event"] as? String == "needs_input" && json["execution"] as? Int == 4 && json["agent"] as? String == "claude")
        #expect(f.read("out.fds") == "/dev/null\n/dev/null\n", "nothing reaches the dashboard's terminal")
    }

    @Test func aCommandPastTheTimeoutIsKilledWithWhatItStarted() throws {
        let f = try ScriptFolder()
        // The script's own child (sleep) must die too: it records its pid first.
        let slow = try f.script("slow", "sleep 30 &\necho $! > \"$1\"\nwait")
        let start = Date()
        let outcome = NotifyCommand.run([slow, f.path("pid")], input: [], timeout: 0.3)
        #expect(outcome == .timedOut)
        #expect(Date().timeIntervalSince(start) < 5, "killed at the timeout, not waited for")
        #expect(NotifyCommand.describe(outcome, argv: [slow])?.contains("took too long") == true)
        let pid = try #require(f.read("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        #expect(eventually("the grandchild died") {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        })
    }

    @Test func aMissingProgramIsReported() {
        #expect(NotifyCommand.run(["/nonexistent/agentmon-notify"], input: [], timeout: 5) == .notFound)
        #expect(NotifyCommand.run(["agentmon-no-such-notifier-\(UUID().uuidString)"], input: [], timeout: 5) == .notFound)
        #expect(NotifyCommand.describe(.notFound, argv: ["notify-send"]) == "notify command: notify-send not found")
    }

    @Test func aNonZeroExitIsReported() throws {
        let f = try ScriptFolder()
        let failing = try f.script("fail", "exit 3")
        #expect(NotifyCommand.run([failing], input: [], timeout: 5) == .exited(3))
        #expect(NotifyCommand.describe(.exited(3), argv: ["x"]) == "notify command: x exited with status 3")
        #expect(NotifyCommand.describe(.ok, argv: ["x"]) == nil)
    }

    @Test func theRunnerReportsFailuresAndSurvivesACommandThatReadsNothing() throws {
        let f = try ScriptFolder()
        let quits = try f.script("quits", "exit 0")
        let lines = Locked<[String]>([])
        let runner = NotifyCommand(argv: [quits], timeout: 5) { l in lines.with { $0.append(l) } }
        // 1 MiB to a program that never reads: the write fails (EPIPE / full pipe) instead of ending this process.
        runner.submit([UInt8](repeating: 0x41, count: 1 << 20))
        runner.submit([UInt8](repeating: 0x41, count: 1 << 20))
        #expect(runner.waitIdle(seconds: 10))
        #expect(lines.get.isEmpty, "\(lines.get)")

        let missing = NotifyCommand(argv: [f.path("missing")], timeout: 5) { l in lines.with { $0.append(l) } }
        missing.submit(Array("{}".utf8))
        #expect(missing.waitIdle(seconds: 10))
        #expect(lines.get == ["notify command: \(f.path("missing")) not found"])
        runner.stop(); missing.stop()
    }
}

/// A terminal port that records what the app asks of it, in order.
final class RecordingPort: TerminalPort, @unchecked Sendable {
    let size = (width: 120, height: 40)
    let colorDepth = ColorDepth.trueColor
    private let cond = NSCondition()
    private var events: [ScreenEvent] = []
    private var woken = false
    let log = Locked<[String]>([])
    let controls = Locked<[UInt8]>([])
    var wake: @Sendable () -> Void { { [weak self] in self?.poke() } }

    func push(_ e: ScreenEvent) { cond.lock(); events.append(e); cond.signal(); cond.unlock() }
    func poke() { cond.lock(); woken = true; cond.signal(); cond.unlock() }
    func present(_ buffer: Buffer) { log.with { if $0.last != "present" { $0.append("present") } } }
    func clearAndRedraw() {}
    func bell() { log.with { $0.append("bell") } }
    func writeControl(_ bytes: [UInt8]) { log.with { $0.append("control") }; controls.with { $0 += bytes } }
    func nextEvent(timeoutMs: Int?) -> ScreenEvent {
        cond.lock(); defer { cond.unlock() }
        while events.isEmpty && !woken { cond.wait() }
        if !events.isEmpty { return events.removeFirst() }
        woken = false
        return .wake
    }
}

@Suite("Notifications: the dashboard loop") struct NotifyLoopTests {
    @Test func aNewConfirmationAndAFinishedRunReachTheCommandTheBellAndTheDesktop() throws {
        let f = try ScriptFolder()
        let append = try f.script("append", "cat >> \"$1\"")
        let path = f.path("board.db")
        let other = try Store.open(path)
        defer { other.close() }
        let agent = try other.agents.create(Agent(slug: "claude", name: "Claude", binaryPath: "claude"))
        let cap = try other.agents.addCapability(Capability(agentId: agent.id, key: "fix", label: "Fix", mode: .template, commandTokens: ["fix"]))
        let task = try other.tasks.create(NewTask(title: "Fix the tests"))
        let old = try other.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
        let claimedOld = try #require(try other.executions.claim(workerId: "w"))
        try other.executions.finish(claimedOld.id, workerId: "w", attempt: claimedOld.attempt, outcome: .failed, exitCode: 1, error: "old")
        let session = try other.sessions.create(Session(title: "s", agentId: agent.id, executionId: old.id, taskId: task.id))
        _ = try other.toolCalls.savePendingConfirmation(sessionId: session.id, toolName: "Read", input: "{}", userMessage: nil)

        var config = DashboardConfig()
        config.pollIntervalMs = 50
        config.sync.enabled = false  // no background import of this machine's agent folders
        config.notify = .init(bell: true, command: [append, f.path("events")], desktop: true)
        let app = DashboardApp(options: .init(connection: path, databaseName: "test", config: config))
        let port = RecordingPort()
        let states = Locked<[NotifyState]>([])
        app.onFrame = { s in states.with { $0.append(s.notify) } }
        let done = DispatchSemaphore(value: 0)
        Thread { app.run(on: port); done.signal() }.start()
        defer { port.push(.key(.char("q"))); _ = done.wait(timeout: .now() + 20) }

        // The baseline: the old confirmation and the old run are not news.
        #expect(eventually("the baseline") { states.get.last.map { $0.seenInbox != nil && $0.watching != nil } == true })
        let pending = try other.toolCalls.savePendingConfirmation(sessionId: try other.sessions.create(Session(title: "t", agentId: agent.id,
                                                                        executionId: old.id, taskId: task.id)).id,
                                                                    toolName: "Bash", input: "{\"command\": \"make test\"}", userMessage: nil)
        #expect(eventually("the command got the confirmation") { f.read("events")?.contains("\n") == true })
        let first = try #require(f.read("events")?.split(separator: "\n").first.map(String.init))
        let json = try #require(notifyJSON(first), "\(first)")
        #expect(json["event"] as? String == "needs_input" && json["tool"] as? String == "Bash" && json["execution"] as? Int == Int(old.id))
        #expect(json["task"] as? Int == Int(task.id) && json["agent"] as? String == "claude")
        #expect(pending.id > 0)

        // A run queued, run and finished between two looks is still announced, once.
        let run = try other.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
        let claimed = try #require(try other.executions.claim(workerId: "w"))
        #expect(claimed.id == run.id)
        try other.executions.finish(run.id, workerId: "w", attempt: claimed.attempt, outcome: .succeeded, exitCode: 0, error: nil)
        #expect(eventually("the command got the end") { (f.read("events")?.split(separator: "\n").count ?? 0) >= 2 })
        let lines = (f.read("events") ?? "").split(separator: "\n").compactMap { notifyJSON(String($0)) }
        #expect(lines.map { $0["event"] as? String } == ["needs_input", "finished"], "nothing old, nothing twice")
        #expect(lines.last?["execution"] as? Int == Int(run.id))

        #expect(eventually("the bell and the desktop notification") { port.log.get.filter { $0 == "bell" }.count >= 2 })
        let log = port.log.get
        #expect(log.first == "present")
        for (i, entry) in log.enumerated() where entry != "present" {
            #expect(log[..<i].contains("present"), "after a frame: \(log)")
        }
        let osc = String(decoding: port.controls.get, as: UTF8.self)
        #expect(osc.contains("\u{1B}]777;notify;agentmon: claude needs input;#") && osc.contains("\u{1B}]9;agentmon: claude finished"))
    }
}
