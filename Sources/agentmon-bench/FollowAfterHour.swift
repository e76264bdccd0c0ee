import Foundation
import Core
import Storage
import Dashboard

/// `follow_cpu_percent_after_1h`: a run that has printed one line a millisecond for an hour, fast-forwarded
/// (the file and its database chunks, one chunk per 250 ms as the worker sends them, written up front), then
/// followed through the dashboard's data path — `DataService` showing the log's tail as the dashboard does —
/// while the run goes on at the same pace. The follower runs in a child process: its CPU time over the
/// measured seconds, as a percent of one core, is the figure (the writer's is not in it).
struct FollowAfterHour {
    let lines: Int
    let linesPerChunk: Int
    let warmupSeconds: Double
    let seconds: Double
    let rows: Int

    func run(dir: URL, bench: String) throws -> [String: Any] {
        let dbPath = dir.appendingPathComponent("follow.db").path
        let logPath = dir.appendingPathComponent("run.log").path
        let store = try Store.open(dbPath)
        defer { store.close() }
        let agent = try store.agents.create(Agent(slug: "sh", name: "sh", binaryPath: "/bin/sh"))
        let cap = try store.agents.addCapability(Capability(agentId: agent.id, key: "build", label: "Build", mode: .template,
                                                             commandTokens: ["-c", "true"]))
        let task = try store.tasks.create(NewTask(title: "an hour of output"))
        let e = try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id))
        try store.db.execute("UPDATE executions SET status = 'running', started_at = ?, log_file_path = ? WHERE id = ?",
                             .date(Date().addingTimeInterval(-3600)), .text(logPath), .int(e.id))

        // Fast-forward: an hour of one line a millisecond, in chunks of 250 lines dated 250 ms apart.
        let t0 = Stats.nowMs()
        let appender = Appender(path: logPath)
        let start = Date().addingTimeInterval(-Double(lines) / 1000)
        var written = 0, batch: [(data: [UInt8], at: Date)] = []
        while written < lines {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(linesPerChunk * 80)
            for i in written..<min(lines, written + linesPerChunk) { chunk += Self.line(i) }
            appender.append(chunk)
            batch.append((chunk, start.addingTimeInterval(Double(written) / 1000)))
            written += linesPerChunk
            if batch.count == 2000 { try store.executions.appendLogChunks(e.id, batch); batch.removeAll() }
        }
        try store.executions.appendLogChunks(e.id, batch)
        let chunks = try store.db.queryOne("SELECT count(*) AS n FROM execution_log_chunks WHERE execution_id = ?", .int(e.id))?.int("n") ?? 0
        let prewriteS = (Stats.nowMs() - t0) / 1000

        // The child follows; this process goes on writing one line a millisecond, a chunk every 250 ms.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: bench)
        child.arguments = ["logs", "--follow-child", dbPath, "--follow-execution", "\(e.id)", "--follow-seconds", "\(seconds)",
                           "--follow-warmup", "\(warmupSeconds)", "--screen", "\(rows)"]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let stop = Locked(false)
        let writerDone = DispatchSemaphore(value: 0)
        let id = e.id, firstLive = lines
        Thread {
            defer { writerDone.signal() }
            guard let s = try? Store.open(dbPath) else { return }
            defer { s.close() }
            var i = firstLive, pending: [UInt8] = [], lastChunk = Stats.nowMs()
            let began = Stats.nowMs()
            while !stop.get {
                // Lines due by now at one a millisecond, each its own write (as a program's output arrives).
                let due = firstLive + Int(Stats.nowMs() - began)
                while i < due { let l = Self.line(i); appender.append(l); pending += l; i += 1 }
                if Stats.nowMs() - lastChunk >= 250 {
                    try? s.executions.appendLog(id, pending)
                    pending.removeAll(keepingCapacity: true); lastChunk = Stats.nowMs()
                }
                usleep(1000)
            }
        }.start()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        stop.with { $0 = true }
        writerDone.wait()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchError("follow child printed: \(String(decoding: data, as: UTF8.self))")
        }
        var out: [String: Any] = ["follow_after_1h_prewrite_s": Stats.round(prewriteS, 2), "follow_after_1h_chunks": chunks,
                                  "follow_after_1h_lines": lines]
        for (k, v) in object { out["follow_after_1h_" + k] = v }
        out["follow_cpu_percent_after_1h"] = object["cpu_percent"]
        out["follow_after_1h_cpu_percent"] = nil
        return out
    }

    static func line(_ i: Int) -> [UInt8] {
        Array("2026-11-21T10:00:00.000Z \(String(format: "%010d", i)) INFO worker[42] compiling module \(i % 97) ok\n".utf8)
    }

    /// In the child: the dashboard's data thread following the log's tail; CPU over `seconds` after a warm-up.
    static func child(db: String, execution: ID, seconds: Double, warmup: Double, rows: Int) throws {
        let mailbox = Mailbox()
        let service = DataService(connection: db, mailbox: mailbox)
        service.start()
        service.submit([.loadLog(execution, anchor: .tail, rows: rows, search: nil)])
        var pages = 0, lastSize: Int64 = 0, lastLine = ""
        func drain() {
            for case .logLoaded(let p) in mailbox.drain() {
                pages += 1; lastSize = p.size
                if let r = p.rows.last { lastLine = String(decoding: r.bytes, as: UTF8.self) }
            }
        }
        let warmEnd = Stats.nowMs() + warmup * 1000
        while Stats.nowMs() < warmEnd { drain(); usleep(5000) }
        drain()
        pages = 0
        let c0 = Stats.cpuSeconds(), t0 = Stats.nowMs(), size0 = lastSize
        let end = t0 + seconds * 1000
        while Stats.nowMs() < end { drain(); usleep(5000) }
        drain()
        let cpu = Stats.cpuSeconds() - c0, wall = (Stats.nowMs() - t0) / 1000
        service.stop()
        let result: [String: Any] = [
            "cpu_percent": Stats.round(cpu / wall * 100, 2), "seconds": Stats.round(wall, 1), "pages": pages,
            "pages_per_s": Stats.round(Double(pages) / wall, 1), "mb_followed": Stats.round(Double(lastSize - size0) / 1_048_576, 2),
            "last_line_number": Int(lastLine.split(separator: " ").dropFirst().first ?? "") ?? -1,
        ]
        let data = try JSONSerialization.data(withJSONObject: result)
        FileHandle.standardOutput.write(data)
    }
}
