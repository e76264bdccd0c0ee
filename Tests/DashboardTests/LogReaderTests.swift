import Foundation
import Testing
import Core
import Storage
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
