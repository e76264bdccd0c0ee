import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Dashboard

@Suite("Log reader") struct LogReaderTests {
    @Test func aLogThisMachineCannotReadComesFromTheDatabaseChunks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("board.db").path
        let store = try Store.open(path)
        let agent = try store.agents.create(Agent(slug: "sh", name: "sh", binaryPath: "/bin/sh"))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "x", label: "X", mode: .template, commandTokens: ["-c", "true"]))
        let e = try store.executions.queue(.init(taskId: try store.tasks.create(NewTask(title: "t")).id, capabilityId: cap.id))
        try store.executions.appendLog(e.id, Array("first line\nsecond ".utf8))
        try store.executions.appendLog(e.id, Array("half\nERROR: third\n".utf8))
        // The worker's file lives on another machine: the path does not exist here.
        try store.db.execute("UPDATE executions SET log_file_path = '/nonexistent/remote.log' WHERE id = ?", .int(e.id))

        let reader = try LogReader(execution: try store.executions.get(e.id), connection: path)
        #expect(reader.sourceName == "database")
        let (rows, _) = reader.page(.tail, rows: 10, store: store)
        #expect(rows.map { String(decoding: $0.bytes, as: UTF8.self) } == ["first line", "second half", "ERROR: third"])
        #expect(rows.allSatisfy { $0.at != nil }, "each line knows when its chunk arrived")
        #expect(reader.find(LogSearchRequest(.errorLine, from: -1, forward: true)) == rows[2].offset)
        #expect(reader.find(LogSearchRequest(.text("HALF"), from: 0, forward: true)) == rows[1].offset)
        // More chunks: the reader notices on its next refresh.
        _ = reader.refresh()
        try store.executions.appendLog(e.id, Array("fourth\n".utf8))
        #expect(reader.refresh())
        #expect(reader.page(.tail, rows: 10, store: store).rows.last.map { String(decoding: $0.bytes, as: UTF8.self) } == "fourth")
    }
}

/// Counts rows returned by statements about executions (the log follower's reads).
final class CountingDatabase: Database, @unchecked Sendable {
    let inner: Database
    private let lock = NSLock()
    private var rows = 0, statements = 0
    init(_ inner: Database) { self.inner = inner }
    var dialect: SQLDialect { inner.dialect }
    var displayName: String { inner.displayName }
    var inTransaction: Bool { inner.inTransaction }
    /// (statements, rows) since the last call.
    func take() -> (statements: Int, rows: Int) { lock.withLock { defer { rows = 0; statements = 0 }; return (statements, rows) } }
    private func count(_ sql: String, _ n: Int) { if sql.contains("execution") { lock.withLock { statements += 1; rows += n } } }
    func execute(_ sql: String, _ params: [SQLValue]) throws -> Int { let n = try inner.execute(sql, params); count(sql, 0); return n }
    func query(_ sql: String, _ params: [SQLValue]) throws -> [Row] { let r = try inner.query(sql, params); count(sql, r.count); return r }
    func executeScript(_ sql: String) throws { try inner.executeScript(sql) }
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T { try inner.transaction(kind, body) }
    func changeToken() throws -> Int64 { try inner.changeToken() }
    func notifications(on channel: String) throws -> [String]? { try inner.notifications(on: channel) }
    var wakeSocket: Int32 { inner.wakeSocket }
    func close() { inner.close() }
}

@Suite("Following a log") struct LogFollowCostTests {
    /// A run's log followed through the data thread: what one refresh reads of the database at 10 chunks and
    /// at 100,000 chunks (chunk times, the run's row, the title's names) is the same.
    @Test("a refresh reads the same at 10 chunks as at 100,000", arguments: [false, true])
    func refreshCostDoesNotGrowWithTheRun(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "follow") { db in
            let store = try db.store()
            defer { store.close() }
            let agent = try store.agents.create(Agent(slug: "sh", name: "sh", binaryPath: "/bin/sh"))
            let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "x", label: "X", mode: .template, commandTokens: ["-c", "true"]))
            let task = try store.tasks.create(NewTask(title: "t"))
            func run(chunks: Int) throws -> (id: ID, log: String) {
                let e = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
                let log = db.path("run-\(e.id).log")
                var file: [UInt8] = [], batch: [(data: [UInt8], at: Date)] = []
                for i in 0..<chunks {
                    let line = Array("line \(i)\n".utf8)
                    file += line; batch.append((line, Date(timeIntervalSince1970: 1_800_000_000 + Double(i) / 4)))
                    if batch.count == 5000 { try store.executions.appendLogChunks(e.id, batch); batch.removeAll() }
                }
                try store.executions.appendLogChunks(e.id, batch)
                FileManager.default.createFile(atPath: log, contents: Data(file))
                try store.db.execute("UPDATE executions SET status = 'running', log_file_path = ? WHERE id = ?", .text(log), .int(e.id))
                return (e.id, log)
            }
            func perRefresh(_ r: (id: ID, log: String)) throws -> [(statements: Int, rows: Int)] {
                let counter = Locked<CountingDatabase?>(nil)
                let mailbox = Mailbox()
                let service = DataService(connection: db.url, mailbox: mailbox, wrap: { d in
                    let c = CountingDatabase(d); counter.with { $0 = c }; return c
                })
                service.start()
                defer { service.stop() }
                var size: Int64 = 0
                func waitForPage(_ ok: (LogPage) -> Bool) -> Bool {
                    eventually("a log page") {
                        for case .logLoaded(let p) in mailbox.drain() where ok(p) { size = p.size; return true }
                        return false
                    }
                }
                service.submit([.loadLog(r.id, anchor: .tail, rows: 5, search: nil)])
                guard waitForPage({ $0.rows.count == 5 }) else { return [] }
                usleep(100_000)
                _ = counter.get?.take()
                var out: [(statements: Int, rows: Int)] = []
                let h = try FileHandle(forWritingTo: URL(fileURLWithPath: r.log))
                defer { try? h.close() }
                for k in 0..<3 {
                    let line = Array("more \(k)\n".utf8)
                    try store.executions.appendLog(r.id, line)
                    h.seekToEndOfFile(); h.write(Data(line))
                    let want = size + Int64(line.count)
                    guard waitForPage({ $0.size == want && $0.rows.last?.at != nil }) else { return out }
                    usleep(100_000)  // the page is out; anything after it would be a second refresh
                    out.append(counter.get?.take() ?? (0, 0))
                }
                return out
            }
            let short = try perRefresh(try run(chunks: 10))
            let long = try perRefresh(try run(chunks: 100_000))
            #expect(short.count == 3 && long.count == 3)
            #expect(short.map(\.rows) == long.map(\.rows), "rows read per refresh: \(short) vs \(long)")
            #expect(short.map(\.statements) == long.map(\.statements), "statements per refresh: \(short) vs \(long)")
            #expect(long.allSatisfy { $0.rows <= 4 }, "a refresh reads a few rows: \(long)")
        }
    }
}
