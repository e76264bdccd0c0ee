import Foundation
import ArgumentParser
import Core
import Storage
import DemoData
import Worker

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill the database with a realistic demo project (first use or --reset) and open the dashboard on it.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var display: DisplayOptions
    @Flag(help: "Only fill the database and print a summary; do not open the dashboard.") var fillOnly = false
    @Flag(help: "Erase everything in the database first (rolls every migration back and applies them again).") var reset = false

    func run() throws {
        let store = try global.openStore()
        defer { store.close() }
        if reset {
            let m = Migrator(store.db)
            while try m.rollbackLast() != nil {}
            try m.migrate()
        }
        if try DemoProject.hasData(store) {
            if fillOnly {
                Console.line("the database already holds data; showing it as it is (use --reset to start over)")
                printSummary(try DemoProject.summary(store), db: store.db.displayName)
            }
        } else {
            let summary = try DemoProject.fill(store, folder: DemoProject.folder(for: global.connection))
            if fillOnly { printSummary(summary, db: store.db.displayName) }
        }
        guard !fillOnly else { return }
        // A worker inside the dashboard, so the demo's queued executions really run and their logs grow.
        let folder = try DemoProject.folder(for: global.connection)
        let worker = try WorkerLoop(options: WorkerOptions(connection: global.connection, workerId: "demo-\(getpid())", concurrency: 3,
                                                           logDirectory: (folder as NSString).appendingPathComponent("logs")))
        let stopped = DispatchSemaphore(value: 0)
        Thread { _ = try? worker.run(); stopped.signal() }.start()
        // The demo's one scripted person cancels its running build, so a cancel is seen from start to end.
        let closing = Locked(false), connection = try global.connection
        Thread {
            guard let s = try? Store.open(connection, migrate: false) else { return }
            defer { s.close() }
            _ = try? DemoProject.showCancel(s, stop: { closing.get })
        }.start()
        defer { closing.with { $0 = true }; worker.requestStop(); stopped.wait() }
        try display.openDashboard(connection: global.connection, databaseName: store.db.displayName)
    }

    func printSummary(_ s: DemoProject.Summary, db: String) {
        Console.line("demo project in \(db)")
        Console.line("  agents:       \(s.agents) with \(s.capabilities) capabilities")
        Console.line("  tasks:        \(s.tasks) (" + TaskStatus.allCases.map { "\($0.rawValue) \(s.taskStates[$0] ?? 0)" }.joined(separator: ", ") + "), \(s.dependencies) dependencies")
        Console.line("  executions:   \(s.executions) (" + ExecutionStatus.allCases.map { "\($0.rawValue) \(s.executionStates[$0] ?? 0)" }.joined(separator: ", ") + ")")
        Console.line("  sessions:     \(s.sessions) with \(s.messages) messages and \(s.toolCalls) tool calls")
    }
}
