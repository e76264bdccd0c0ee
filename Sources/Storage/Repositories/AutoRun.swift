import Foundation
import Core

/// Runs that start when their dependencies are done (issue 14 item 2). A task with an auto-run capability
/// has it queued once, audited as `system`, in the transaction that moves its last unmet dependency to Done.
/// A dependency that is cancelled, or whose run fails for good, moves its open dependents to Blocked with
/// the reason in their activity. An auto-run that succeeds moves its own task to Done, so a chain A → B → C
/// runs by itself, in order.
struct AutoRun {
    let db: Database
    init(_ db: Database) { self.db = db }

    /// Called by `TaskRepository.move` inside its transaction, after a task changed column.
    func moved(_ taskId: ID, to status: TaskStatus) throws {
        switch status {
        case .done: try queueReadyDependents(of: taskId)
        case .cancelled: try blockDependents(of: taskId, reason: "depends on task #\(taskId), which was cancelled")
        default: break
        }
    }

    /// After a run's end was recorded (inside the finish's transaction on SQLite; in one of its own right
    /// after it on PostgreSQL, whose finish is a single statement). `finalFailure`: failed or timed out with
    /// no attempt left.
    func runEnded(_ e: Execution, status: ExecutionStatus, finalFailure: Bool) throws {
        if status == .succeeded {
            let t = try TaskRepository(db).get(e.taskId)
            // Its own auto-run (or a retry of it) succeeded: the task is done, which starts what waits on it.
            if t.autoRunExecutionId != nil, t.autoRunCapabilityId == e.capabilityId, t.status != .done, t.status != .cancelled {
                try TaskRepository(db).move(t.id, to: .done, actor: .system)
            }
        } else if finalFailure {
            try blockDependents(of: e.taskId, reason: "depends on task #\(e.taskId), whose run #\(e.id) \(status == .timedOut ? "timed out" : "failed") with no retry left")
        }
    }

    /// Dependents with an auto-run not yet queued whose every dependency is now done: queue each, once.
    private func queueReadyDependents(of taskId: ID) throws {
        let ready = try db.query("""
            SELECT t.id, t.auto_run_capability_id FROM task_dependencies d JOIN tasks t ON t.id = d.task_id
            WHERE d.depends_on_task_id = ? AND t.auto_run_capability_id IS NOT NULL AND t.auto_run_execution_id IS NULL
              AND t.status NOT IN ('done','cancelled')
              AND NOT EXISTS (SELECT 1 FROM task_dependencies o JOIN tasks u ON u.id = o.depends_on_task_id
                              WHERE o.task_id = t.id AND u.status <> 'done')
            ORDER BY t.id
            """, .int(taskId))
        let tasks = TaskRepository(db)
        for r in ready {
            let id = r.int("id"), capability = r.int("auto_run_capability_id")
            do {
                let e = try ExecutionRepository(db).queue(.init(taskId: id, capabilityId: capability, requestedBy: "auto-run", actor: .system))
                try db.execute("UPDATE tasks SET auto_run_execution_id = ? WHERE id = ?", .int(e.id), .int(id))
                try tasks.recordEvent(id, .system, "auto_run_queued", ["execution_id": .number(Double(e.id)), "after_task": .number(Double(taskId))])
            } catch let error as StorageError {
                // The capability is gone or switched off: the task cannot start by itself. It says why, and the
                // move that made it ready still happens.
                try block(id, reason: "its auto-run could not be queued: \(error)")
            }
        }
    }

    /// Open dependents of `taskId` (not done, cancelled or already blocked) move to Blocked, saying why.
    private func blockDependents(of taskId: ID, reason: String) throws {
        for r in try db.query("""
            SELECT t.id FROM task_dependencies d JOIN tasks t ON t.id = d.task_id
            WHERE d.depends_on_task_id = ? AND t.status NOT IN ('done','cancelled','blocked') ORDER BY t.id
            """, .int(taskId)) {
            try block(r.int("id"), reason: reason)
        }
    }

    private func block(_ id: ID, reason: String) throws {
        let tasks = TaskRepository(db)
        if try tasks.get(id).status != .blocked { try tasks.move(id, to: .blocked, actor: .system) }
        try tasks.recordEvent(id, .system, "blocked", ["reason": .string(reason)])
    }
}
