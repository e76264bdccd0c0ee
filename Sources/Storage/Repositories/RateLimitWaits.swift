import Foundation
import Core

/// Runs stopped by a provider's rate limit (issue 14 item 3): back to the queue, to start after the reset,
/// with the attempt unchanged (a limit is nobody's failure), and every agent of that provider waits too.
extension ExecutionRepository {
    /// False when the run is no longer this worker's running attempt (reaped or cancelled meanwhile).
    @discardableResult
    public func requeueAfterLimit(_ id: ID, workerId: String, attempt: Int, until: Date, provider: String?, reason: String) throws -> Bool {
        try db.transaction(.immediate) {
            let n = try db.execute("""
                UPDATE executions SET status = 'queued', worker_id = NULL, pid = NULL, heartbeat_at = NULL, started_at = NULL,
                    exit_code = NULL, error = NULL, not_before = ?
                WHERE id = ? AND worker_id = ? AND attempt = ? AND status = 'running'
                """, .date(until), .int(id), .text(workerId), .int(Int64(attempt)))
            guard n > 0 else { return false }
            let e = try get(id)
            let agents = AgentRepository(db)
            var ids: Set<ID> = [e.agentId]
            if let provider { ids.formUnion(try agents.list().filter { Providers.of($0) == provider }.map(\.id)) }
            let list = ids.sorted()
            try db.execute("""
                UPDATE agents SET limited_until = ? WHERE id IN (\(TaskRepository.placeholders(list.count)))
                    AND (limited_until IS NULL OR limited_until < ?)
                """, [.date(until)] + list.map { .int($0) } + [.date(until)])
            try TaskRepository(db).recordEvent(e.taskId, Actor(.system), "rate_limited", [
                "execution_id": .number(Double(id)), "resets_at": .string(SQLTime.format(until)), "reason": .string(reason),
                "provider": provider.map(JSONValue.string) ?? .null])
            return true
        }
    }
}
