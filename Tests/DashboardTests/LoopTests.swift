import Foundation
import Testing
import Config
import Core
import Render
import Storage
import TestSupport
import Terminal
import DemoData
@testable import Dashboard

/// A terminal that plays scripted keys and records frames.
final class ScriptedPort: TerminalPort, @unchecked Sendable {
    let size: (width: Int, height: Int)
    let colorDepth = ColorDepth.trueColor
    private let cond = NSCondition()
    private var events: [ScreenEvent] = []
    private var woken = false
    private(set) var frames = 0
    var wake: @Sendable () -> Void { { [weak self] in self?.poke() } }

    init(width: Int = 120, height: Int = 40) { size = (width, height) }

    func push(_ e: ScreenEvent) { cond.lock(); events.append(e); cond.signal(); cond.unlock() }
    func poke() { cond.lock(); woken = true; cond.signal(); cond.unlock() }
    func present(_ buffer: Buffer) { frames += 1 }
    func clearAndRedraw() {}
    func nextEvent(timeoutMs: Int?) -> ScreenEvent {
        cond.lock(); defer { cond.unlock() }
        while events.isEmpty && !woken { cond.wait() }
        if !events.isEmpty { return events.removeFirst() }
        woken = false
        return .wake
    }
}

/// A database whose every call waits while the gate is closed: the slowest database there is.
final class GatedDatabase: Database, @unchecked Sendable {
    let inner: Database
    let gate: Gate
    init(_ inner: Database, gate: Gate) { self.inner = inner; self.gate = gate }
    var dialect: SQLDialect { inner.dialect }
    var displayName: String { inner.displayName }
    var inTransaction: Bool { inner.inTransaction }
    func execute(_ sql: String, _ params: [SQLValue]) throws -> Int { gate.pass(); return try inner.execute(sql, params) }
    func query(_ sql: String, _ params: [SQLValue]) throws -> [Row] { gate.pass(); return try inner.query(sql, params) }
    func executeScript(_ sql: String) throws { gate.pass(); try inner.executeScript(sql) }
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T { try inner.transaction(kind, body) }
    func changeToken() throws -> Int64 { gate.pass(); return try inner.changeToken() }
    func notifications(on channel: String) throws -> [String]? { gate.pass(); return try inner.notifications(on: channel) }
    var wakeSocket: Int32 { inner.wakeSocket }
    func close() { inner.close() }
}

final class Gate: @unchecked Sendable {
    private let cond = NSCondition()
    private var open = true
    private(set) var waiting = 0
    func close() { cond.lock(); open = false; cond.unlock() }
    func openUp() { cond.lock(); open = true; cond.broadcast(); cond.unlock() }
    func pass() {
        cond.lock(); defer { cond.unlock() }
        while !open { waiting += 1; cond.wait(); waiting -= 1 }
    }
    var hasWaiter: Bool { cond.lock(); defer { cond.unlock() }; return waiting > 0 }
}

/// Waits (bounded) for a condition that the code under test makes true; not a timing assertion.
func eventually(_ what: String, within seconds: Double = 10, _ check: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if check() { return true }
        usleep(5_000)
    }
    Issue.record("never happened: \(what)")
    return false
}

@Suite("Dashboard loop") struct LoopTests {
    @Test func keysRespondWhileTheDatabaseIsStuck() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("board.db").path
        let store = try Store.open(path)
        for t in ["alpha", "beta", "gamma"] { try store.tasks.create(NewTask(title: t)) }

        let gate = Gate()
        let port = ScriptedPort()
        let states = Locked<[AppState]>([])
        var quiet = DashboardConfig()
        quiet.sync.enabled = false  // no background import of this machine's agent folders
        let app = DashboardApp(options: .init(connection: path, databaseName: "test", config: quiet))
        app.onFrame = { s in states.with { $0.append(s) } }
        let done = DispatchSemaphore(value: 0)
        Thread { app.run(on: port, wrapDatabase: { GatedDatabase($0, gate: gate) }); done.signal() }.start()

        #expect(eventually("board loaded") { states.get.last?.board.columns[0].total == 3 })
        gate.close()
        #expect(eventually("the data thread is stuck in the database") { gate.hasWaiter })

        port.push(.key(.char("j")))
        #expect(eventually("selection moved while the database is stuck") { states.get.last?.board.selectedCard?.task.title == "beta" })
        port.push(.key(.char("L")))
        #expect(eventually("card moved on screen at once") {
            guard let s = states.get.last else { return false }
            return s.board.focused == 1 && s.board.selectedCard?.task.title == "beta" && s.pendingWrites == 1
        })
        #expect(try store.tasks.list(status: .inProgress).isEmpty, "the write is still waiting for the database")

        port.push(.key(.char("q")))
        gate.openUp()
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(try store.tasks.list(status: .inProgress).map(\.title) == ["beta"], "quitting wrote the pending move first")
        let ev = try store.tasks.events(taskId: try store.tasks.list(status: .inProgress)[0].id)
        #expect(ev.last?.eventType == "moved" && ev.last?.actorType == .user)
    }

    /// On PostgreSQL the change arrives through migration 009's change counters (no NOTIFY): a card made by
    /// another process, and a run it claims and finishes, show up without a key.
    @Test("another process's change shows without a key", arguments: [false, true])
    func anotherProcessesChangeShowsWithoutAKey(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "loop") { tdb in
        let other = try Store.open(tdb.url)
        let port = ScriptedPort()
        let states = Locked<[AppState]>([])
        var config = DashboardConfig()
        config.pollIntervalMs = 100
        config.sync.enabled = false  // no background import of this machine's agent folders
        let app = DashboardApp(options: .init(connection: tdb.url, databaseName: "test", config: config))
        app.onFrame = { s in states.with { $0.append(s) } }
        let done = DispatchSemaphore(value: 0)
        Thread { app.run(on: port); done.signal() }.start()
        #expect(eventually("board loaded") { states.get.last?.board.loaded == true })
        let task = try other.tasks.create(NewTask(title: "from the CLI", status: .blocked))
        #expect(eventually("the new card appears") { states.get.last?.board.columns[2].cards.first?.task.title == "from the CLI" })
        let agent = try other.agents.create(Agent(slug: "loop", name: "Loop", binaryPath: "/bin/true", maxConcurrent: 2))
        let cap = try other.agents.addCapability(Capability(agentId: agent.id, key: "noop", label: "No-op", mode: .template, commandTokens: ["x"]))
        let queued = try other.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
        let run = try #require(try other.executions.claim(workerId: "w"))
        #expect(run.id == queued.id)
        #expect(eventually("the card shows its run") { states.get.last?.board.columns[2].cards.first?.latestExecution == .running })
        try other.executions.finish(run.id, workerId: "w", attempt: 1, outcome: .succeeded, exitCode: 0, error: nil)
        #expect(eventually("the card shows the run ended") { states.get.last?.board.columns[2].cards.first?.latestExecution == .succeeded })
        port.push(.key(.char("q")))
        #expect(done.wait(timeout: .now() + 20) == .success)
        }
    }
}

