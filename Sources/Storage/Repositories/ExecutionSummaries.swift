import Foundation
import Core

extension ExecutionRepository {
    /// Newest first, optionally one status, with task title, agent slug and capability key.
    public func summaries(status: ExecutionStatus? = nil, limit: Int = 500) throws -> [ExecutionSummary] {
        try summaries(where: status.map { _ in "e.status = ?" }, status.map { [.text($0.rawValue)] } ?? [], limit: limit)
    }

    /// One execution with its names.
    public func summary(_ id: ID) throws -> ExecutionSummary? {
        try summaries(where: "e.id = ?", [.int(id)], limit: 1).first
    }

    func summaries(where condition: String?, _ conditionParams: [SQLValue], limit: Int) throws -> [ExecutionSummary] {
        var sql = """
            SELECT \(Columns.execution), t.title AS task_title, a.slug AS agent_slug, c.key AS capability_key,
                c.danger_level AS danger, (SELECT w.host FROM workers w WHERE w.worker_id = e.worker_id) AS worker_host
            FROM executions e JOIN tasks t ON t.id = e.task_id JOIN agents a ON a.id = e.agent_id
            JOIN agent_capabilities c ON c.id = e.capability_id
            """
        var params = conditionParams
        if let condition { sql += " WHERE " + condition }
        sql += " ORDER BY e.id DESC LIMIT ?"
        params.append(.int(Int64(limit)))
        return try db.query(sql, params).map {
            ExecutionSummary(execution: $0.execution, taskTitle: $0.string("task_title"), agentSlug: $0.string("agent_slug"),
                             capabilityKey: $0.string("capability_key"), dangerLevel: $0.intValue("danger"),
                             workerHost: $0.optString("worker_host"))
        }
    }
}

extension ExecutionRepository {
    /// Bytes of the database copy of a log from `offset`, at most `count` (for a dashboard that cannot
    /// read the worker's file).
    public func logBytes(_ id: ID, from offset: Int64, count: Int) throws -> [UInt8] {
        let len = db.dialect == .postgres ? "octet_length(data)" : "length(data)"
        let rows = try db.query("""
            SELECT byte_offset, data FROM execution_log_chunks
            WHERE execution_id = ? AND byte_offset < ? AND byte_offset + \(len) > ? ORDER BY seq
            """, .int(id), .int(offset + Int64(count)), .int(offset))
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for r in rows {
            let data = r.bytes("data"), start = r.int("byte_offset")
            let from = Int(max(0, offset + Int64(out.count) - start))
            guard from < data.count else { continue }
            out += data[from..<min(data.count, from + (count - out.count))]
            if out.count >= count { break }
        }
        return out
    }

    /// When each chunk of a log arrived, after chunk `afterSeq`: (seq, byte offset, time), in order. For the log
    /// view's timestamps: a follower keeps what it read and asks only for the new chunks (a primary-key range),
    /// so a refresh costs the same at hour 10 of a run as at minute 1.
    public func logChunkTimes(_ id: ID, afterSeq: Int64 = 0) throws -> [LogChunkTime] {
        try db.query("SELECT seq, byte_offset, created_at FROM execution_log_chunks WHERE execution_id = ? AND seq > ? ORDER BY seq",
                     .int(id), .int(afterSeq))
            .map { LogChunkTime(seq: $0.int("seq"), offset: $0.int("byte_offset"), at: $0.date("created_at")) }
    }

    /// Bytes of the database copy of a log from `offset`, at most `count`, from chunks `seqs` (those that
    /// hold the range, found in what `logChunkTimes` returned): a primary-key range, not a scan of the run.
    public func logBytes(_ id: ID, seqs: ClosedRange<Int64>, from offset: Int64, count: Int) throws -> [UInt8] {
        let rows = try db.query("""
            SELECT byte_offset, data FROM execution_log_chunks WHERE execution_id = ? AND seq >= ? AND seq <= ? ORDER BY seq
            """, .int(id), .int(seqs.lowerBound), .int(seqs.upperBound))
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for r in rows {
            let data = r.bytes("data"), start = r.int("byte_offset")
            let from = Int(max(0, offset + Int64(out.count) - start))
            guard from < data.count, start <= offset + Int64(out.count) else { continue }
            out += data[from..<min(data.count, from + (count - out.count))]
            if out.count >= count { break }
        }
        return out
    }

    /// What a log follower needs of its run at each refresh, by primary key: status, log size, and whether
    /// the worker's file is incomplete (with the reason).
    public func logHead(_ id: ID) throws -> LogHead? {
        try db.queryOne("SELECT status, log_byte_size, log_file_incomplete, error FROM executions WHERE id = ?", .int(id)).map {
            LogHead(status: ExecutionStatus(rawValue: $0.string("status")) ?? .queued, logByteSize: $0.int("log_byte_size"),
                    logFileIncomplete: $0.bool("log_file_incomplete"), error: $0.optString("error"))
        }
    }
}

public struct LogChunkTime: Sendable, Equatable {
    public let seq: Int64
    public let offset: Int64
    public let at: Date
}

public struct LogHead: Sendable, Equatable {
    public let status: ExecutionStatus
    public let logByteSize: Int64
    public let logFileIncomplete: Bool
    public let error: String?
}
