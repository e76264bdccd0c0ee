import Foundation
import Core

/// Executions: queueing, the atomic claim, the legal state moves only, retries as new attempts, reaping of
/// runs whose worker stopped heartbeating, and the log chunks a remote dashboard tails.
public struct ExecutionRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    public struct QueueRequest: Sendable {
        public var taskId: ID
        public var capabilityId: ID
        public var args: [String: String]
        public var maxRetries: Int
        public var requestedBy: String
        public var parentExecutionId: ID?
        public var sessionRef: String?
        /// Who the `execution_queued` event names: a user called `requestedBy` unless given (an agent through MCP, the system for an auto-run).
        public var actor: Actor?
        public init(taskId: ID, capabilityId: ID, args: [String: String] = [:], maxRetries: Int = 0,
                    requestedBy: String = "user", parentExecutionId: ID? = nil, sessionRef: String? = nil, actor: Actor? = nil) {
            self.taskId = taskId; self.capabilityId = capabilityId; self.args = args; self.maxRetries = maxRetries
            self.requestedBy = requestedBy; self.parentExecutionId = parentExecutionId; self.sessionRef = sessionRef
            self.actor = actor
        }
    }

    // MARK: reading

    public func get(_ id: ID) throws -> Execution {
        guard let r = try db.queryOne("SELECT \(Columns.execution) FROM executions e WHERE e.id = ?", .int(id)) else {
            throw StorageError.notFound("no execution with id \(id)")
        }
        return r.execution
    }

    /// Newest first; `beforeId` pages backwards by keyset.
    public func list(status: ExecutionStatus? = nil, taskId: ID? = nil, beforeId: ID? = nil, limit: Int = 500) throws -> [Execution] {
        var conds: [String] = [], params: [SQLValue] = []
        if let status { conds.append("e.status = ?"); params.append(.text(status.rawValue)) }
        if let taskId { conds.append("e.task_id = ?"); params.append(.int(taskId)) }
        if let beforeId { conds.append("e.id < ?"); params.append(.int(beforeId)) }
        let whereSQL = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
        params.append(.int(Int64(limit)))
        return try db.query("SELECT \(Columns.execution) FROM executions e\(whereSQL) ORDER BY e.id DESC LIMIT ?", params).map(\.execution)
    }

    /// The status alone: a worker reads it while a run goes on, to notice a cancel asked by another process.
    public func status(_ id: ID) throws -> ExecutionStatus {
        guard let r = try db.queryOne("SELECT status FROM executions WHERE id = ?", .int(id)) else {
            throw StorageError.notFound("no execution with id \(id)")
        }
        guard let s = ExecutionStatus(rawValue: r.string("status")) else { throw StorageError.internalError("execution \(id) has an unknown status") }
        return s
    }

    public func countsByStatus() throws -> [ExecutionStatus: Int] {
        var out: [ExecutionStatus: Int] = [:]
        for r in try db.query("SELECT status, count(*) AS n FROM executions GROUP BY status") {
            if let s = ExecutionStatus(rawValue: r.string("status")) { out[s] = r.intValue("n") }
        }
        return out
    }

    /// The latest execution of each given task (for cards: running marker and last result).
    public func latestByTask(_ taskIds: [ID]) throws -> [ID: Execution] {
        guard !taskIds.isEmpty else { return [:] }
        let rows = try db.query("""
            SELECT \(Columns.execution) FROM executions e WHERE e.id IN (
                SELECT max(id) FROM executions WHERE task_id IN (\(TaskRepository.placeholders(taskIds.count))) GROUP BY task_id)
            """, taskIds.map { .int($0) })
        return Dictionary(rows.map { ($0.int("task_id"), $0.execution) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: queueing

    @discardableResult
    public func queue(_ req: QueueRequest) throws -> Execution {
        if req.maxRetries < 0 { throw StorageError.invalid("max retries must be 0 or more") }
        return try db.transaction(.immediate) {
            let tasks = TaskRepository(db)
            let task = try tasks.get(req.taskId)
            let cap = try AgentRepository(db).capability(req.capabilityId)
            guard cap.isEnabled else { throw StorageError.invalid("capability '\(cap.key)' is disabled") }
            var prompt: String?
            if cap.mode == .prompt, let template = cap.promptTemplate {
                var values = req.args
                values["task_title"] = task.title
                values["task_description"] = task.description ?? ""
                values["task_id"] = String(task.id)
                values["input_context.prompt_additions"] = task.inputContext.promptAdditions ?? ""
                // Empty parts (no description, no additions) leave no trailing blank lines in what the agent reads.
                prompt = try TemplateRenderer.render(template, values: values, strict: false)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let id = try db.insert("""
                INSERT INTO executions (task_id, agent_id, capability_id, requested_by, mode, args, prompt,
                    requires_approval, max_retries, parent_execution_id, session_ref)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.int(task.id), .int(cap.agentId), .int(cap.id), .text(req.requestedBy), .text(cap.mode.rawValue),
                      .text(req.args.jsonText), .optional(prompt), .bool(cap.requiresApproval), .int(Int64(req.maxRetries)),
                      .optional(req.parentExecutionId), .optional(req.sessionRef)])
            try tasks.recordEvent(task.id, req.actor ?? Actor(.user, id: req.requestedBy), "execution_queued",
                                  ["execution_id": .number(Double(id)), "capability": .string(cap.key)])
            return try get(id)
        }
    }

    // MARK: claiming

    static let claimable = """
        e.status = 'queued' AND a.is_active = ? AND c.is_enabled = ?
        AND (e.requires_approval = ? OR e.approved_at IS NOT NULL)
        AND (e.not_before IS NULL OR e.not_before <= \(SQLDialect.sqlite.now))
        AND (a.limited_until IS NULL OR a.limited_until <= \(SQLDialect.sqlite.now))
        AND (SELECT count(*) FROM executions r WHERE r.agent_id = e.agent_id AND r.status IN ('running','cancelling')) < a.max_concurrent
        """

    /// Atomically takes the oldest claimable execution for `workerId`: queued, approved if it must be, its
    /// agent active and under `max_concurrent`. SQLite: `BEGIN IMMEDIATE` (one writer at a time makes the
    /// count exact); PostgreSQL: `FOR UPDATE SKIP LOCKED` and a per-agent gate (ExecutionClaimPostgres.swift).
    public func claim(workerId: String) throws -> Execution? {
        if db.dialect == .postgres { return try claimPostgres(workerId: workerId) }
        return try db.transaction(.immediate) {
            guard let cand = try db.queryOne("""
                SELECT e.id FROM executions e JOIN agents a ON a.id = e.agent_id
                JOIN agent_capabilities c ON c.id = e.capability_id WHERE \(Self.claimable) ORDER BY e.created_at, e.id LIMIT 1
                """, .bool(true), .bool(true), .bool(false)) else { return nil }
            let id = cand.int("id")
            try db.execute("""
                UPDATE executions SET status = 'running', worker_id = ?, started_at = \(db.dialect.now),
                    heartbeat_at = \(db.dialect.now) WHERE id = ? AND status = 'queued'
                """, .text(workerId), .int(id))
            let e = try get(id)
            try TaskRepository(db).recordEvent(e.taskId, Actor(.agent, id: workerId), "execution_started",
                                               ["execution_id": .number(Double(id)), "worker_id": .string(workerId)])
            return e
        }
    }

    public func setProcess(_ id: ID, workerId: String, pid: Int?, logFilePath: String?) throws {
        try db.execute("UPDATE executions SET pid = ?, log_file_path = coalesce(?, log_file_path) WHERE id = ? AND worker_id = ?",
                       .optional(pid), .optional(logFilePath), .int(id), .text(workerId))
    }

    /// Records the tmux session that hosts the run (protocol `tmux`). Fenced by worker and attempt: a run
    /// reaped meanwhile keeps what it has (false then).
    @discardableResult
    public func setTmuxSession(_ id: ID, workerId: String, attempt: Int, name: String) throws -> Bool {
        try db.execute("""
            UPDATE executions SET tmux_session_name = ?
            WHERE id = ? AND worker_id = ? AND attempt = ? AND status IN ('running','cancelling')
            """, .text(name), .int(id), .text(workerId), .int(Int64(attempt))) > 0
    }

    /// Marks the worker's running executions alive.
    public func heartbeat(workerId: String, executionIds: [ID]) throws {
        guard !executionIds.isEmpty else { return }
        try db.execute("""
            UPDATE executions SET heartbeat_at = \(db.dialect.now)
            WHERE worker_id = ? AND status IN ('running','cancelling') AND id IN (\(TaskRepository.placeholders(executionIds.count)))
            """, [.text(workerId)] + executionIds.map { .int($0) })
    }

    /// Which of `ids` are still running (or cancelling) as this worker's: a worker back from an outage asks,
    /// and abandons the others, which were reaped meanwhile.
    public func stillOwned(workerId: String, ids: [ID]) throws -> Set<ID> {
        guard !ids.isEmpty else { return [] }
        return Set(try db.query("""
            SELECT id FROM executions WHERE worker_id = ? AND status IN ('running','cancelling')
            AND id IN (\(TaskRepository.placeholders(ids.count)))
            """, [.text(workerId)] + ids.map { .int($0) }).map { $0.int("id") })
    }

    // MARK: finishing

    public enum Outcome: Sendable { case succeeded, failed, timedOut, cancelled }

    public struct Finish: Sendable, Equatable {
        public let status: ExecutionStatus
        /// The new attempt queued because retries were left.
        public let retry: Execution?
    }

    /// Records the end of a run. Fenced by worker and attempt: a worker that was presumed dead (its run
    /// reaped) gets nil back and changes nothing. A run under `cancelling` always ends `cancelled`.
    @discardableResult
    public func finish(_ id: ID, workerId: String, attempt: Int, outcome: Outcome, exitCode: Int?, error: String?) throws -> Finish? {
        if db.dialect == .postgres {
            let next: ExecutionStatus = switch outcome {
            case .succeeded: .succeeded
            case .failed: .failed
            case .timedOut: .timedOut
            case .cancelled: .cancelled
            }
            return try finishPostgres(id, workerId: workerId, attempt: attempt, next: next, exitCode: exitCode, error: error)
        }
        return try db.transaction(.immediate) {
            guard let row = try db.queryOne("SELECT status, worker_id, attempt FROM executions WHERE id = ?\(db.dialect.forUpdate)", .int(id)) else {
                throw StorageError.notFound("no execution with id \(id)")
            }
            guard row.optString("worker_id") == workerId, row.intValue("attempt") == attempt,
                  let current = ExecutionStatus(rawValue: row.string("status")), current.isActive else { return nil }
            let next: ExecutionStatus
            if current == .cancelling { next = .cancelled } else {
                switch outcome {
                case .succeeded: next = .succeeded
                case .failed: next = .failed
                case .timedOut: next = .timedOut
                case .cancelled: next = .cancelled
                }
            }
            // A running run that ends cancelled passes through cancelling: both moves are legal in turn.
            let target: ExecutionStatus = (current == .running && next == .cancelled) ? .cancelling : next
            guard current.canMove(to: target) else { throw StorageError.invalid("execution \(id) cannot move from \(current.rawValue) to \(next.rawValue)") }
            try db.execute("""
                UPDATE executions SET status = ?, ended_at = \(db.dialect.now), exit_code = ?, error = ?, pid = NULL WHERE id = ?
                """, .text(next.rawValue), .optional(exitCode), .optional(error.map(Self.oneLine)), .int(id))
            let e = try get(id)
            try TaskRepository(db).recordEvent(e.taskId, Actor(.agent, id: workerId), "execution_finished",
                                               ["execution_id": .number(Double(id)), "status": .string(next.rawValue),
                                                "exit_code": exitCode.map { .number(Double($0)) } ?? .null])
            var retry: Execution?
            if next == .failed, e.retryCount < e.maxRetries {
                retry = try newAttempt(of: id, automatic: true)
            }
            try AutoRun(db).runEnded(e, status: next, finalFailure: (next == .failed || next == .timedOut) && retry == nil)
            return Finish(status: next, retry: retry)
        }
    }

    /// Cancels: a queued run ends `cancelled` at once; a running one moves to `cancelling` for its worker to stop.
    @discardableResult
    public func requestCancel(_ id: ID, by: String = "user") throws -> ExecutionStatus {
        try db.transaction(.immediate) {
            let e = try get(id)
            switch e.status {
            case .queued:
                try db.execute("UPDATE executions SET status = 'cancelled', ended_at = \(db.dialect.now), error = ? WHERE id = ? AND status = 'queued'",
                               .text("cancelled by \(by) before it started"), .int(id))
                try TaskRepository(db).recordEvent(e.taskId, Actor(.user, id: by), "execution_cancelled", ["execution_id": .number(Double(id))])
                return .cancelled
            case .running:
                try db.execute("UPDATE executions SET status = 'cancelling' WHERE id = ? AND status = 'running'", .int(id))
                try TaskRepository(db).recordEvent(e.taskId, Actor(.user, id: by), "execution_cancel_requested", ["execution_id": .number(Double(id))])
                return .cancelling
            case .cancelling: return .cancelling
            default: throw StorageError.invalid("execution \(id) has already ended (\(e.status.rawValue))")
            }
        }
    }

    public func approve(_ id: ID, by: String = "user") throws {
        try db.transaction(.immediate) {
            let e = try get(id)
            guard e.status == .queued else { throw StorageError.invalid("execution \(id) is \(e.status.rawValue), not waiting for approval") }
            guard e.requiresApproval, e.approvedAt == nil else { throw StorageError.invalid("execution \(id) does not need approval") }
            try db.execute("UPDATE executions SET approved_at = \(db.dialect.now), approved_by = ? WHERE id = ?", .text(by), .int(id))
            try TaskRepository(db).recordEvent(e.taskId, Actor(.user, id: by), "execution_approved", ["execution_id": .number(Double(id))])
        }
    }

    /// A person's retry of an ended run: a new attempt, queued.
    @discardableResult
    public func retry(_ id: ID) throws -> Execution {
        try db.transaction(.immediate) {
            let e = try get(id)
            guard e.status.isTerminal else { throw StorageError.invalid("execution \(id) is \(e.status.rawValue); only an ended run can be retried") }
            return try newAttempt(of: id, automatic: false)
        }
    }

    func newAttempt(of id: ID, automatic: Bool) throws -> Execution {
        let newId = try db.insert("""
            INSERT INTO executions (task_id, agent_id, capability_id, requested_by, mode, args, prompt, requires_approval,
                approved_at, approved_by, session_ref, parent_execution_id, retry_of_id, attempt, retry_count, max_retries)
            SELECT task_id, agent_id, capability_id, requested_by, mode, args, prompt, requires_approval, approved_at,
                approved_by, session_ref, parent_execution_id, id, attempt + 1, retry_count + ?, max_retries
            FROM executions WHERE id = ?
            """, [.int(automatic ? 1 : 0), .int(id)])
        let e = try get(newId)
        try TaskRepository(db).recordEvent(e.taskId, automatic ? .system : .user, "execution_retried",
                                           ["execution_id": .number(Double(newId)), "retry_of": .number(Double(id)),
                                            "attempt": .number(Double(e.attempt))])
        return e
    }

    /// Runs whose heartbeat is older than `staleAfter` seconds belong to a dead worker: they end `failed`
    /// (or `cancelled` if cancelling) and are retried when retries are left. `stop` is called for each one,
    /// with the host its worker ran on, before its retry is queued: a reaper on that host ends what is left
    /// of the old run first, so the two never overlap. A worker never reaps its own runs (`exceptWorker`):
    /// it knows they are alive, even when an outage kept it from saying so. Returns what was reaped.
    public func reapStale(staleAfter seconds: Double, exceptWorker: String? = nil,
                          stop: (Execution, _ host: String?) -> Void = { _, _ in }) throws -> [(reaped: Execution, retry: Execution?)] {
        try db.transaction(.immediate) {
            let stale = try db.query("""
                SELECT e.id, e.status, e.worker_id, (SELECT w.host FROM workers w WHERE w.worker_id = e.worker_id) AS host
                FROM executions e WHERE e.status IN ('running','cancelling') AND e.heartbeat_at < \(db.dialect.nowMinusSeconds)
                AND coalesce(e.worker_id, '') <> ?\(db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : "")
                """, .double(seconds), .text(exceptWorker ?? ""))
            var out: [(Execution, Execution?)] = []
            for r in stale {
                let id = r.int("id")
                let running = try get(id)
                let next = r.string("status") == "cancelling" ? "cancelled" : "failed"
                let msg = "worker \(r.string("worker_id")) stopped heartbeating; run reaped"
                try db.execute("UPDATE executions SET status = ?, ended_at = \(db.dialect.now), error = ?, pid = NULL WHERE id = ?",
                               .text(next), .text(msg), .int(id))
                stop(running, r.optString("host"))
                let e = try get(id)
                try TaskRepository(db).recordEvent(e.taskId, .system, "execution_reaped",
                                                   ["execution_id": .number(Double(id)), "worker_id": .string(r.string("worker_id"))])
                let retry = (next == "failed" && e.retryCount < e.maxRetries) ? try newAttempt(of: id, automatic: true) : nil
                out.append((e, retry))
            }
            return out
        }
    }

    /// Seed `updateUsage`: adds tokens and cost to a run.
    public func addUsage(_ id: ID, _ u: Usage, costUsd: Double) throws {
        try db.execute("""
            UPDATE executions SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?,
                cache_read_tokens = cache_read_tokens + ?, cache_write_tokens = cache_write_tokens + ?, cost_usd = cost_usd + ?
            WHERE id = ?
            """, .int(u.inputTokens), .int(u.outputTokens), .int(u.cacheReadTokens), .int(u.cacheWriteTokens), .double(costUsd), .int(id))
    }

    // MARK: logs

    /// Appends bytes to the database copy of the log and keeps byte and line counts current.
    public func appendLog(_ id: ID, _ data: [UInt8]) throws {
        guard try appendLog(id, data, fence: nil) else { throw StorageError.notFound("no execution with id \(id)") }
    }

    /// A worker's chunk, fenced like `finish`: false (nothing stored) when this attempt is no longer the
    /// worker's (reaped, or ended by someone else), so a presumed-dead worker cannot add to a log.
    public func appendLog(_ id: ID, _ data: [UInt8], workerId: String, attempt: Int) throws -> Bool {
        try appendLog(id, data, fence: (workerId, attempt))
    }

    private func appendLog(_ id: ID, _ data: [UInt8], fence: (worker: String, attempt: Int)?) throws -> Bool {
        guard !data.isEmpty else { return true }
        let lines = Int64(data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
        return try db.transaction(.immediate) {
            var sql = "SELECT log_byte_size, (SELECT coalesce(max(seq), 0) FROM execution_log_chunks WHERE execution_id = ?) AS seq FROM executions WHERE id = ?"
            var params: [SQLValue] = [.int(id), .int(id)]
            if let fence {
                sql += " AND worker_id = ? AND attempt = ? AND status IN ('running','cancelling')\(db.dialect.forUpdate)"
                params += [.text(fence.worker), .int(Int64(fence.attempt))]
            }
            guard let r = try db.queryOne(sql, params) else { return false }
            try db.execute("INSERT INTO execution_log_chunks (execution_id, seq, byte_offset, data) VALUES (?, ?, ?, ?)",
                           .int(id), .int(r.int("seq") + 1), .int(r.int("log_byte_size")), .blob(data))
            try db.execute("""
                UPDATE executions SET log_byte_size = log_byte_size + ?, log_line_count = log_line_count + ?,
                    log_updated_at = \(db.dialect.now) WHERE id = ?
                """, .int(Int64(data.count)), .int(lines), .int(id))
            return true
        }
    }

    /// Many chunks at once with their own arrival times (a finished log brought in whole; the benchmarks'
    /// fast-forwarded runs): multi-row inserts in one transaction, counts kept as `appendLog` keeps them.
    public func appendLogChunks(_ id: ID, _ chunks: [(data: [UInt8], at: Date)]) throws {
        let chunks = chunks.filter { !$0.data.isEmpty }
        guard !chunks.isEmpty else { return }
        try db.transaction(.immediate) {
            guard let r = try db.queryOne("""
                SELECT log_byte_size, (SELECT coalesce(max(seq), 0) FROM execution_log_chunks WHERE execution_id = ?) AS seq
                FROM executions WHERE id = ?\(db.dialect.forUpdate)
                """, .int(id), .int(id)) else { throw StorageError.notFound("no execution with id \(id)") }
            var seq = r.int("seq"), offset = r.int("log_byte_size"), lines: Int64 = 0, at = 0
            while at < chunks.count {
                var n = 256
                while n > chunks.count - at { n /= 2 }
                var params: [SQLValue] = []
                for c in chunks[at..<(at + n)] {
                    seq += 1
                    params += [.int(id), .int(seq), .int(offset), .blob(c.data), .date(c.at)]
                    offset += Int64(c.data.count)
                    lines += Int64(c.data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
                }
                try db.execute("INSERT INTO execution_log_chunks (execution_id, seq, byte_offset, data, created_at) VALUES "
                               + Array(repeating: "(?, ?, ?, ?, ?)", count: n).joined(separator: ", "), params)
                at += n
            }
            try db.execute("""
                UPDATE executions SET log_byte_size = ?, log_line_count = log_line_count + ?, log_updated_at = \(db.dialect.now) WHERE id = ?
                """, .int(offset), .int(lines), .int(id))
        }
    }

    /// The log file could not be written in full: the run says so (its status is its own), and readers
    /// take the database chunks instead. Fenced like `finish`: only the worker running this attempt.
    @discardableResult
    public func markLogFileIncomplete(_ id: ID, workerId: String, attempt: Int, error: String) throws -> Bool {
        try db.execute("""
            UPDATE executions SET log_file_incomplete = \(db.dialect == .postgres ? "TRUE" : "1"), error = ?
            WHERE id = ? AND worker_id = ? AND attempt = ? AND status IN ('running','cancelling')
            """, .text(Self.oneLine(error)), .int(id), .text(workerId), .int(Int64(attempt))) > 0
    }

    public func logChunks(_ id: ID, afterSeq: Int64 = 0, limit: Int = 1000) throws -> [LogChunk] {
        try db.query("SELECT execution_id, seq, byte_offset, data, created_at FROM execution_log_chunks WHERE execution_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                     .int(id), .int(afterSeq), .int(Int64(limit))).map {
            LogChunk(executionId: $0.int("execution_id"), seq: $0.int("seq"), offset: $0.int("byte_offset"),
                     data: $0.bytes("data"), createdAt: $0.date("created_at"))
        }
    }

    static func oneLine(_ s: String) -> String {
        let line = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return String(line.prefix(500))
    }
}
