import Foundation
import Core

/// Worker heartbeats: who is alive, where, running how much.
public struct WorkerRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    public func heartbeat(workerId: String, host: String, pid: Int, currentExecutions: Int) throws {
        try db.execute("""
            INSERT INTO workers (worker_id, host, pid, current_executions) VALUES (?, ?, ?, ?)
            ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, pid = excluded.pid,
                current_executions = excluded.current_executions, last_seen_at = \(db.dialect.now)
            """, .text(workerId), .text(host), .int(Int64(pid)), .int(Int64(currentExecutions)))
    }

    public func list() throws -> [WorkerInfo] {
        try db.query("SELECT worker_id, host, pid, started_at, last_seen_at, current_executions FROM workers ORDER BY worker_id").map {
            WorkerInfo(workerId: $0.string("worker_id"), host: $0.string("host"), pid: $0.intValue("pid"),
                       lastSeenAt: $0.date("last_seen_at"), currentExecutions: $0.intValue("current_executions"),
                       startedAt: $0.date("started_at"))
        }
    }

    public func remove(workerId: String) throws {
        try db.execute("DELETE FROM workers WHERE worker_id = ?", .text(workerId))
    }
}
