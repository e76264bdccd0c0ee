import Foundation
import Core

/// The queue of inputs to running agents (`execution_inputs`): `agentmon exec send/interrupt`, the
/// dashboard's `s`/`i` and inbox decisions enqueue; the run's worker takes what is pending in id order and
/// stamps each row delivered (or failed, with the reason). On PostgreSQL an insert NOTIFYs
/// `agentmon_inputs` with the execution id, so the worker wakes at once.
public struct InputRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let columns = "id, execution_id, kind, body, tool_call_id, sent_by, created_at, delivered_at, error"

    /// Queues an input for a run that has not ended; a run that has is refused with the reason in words.
    @discardableResult
    public func enqueue(executionId: ID, kind: ExecutionInput.Kind, body: String = "", toolCallId: ID? = nil,
                        sentBy: String) throws -> ExecutionInput {
        try db.transaction(.immediate) {
            let status = try ExecutionRepository(db).status(executionId)
            if status.isTerminal {
                throw StorageError.invalid("run #\(executionId) has ended (\(status.rawValue)); it cannot take input")
            }
            if status == .cancelling {
                throw StorageError.invalid("run #\(executionId) is being cancelled; it cannot take input")
            }
            let id = try db.insert("""
                INSERT INTO execution_inputs (execution_id, kind, body, tool_call_id, sent_by, created_at)
                VALUES (?, ?, ?, ?, ?, \(db.dialect.now))
                """, [.int(executionId), .text(kind.rawValue), .text(body), .optional(toolCallId), .text(sentBy)])
            return try get(id)
        }
    }

    public func get(_ id: ID) throws -> ExecutionInput {
        guard let r = try db.queryOne("SELECT \(Self.columns) FROM execution_inputs WHERE id = ?", .int(id)) else {
            throw StorageError.notFound("no input with id \(id)")
        }
        return r.executionInput
    }

    /// Inputs not yet delivered nor failed, oldest first: what the worker owes the run.
    public func pending(executionId: ID) throws -> [ExecutionInput] {
        try db.query("""
            SELECT \(Self.columns) FROM execution_inputs
            WHERE execution_id = ? AND delivered_at IS NULL AND error IS NULL ORDER BY id
            """, .int(executionId)).map(\.executionInput)
    }

    /// Every input of a run, oldest first.
    public func list(executionId: ID) throws -> [ExecutionInput] {
        try db.query("SELECT \(Self.columns) FROM execution_inputs WHERE execution_id = ? ORDER BY id", .int(executionId))
            .map(\.executionInput)
    }

    /// Stamps the input delivered; false when it already was (it is never delivered twice).
    @discardableResult
    public func markDelivered(_ id: ID) throws -> Bool {
        try db.execute("UPDATE execution_inputs SET delivered_at = \(db.dialect.now) WHERE id = ? AND delivered_at IS NULL AND error IS NULL",
                       .int(id)) == 1
    }

    /// The input could not be delivered: kept with the reason, never retried.
    public func markFailed(_ id: ID, error: String) throws {
        _ = try db.execute("UPDATE execution_inputs SET error = ? WHERE id = ? AND delivered_at IS NULL AND error IS NULL",
                           .text(error), .int(id))
    }

    /// The run has ended: what it never took is failed with `reason`, so nothing waits forever.
    public func failPending(executionId: ID, reason: String) throws {
        _ = try db.execute("UPDATE execution_inputs SET error = ? WHERE execution_id = ? AND delivered_at IS NULL AND error IS NULL",
                           .text(reason), .int(executionId))
    }
}

extension Row {
    var executionInput: ExecutionInput {
        ExecutionInput(id: int("id"), executionId: int("execution_id"), kind: enumValue("kind", default: .message),
                       body: string("body"), toolCallId: optInt("tool_call_id"), sentBy: string("sent_by"),
                       createdAt: date("created_at"), deliveredAt: optDate("delivered_at"), error: optString("error"))
    }
}
