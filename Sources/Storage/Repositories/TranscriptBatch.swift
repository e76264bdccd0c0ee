import Foundation
import Core

/// Messages and tool calls of whole-file imports, written in multi-row INSERTs: a transcript of 100,000
/// messages was five statements a message through `MessageRepository.append` (look up the external id,
/// `max(seq)`, insert, count, read back). Here each session's next `seq` and its known external ids are read
/// once, ids are handed out ahead of the rows, and rows wait in memory until `flushRows` of them go in a few
/// statements. The same idempotency as `append` and `ToolCallRepository.create`: a row whose external id the
/// session already has is not written again.
///
/// The rows are written on a thread of the batch's own while the caller reads on (the connection is used by
/// one thread at a time: every read of the batch waits for the write before it).
///
/// Use it inside a transaction (`Importer` holds one per file). Anything else that uses the connection in
/// that transaction must `flush()` first (which waits for the writes) and `forgetSessions()` after (what it
/// wrote is then read again). Before a rollback, `abandon()`, and after it `reset()`; on SQLite the ids
/// handed out are only good until the transaction ends.
public final class TranscriptBatch {
    let db: Database
    /// Rows held before they are written.
    public let flushRows: Int
    /// Commits and begins again once this many rows were written in the transaction (a big file does not
    /// hold the write lock for its whole import); nil: never.
    public var commitRows: Int?

    /// SQLite: the rows go in without their search index entries, which `SearchBacklog` makes later (019).
    let deferSearch: Bool

    /// - Parameter deferSearch: leave the search index to `SearchBacklog.catchUp` (SQLite only; PostgreSQL
    ///   indexes as it writes).
    public init(db: Database, flushRows: Int = 1024, commitRows: Int? = nil, deferSearch: Bool = false) {
        self.db = db; self.flushRows = max(1, flushRows); self.commitRows = commitRows
        self.deferSearch = deferSearch && db.dialect == .sqlite
    }

    public struct KnownCall: Sendable {
        public let id: ID
        public let messageId: ID?
    }

    /// A class: looked up once per row and changed in place.
    private final class SessionState {
        /// nil: read again (after a commit, another writer may have appended).
        var nextSeq: Int64?
        var messages: [String: ID]
        var calls: [String: KnownCall]
        /// Whether this transaction has the session's backlog entry for messages, and for tool calls (019).
        var messagesDeferred = false, callsDeferred = false
        init(nextSeq: Int64?, messages: [String: ID], calls: [String: KnownCall]) {
            self.nextSeq = nextSeq; self.messages = messages; self.calls = calls
        }
    }

    private var sessions: [ID: SessionState] = [:]
    private var messages: [Message] = []
    private var calls: [PendingCall] = []
    private var callIndex: [ID: Int] = [:]
    private var completions: [Completion] = []
    private var counts: [ID: Int] = [:]
    private var messageIds = IDBlock(), callIds = IDBlock()
    private var rowsSinceCommit = 0
    /// Backlog entries to write before the next flush's rows: a session's first row in the transaction (019).
    private var backlog: [(table: String, session: ID, from: ID)] = []
    /// Messages appended that the session did not have (not those found by their external id).
    public private(set) var appended = 0
    private let writer = BackgroundWriter()

    deinit { writer.stop() }

    private struct PendingCall: Sendable {
        var call: ToolCall
        var resultMessageId: ID?
        var completedAt: Date?
    }

    private struct Completion: Sendable {
        let id: ID, output: String?, status: ToolCallStatus, resultMessageId: ID?
    }

    /// Rows not written yet.
    public var pending: Int { messages.count + calls.count + completions.count }

    // MARK: reading what a session has

    /// The session's state, read when missing.
    private func state(_ sessionId: ID) throws -> SessionState {
        if let s = sessions[sessionId] {
            if s.nextSeq == nil { try writer.wait(); s.nextSeq = try maxSeq(sessionId) + 1 }
            return s
        }
        try writer.wait()
        let seq = try maxSeq(sessionId)
        var known: [String: ID] = [:]
        for r in try db.query("SELECT id, external_id FROM messages WHERE session_id = ? AND external_id IS NOT NULL", .int(sessionId)) {
            known[r.string("external_id")] = r.int("id")
        }
        var knownCalls: [String: KnownCall] = [:]
        for r in try db.query("SELECT id, external_id, message_id FROM tool_calls WHERE session_id = ? AND external_id IS NOT NULL", .int(sessionId)) {
            knownCalls[r.string("external_id")] = KnownCall(id: r.int("id"), messageId: r.optInt("message_id"))
        }
        let s = SessionState(nextSeq: seq + 1, messages: known, calls: knownCalls)
        sessions[sessionId] = s
        return s
    }

    private func maxSeq(_ sessionId: ID) throws -> Int64 {
        try db.queryOne("SELECT coalesce(max(seq), 0) AS s FROM messages WHERE session_id = ?", .int(sessionId))?.int("s") ?? 0
    }

    /// The id of the session's message with this external id, written or waiting.
    public func messageId(sessionId: ID, externalId: String) throws -> ID? {
        try state(sessionId).messages[externalId]
    }

    /// The session's tool call with this external id, written or waiting.
    public func toolCall(sessionId: ID, externalId: String) throws -> KnownCall? {
        try state(sessionId).calls[externalId]
    }

    // MARK: adding

    /// Appends at the end of the session (id and seq assigned here, returned in the message); a message whose
    /// external id the session has is returned with that id and nothing is written.
    public func append(_ m: Message) throws -> Message {
        let s = try state(m.sessionId)
        var out = m
        if let ext = m.externalId, let id = s.messages[ext] { out.id = id; return out }
        out.id = try nextId(&messageIds, table: "messages")
        out.seq = s.nextSeq!
        s.nextSeq = out.seq + 1
        if deferSearch && !s.messagesDeferred { s.messagesDeferred = true; backlog.append(("messages", m.sessionId, out.id)) }
        if let ext = m.externalId { s.messages[ext] = out.id }
        messages.append(out)
        appended += 1
        counts[m.sessionId, default: 0] += 1
        try flushIfFull()
        return out
    }

    /// Creates a tool call; one whose external id the session has is returned with that id, unchanged.
    public func create(_ t: ToolCall) throws -> ToolCall {
        let s = try state(t.sessionId)
        var out = t
        if let ext = t.externalId, let known = s.calls[ext] { out.id = known.id; out.messageId = known.messageId; return out }
        out.id = try nextId(&callIds, table: "tool_calls")
        if deferSearch && !s.callsDeferred { s.callsDeferred = true; backlog.append(("tool_calls", t.sessionId, out.id)) }
        if let ext = t.externalId { s.calls[ext] = KnownCall(id: out.id, messageId: out.messageId) }
        callIndex[out.id] = calls.count
        calls.append(PendingCall(call: out))
        try flushIfFull()
        return out
    }

    /// `ToolCallRepository.complete` for a call of this batch or one already stored.
    public func complete(_ id: ID, output: String?, status: ToolCallStatus, resultMessageId: ID?) throws {
        if let i = callIndex[id] {
            calls[i].call.output = output
            calls[i].call.status = status
            calls[i].resultMessageId = resultMessageId ?? calls[i].resultMessageId
            calls[i].completedAt = Date()
        } else {
            completions.append(Completion(id: id, output: output, status: status, resultMessageId: resultMessageId))
            try flushIfFull()
        }
    }

    // MARK: writing

    private func flushIfFull() throws {
        guard pending >= flushRows else { return }
        try startFlush()
        if let commitRows, rowsSinceCommit >= commitRows, db.inTransaction {
            try writer.wait()
            try db.commitAndBegin()
            committed()
        }
    }

    /// Writes every waiting row, and waits until they are written.
    public func flush() throws {
        try startFlush()
        try writer.wait()
    }

    /// Before a rollback: waits for a write under way (its error no longer matters).
    public func abandon() { try? writer.wait() }

    /// Hands the waiting rows to the writing thread (after the previous write is done) as ready statements:
    /// their parameters are built here, so the writing thread (an import's bottleneck) only binds and steps.
    private func startFlush() throws {
        guard pending > 0 || !counts.isEmpty else { return }
        var writes = backlog.map { Write(sql: SearchBacklog.deferSQL(table: $0.table), params: [.int($0.session), .int($0.from)]) }
        backlog.removeAll()
        writes += insertMessages(messages) + insertCalls(calls)
        for c in completions {
            writes.append(Write(sql: """
                UPDATE tool_calls SET output = ?, status = ?, result_message_id = coalesce(?, result_message_id),
                    completed_at = \(db.dialect.now) WHERE id = ?
                """, params: [.optional(c.output), .text(c.status.rawValue), .optional(c.resultMessageId), .int(c.id)]))
        }
        for (session, n) in counts.sorted(by: { $0.key < $1.key }) {
            writes.append(Write(sql: "UPDATE sessions SET message_count = message_count + ?, updated_at = \(db.dialect.now) WHERE id = ?",
                                params: [.int(Int64(n)), .int(session)]))
        }
        rowsSinceCommit += pending
        messages.removeAll(keepingCapacity: true)
        calls.removeAll(keepingCapacity: true)
        callIndex.removeAll(keepingCapacity: true)
        completions.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        try writer.wait()
        let db = self.db
        writer.submit {
            try db.transaction(.immediate) {
                for w in writes { if let p = w.packed { try db.execute(w.sql, packed: p) } else { try db.execute(w.sql, w.params) } }
            }
        }
    }

    /// One statement of a flush, with its parameters (a multi-row insert's packed).
    private struct Write: Sendable {
        let sql: String
        var params: [SQLValue] = []
        var packed: PackedParams? = nil
    }

    /// The transaction was committed (by the caller): SQLite ids and session seqs are read again.
    public func committed() {
        rowsSinceCommit = 0
        if db.dialect == .sqlite { messageIds = IDBlock(); callIds = IDBlock() }
        for s in sessions.values { s.nextSeq = nil; s.messagesDeferred = false; s.callsDeferred = false }
    }

    /// Someone else wrote into the sessions: what they have is read again on next use (call after `flush`).
    public func forgetSessions() {
        releaseInBackground(sessions)  // a big session's maps of external ids: freed off the importing thread
        sessions = [:]
        // New ids come after what the caller inserted (PostgreSQL: the rest of the block is dropped), so ids
        // keep the order rows were made in (tool calls are listed by id).
        messageIds = IDBlock(); callIds = IDBlock()
    }

    /// After a rollback: nothing waiting, nothing known.
    public func reset() {
        try? writer.wait()
        sessions.removeAll(); messages.removeAll(); calls.removeAll(); callIndex.removeAll(); completions.removeAll()
        counts.removeAll(); messageIds = IDBlock(); callIds = IDBlock(); rowsSinceCommit = 0; backlog.removeAll()
    }

    static let messageColumns = "id, session_id, parent_id, seq, role, kind, content, metadata, external_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, model, cost_usd, is_error, created_at"
    static let callColumns = "id, session_id, message_id, external_id, tool_name, input, output, status, duration_ms, requires_confirmation, confirmation_message, created_at, result_message_id, completed_at"

    private func insertMessages(_ messages: [Message]) -> [Write] {
        insertRows(table: "messages", columns: Self.messageColumns, count: messages.count) { i, p in
            let m = messages[i]
            // One value at a time: array literals joined by + made three temporary arrays a row.
            p.append(.int(m.id)); p.append(.int(m.sessionId)); p.append(.optional(m.parentId)); p.append(.int(m.seq))
            p.append(.text(m.role.rawValue)); p.append(.text(m.kind.rawValue)); p.append(.text(m.content))
            p.append(.text(m.metadata.jsonString)); p.append(.optional(m.externalId)); p.append(.int(m.inputTokens))
            p.append(.int(m.outputTokens)); for v in m.usageValues { p.append(v) }; p.append(.bool(m.isError)); p.append(.date(m.createdAt))
        }
    }

    private func insertCalls(_ calls: [PendingCall]) -> [Write] {
        insertRows(table: "tool_calls", columns: Self.callColumns, count: calls.count) { i, p in
            let c = calls[i], t = c.call
            p.append(.int(t.id)); p.append(.int(t.sessionId)); p.append(.optional(t.messageId)); p.append(.optional(t.externalId))
            p.append(.text(t.toolName)); p.append(.text(t.input)); p.append(.optional(t.output)); p.append(.text(t.status.rawValue))
            p.append(.optional(t.durationMs)); p.append(.bool(t.requiresConfirmation)); p.append(.optional(t.confirmationMessage))
            p.append(.date(t.createdAt)); p.append(.optional(c.resultMessageId)); p.append(.optional(c.completedAt))
        }
    }

    /// Rows in statements of 256, 128, … 1 rows, so that at most nine statement texts exist per table (both
    /// drivers keep each prepared; the texts are made once per batch).
    private func insertRows(table: String, columns: String, count: Int, _ values: (Int, inout RowValues) -> Void) -> [Write] {
        let width = columns.split(separator: ",").count
        var writes: [Write] = []
        var at = 0
        while at < count {
            var n = 256
            while n > count - at { n /= 2 }
            var params = RowValues(packed: db.dialect == .sqlite, capacity: n * width)
            for i in at..<(at + n) { values(i, &params) }
            writes.append(Write(sql: insertText(table: table, columns: columns, width: width, rows: n), params: params.plain, packed: params.packed))
            at += n
        }
        return writes
    }

    /// A statement's values, packed for SQLite (bound without a copy); one by one for PostgreSQL, whose driver
    /// sends them as they are.
    private struct RowValues {
        let isPacked: Bool
        var values = PackedParams()
        var plain: [SQLValue] = []
        init(packed: Bool, capacity: Int) {
            isPacked = packed
            if packed { values = PackedParams(capacity: capacity, bytes: capacity * 16) } else { plain.reserveCapacity(capacity) }
        }
        var packed: PackedParams? { isPacked ? values : nil }
        mutating func append(_ v: SQLValue) {
            if isPacked { values.append(v) } else { plain.append(v) }
        }
    }

    private var insertTexts: [String: String] = [:]

    private func insertText(table: String, columns: String, width: Int, rows: Int) -> String {
        let key = "\(table) \(rows)"
        if let text = insertTexts[key] { return text }
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        let text = "INSERT INTO \(table) (\(columns)) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
        insertTexts[key] = text
        return text
    }

    // MARK: ids ahead of rows

    /// SQLite: a range from the largest id on; PostgreSQL: values taken from the table's sequence.
    private struct IDBlock {
        var next: ID = 0
        var end: ID = 0  // exclusive; next == end: take more
        var taken: [ID] = []
        var at = 0
    }

    private func nextId(_ block: inout IDBlock, table: String) throws -> ID {
        if db.dialect == .postgres {
            if block.at == block.taken.count {
                try writer.wait()
                // Other sessions may take values in between: these need not be consecutive, only unique.
                block.taken = try db.query("SELECT nextval(pg_get_serial_sequence('\(table)', 'id')) AS id FROM generate_series(1, 512)")
                    .map { $0.int("id") }.sorted()
                block.at = 0
                guard !block.taken.isEmpty else { throw StorageError.internalError("no id from the \(table) sequence") }
            }
            defer { block.at += 1 }
            return block.taken[block.at]
        }
        if block.next == block.end {
            try writer.wait()
            switch db.dialect {
            case .sqlite:
                // The write lock is held: nobody else inserts before this transaction ends. AUTOINCREMENT never
                // reuses an id, so start past both the largest id and the largest ever handed out.
                let r = try db.queryOne("""
                    SELECT max(coalesce((SELECT max(id) FROM \(table)), 0),
                               coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) AS n
                    """, .text(table))
                let first = (r?.int("n") ?? 0) + 1
                block = IDBlock(next: first, end: ID.max)
            case .postgres: break
            }
        }
        defer { block.next += 1 }
        return block.next
    }
}

/// One write at a time on a thread of its own; `wait` returns when it is done and throws its error.
private final class BackgroundWriter: @unchecked Sendable {
    private let cond = NSCondition()
    private var job: (() throws -> Void)?
    private var busy = false
    private var failure: Error?
    private var stopped = false
    private var started = false

    func submit(_ work: @escaping () throws -> Void) {
        cond.lock(); defer { cond.unlock() }
        while busy { cond.wait() }
        if !started {
            started = true
            let t = Thread { [self] in loop() }
            t.name = "agentmon-import-writer"
            t.start()
        }
        busy = true
        job = work
        cond.broadcast()
    }

    func wait() throws {
        cond.lock()
        while busy { cond.wait() }
        let e = failure
        failure = nil
        cond.unlock()
        if let e { throw e }
    }

    func stop() {
        cond.lock(); stopped = true; cond.broadcast(); cond.unlock()
    }

    private func loop() {
        cond.lock()
        while true {
            while job == nil && !stopped { cond.wait() }
            guard let work = job else { cond.unlock(); return }
            cond.unlock()
            var error: Error?
            do { try work() } catch let e { error = e }
            cond.lock()
            job = nil
            busy = false
            if let error, failure == nil { failure = error }
            cond.broadcast()
        }
    }
}

extension Database {
    /// Inside `transaction`: commits what was done so far and begins again, so a long job holds the write lock
    /// in bounded stretches. What was committed stays if a later stretch fails.
    public func commitAndBegin() throws {
        precondition(inTransaction, "commitAndBegin outside a transaction")
        try executeScript("COMMIT")
        try executeScript(dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN")
    }
}
