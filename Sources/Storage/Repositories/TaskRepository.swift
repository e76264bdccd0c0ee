import Foundation
import Core

public struct NewTask: Sendable {
    public var title: String
    public var description: String?
    public var status: TaskStatus = .todo
    public var priority: Int = 3
    public var parentId: ID?
    public var assigneeId: ID?
    public var inputContext = TaskInputContext()
    public var dueAt: Date?
    public init(title: String, description: String? = nil, status: TaskStatus = .todo, priority: Int = 3,
                parentId: ID? = nil, assigneeId: ID? = nil, inputContext: TaskInputContext = .init(), dueAt: Date? = nil) {
        self.title = title; self.description = description; self.status = status; self.priority = priority
        self.parentId = parentId; self.assigneeId = assigneeId; self.inputContext = inputContext; self.dueAt = dueAt
    }
}

/// Fields to change; nil leaves a field alone, `.some(nil)` clears an optional one.
public struct TaskPatch: Sendable {
    public var title: String?
    public var description: String??
    public var priority: Int?
    public var assigneeId: ID??
    public var parentId: ID??
    public var dueAt: Date??
    public var inputContext: TaskInputContext?
    /// The capability to queue when the last unmet dependency is done (`.some(nil)` clears it).
    public var autoRunCapabilityId: ID??
    /// `.some(nil)`: the capability's isolation decides again.
    public var isolation: Isolation??
    public init(title: String? = nil, description: String?? = nil, priority: Int? = nil, assigneeId: ID?? = nil,
                parentId: ID?? = nil, dueAt: Date?? = nil, inputContext: TaskInputContext? = nil, autoRunCapabilityId: ID?? = nil,
                isolation: Isolation?? = nil) {
        self.title = title; self.description = description; self.priority = priority; self.assigneeId = assigneeId
        self.parentId = parentId; self.dueAt = dueAt; self.inputContext = inputContext; self.autoRunCapabilityId = autoRunCapabilityId
        self.isolation = isolation
    }
}

/// Kanban cards with sparse ordering, their audit trail and their dependency DAG. Every change writes its
/// task event in the same transaction. Column changes hold a per-column lock on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers), so concurrent reorders cannot lose or duplicate a slot.
public struct TaskRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let statusOrder = "CASE t.status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'blocked' THEN 2 WHEN 'done' THEN 3 ELSE 4 END"

    // MARK: reading

    public func get(_ id: ID) throws -> TaskItem {
        guard let r = try db.queryOne("SELECT \(Columns.task) FROM \(Columns.taskFrom) WHERE t.id = ?", .int(id)) else {
            throw StorageError.notFound("no task with id \(id)")
        }
        return r.task
    }

    public func exists(_ id: ID) throws -> Bool {
        try db.queryOne("SELECT 1 AS one FROM tasks WHERE id = ?", .int(id)) != nil
    }

    /// All tasks (or one column), ordered by column then position.
    public func list(status: TaskStatus? = nil) throws -> [TaskItem] {
        if let status {
            return try db.query("SELECT \(Columns.task) FROM \(Columns.taskFrom) WHERE t.status = ? ORDER BY t.sort_order, t.id",
                                .text(status.rawValue)).map(\.task)
        }
        return try db.query("SELECT \(Columns.task) FROM \(Columns.taskFrom) ORDER BY \(Self.statusOrder), t.sort_order, t.id").map(\.task)
    }

    /// A keyset page of one column: the `limit` cards after (or, with `backwards`, before) the given position,
    /// optionally only those whose title contains `filter` (case-insensitive).
    public func page(status: TaskStatus, after cursor: Int64? = nil, inclusive: Bool = false, backwards: Bool = false,
                     limit: Int, filter: String? = nil) throws -> [TaskItem] {
        var sql = "SELECT \(Columns.task) FROM \(Columns.taskFrom) WHERE t.status = ?"
        var params: [SQLValue] = [.text(status.rawValue)]
        if let cursor {
            sql += backwards ? (inclusive ? " AND t.sort_order <= ?" : " AND t.sort_order < ?")
                             : (inclusive ? " AND t.sort_order >= ?" : " AND t.sort_order > ?")
            params.append(.int(cursor))
        }
        appendFilter(filter, to: &sql, &params)
        sql += backwards ? " ORDER BY t.sort_order DESC LIMIT ?" : " ORDER BY t.sort_order LIMIT ?"
        params.append(.int(Int64(limit)))
        let rows = try db.query(sql, params).map(\.task)
        return backwards ? rows.reversed() : rows
    }

    /// The sort order of the card at a 0-based index of a (filtered) column, for jumping far into it.
    public func sortOrder(status: TaskStatus, at index: Int, filter: String? = nil) throws -> Int64? {
        var sql = "SELECT t.sort_order FROM tasks t WHERE t.status = ?"
        var params: [SQLValue] = [.text(status.rawValue)]
        appendFilter(filter, to: &sql, &params)
        sql += " ORDER BY t.sort_order LIMIT 1 OFFSET ?"
        params.append(.int(Int64(max(0, index))))
        return try db.queryOne(sql, params)?.optInt("sort_order")
    }

    /// The 0-based index of a card in its column (cheap: an index range count).
    public func position(of task: TaskItem, filter: String? = nil) throws -> Int {
        var sql = "SELECT count(*) AS n FROM tasks t WHERE t.status = ? AND t.sort_order < ?"
        var params: [SQLValue] = [.text(task.status.rawValue), .int(task.sortOrder)]
        appendFilter(filter, to: &sql, &params)
        return try db.queryOne(sql, params)?.intValue("n") ?? 0
    }

    /// Cards per column, optionally filtered by title.
    public func counts(filter: String?) throws -> [TaskStatus: Int] {
        var out = Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, 0) })
        if filter?.isEmpty ?? true, db.dialect == .sqlite {
            // Kept by triggers (migration 009): no scan of the tasks, however many.
            for r in try db.query("SELECT status, n FROM task_column_counts", []) {
                if let s = TaskStatus(rawValue: r.string("status")) { out[s] = r.intValue("n") }
            }
            return out
        }
        var sql = "SELECT t.status, count(*) AS n FROM tasks t WHERE 1 = 1"
        var params: [SQLValue] = []
        appendFilter(filter, to: &sql, &params)
        for r in try db.query(sql + " GROUP BY t.status", params) {
            if let s = TaskStatus(rawValue: r.string("status")) { out[s] = r.intValue("n") }
        }
        return out
    }

    /// Title contains `filter`, case-insensitively; `%`, `_` and `\` in it match themselves.
    func appendFilter(_ filter: String?, to sql: inout String, _ params: inout [SQLValue]) {
        guard let f = filter, !f.isEmpty else { return }
        let escaped = f.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        sql += " AND lower(t.title) LIKE ? ESCAPE '\\'"
        params.append(.text("%" + escaped.lowercased() + "%"))
    }

    public func counts() throws -> [TaskStatus: Int] { try counts(filter: nil) }

    public func subtasks(of parent: ID) throws -> [TaskItem] {
        try db.query("SELECT \(Columns.task) FROM \(Columns.taskFrom) WHERE t.parent_task_id = ? ORDER BY \(Self.statusOrder), t.sort_order",
                     .int(parent)).map(\.task)
    }

    /// Audit trail of a task, oldest first.
    public func events(taskId: ID) throws -> [TaskEvent] {
        try db.query("SELECT id, task_id, actor_type, actor_id, event_type, payload, created_at FROM task_events WHERE task_id = ? ORDER BY id",
                     .int(taskId)).map {
            TaskEvent(id: $0.int("id"), taskId: $0.int("task_id"), actorType: ActorType(rawValue: $0.string("actor_type")) ?? .system,
                      actorId: $0.optString("actor_id"), eventType: $0.string("event_type"), payload: $0.json("payload"),
                      createdAt: $0.date("created_at"))
        }
    }

    // MARK: writing

    @discardableResult
    public func create(_ t: NewTask, actor: Actor = .user) throws -> TaskItem {
        try validate(title: t.title, priority: t.priority)
        return try db.transaction(.immediate) {
            try lockColumns([t.status])
            if let p = t.parentId, !(try exists(p)) { throw StorageError.notFound("no parent task with id \(p)") }
            let last = try db.queryOne("SELECT max(sort_order) AS m FROM tasks WHERE status = ?", .text(t.status.rawValue))?.optInt("m")
            let order = SparseOrder.between(last, nil)!
            return try get(try insert(t, order: order, actor: actor))
        }
    }

    /// Many tasks in one transaction (imports, benchmarks), each appended to its column with its event.
    public func createMany(_ items: [NewTask], actor: Actor = .system) throws {
        for t in items { try validate(title: t.title, priority: t.priority) }
        try db.transaction(.immediate) {
            try lockColumns(TaskStatus.allCases)
            var last: [TaskStatus: Int64?] = [:]
            for status in TaskStatus.allCases {
                last[status] = try db.queryOne("SELECT max(sort_order) AS m FROM tasks WHERE status = ?", .text(status.rawValue))?.optInt("m")
            }
            for t in items {
                let order = SparseOrder.between(last[t.status] ?? nil, nil)!
                last[t.status] = order
                try insert(t, order: order, actor: actor)
            }
        }
    }

    @discardableResult
    public func update(_ id: ID, _ patch: TaskPatch, actor: Actor = .user) throws -> TaskItem {
        try db.transaction(.immediate) {
            let old = try get(id)
            var sets: [String] = [], params: [SQLValue] = [], changes: [String: JSONValue] = [:]
            func change(_ column: String, _ value: SQLValue, _ from: JSONValue, _ to: JSONValue) {
                guard from != to else { return }
                sets.append("\(column) = ?"); params.append(value)
                changes[column] = ["from": from, "to": to]
            }
            if let title = patch.title {
                try validate(title: title, priority: patch.priority ?? old.priority)
                change("title", .text(title), .string(old.title), .string(title))
            }
            if let d = patch.description {
                change("description", .optional(d), old.description.map(JSONValue.string) ?? .null, d.map(JSONValue.string) ?? .null)
            }
            if let p = patch.priority {
                try validate(title: old.title, priority: p)
                change("priority", .int(Int64(p)), .number(Double(old.priority)), .number(Double(p)))
            }
            if let a = patch.assigneeId {
                change("assignee_agent_id", .optional(a), old.assigneeId.map { .number(Double($0)) } ?? .null, a.map { .number(Double($0)) } ?? .null)
            }
            if let p = patch.parentId {
                if let p, p == id { throw StorageError.invalid("a task cannot be its own parent") }
                if let p, !(try exists(p)) { throw StorageError.notFound("no parent task with id \(p)") }
                change("parent_task_id", .optional(p), old.parentId.map { .number(Double($0)) } ?? .null, p.map { .number(Double($0)) } ?? .null)
            }
            if let a = patch.autoRunCapabilityId {
                if let a { _ = try AgentRepository(db).capability(a) }  // a missing one is named, not stored
                change("auto_run_capability_id", .optional(a), old.autoRunCapabilityId.map { .number(Double($0)) } ?? .null,
                       a.map { .number(Double($0)) } ?? .null)
                if a != old.autoRunCapabilityId { sets.append("auto_run_execution_id = NULL") }  // set anew: may run again
            }
            if let d = patch.dueAt {
                change("due_at", .optional(d), old.dueAt.map { .string(SQLTime.format($0)) } ?? .null, d.map { .string(SQLTime.format($0)) } ?? .null)
            }
            if let i = patch.isolation {
                change("isolation", .optional(i?.rawValue), old.isolation.map { .string($0.rawValue) } ?? .null, i.map { .string($0.rawValue) } ?? .null)
            }
            if let c = patch.inputContext, c != old.inputContext {
                sets.append("input_context = ?"); params.append(.text(c.jsonText))
                changes["input_context"] = ["from": JSONValue.parse(old.inputContext.jsonText) ?? .null, "to": JSONValue.parse(c.jsonText) ?? .null]
            }
            guard !sets.isEmpty else { return old }
            params.append(.int(id))
            try db.execute("UPDATE tasks SET \(sets.joined(separator: ", ")), updated_at = \(db.dialect.now) WHERE id = ?", params)
            try recordEvent(id, actor, "updated", ["changes": .object(changes)])
            return try get(id)
        }
    }

    /// Moves a card to `status` at 0-based `position` among that column's other cards (nil: last).
    /// Writes exactly one event: `moved` across columns, `reordered` inside one.
    @discardableResult
    public func move(_ id: ID, to status: TaskStatus, position: Int? = nil, actor: Actor = .user) throws -> TaskItem {
        if let position, position < 0 { throw StorageError.invalid("position must be 0 or more") }
        return try db.transaction(.immediate) {
            let first = try get(id)
            try lockColumns([first.status, status])
            let old = try get(id)  // re-read under the lock
            let fromPosition = try self.position(of: old)
            var order = try slot(in: status, excluding: id, at: position)
            if order == nil {
                try rebalance(status)
                order = try slot(in: status, excluding: id, at: position)
            }
            guard let order else { throw StorageError.internalError("no slot after rebalancing column \(status.rawValue)") }
            try db.execute("UPDATE tasks SET status = ?, sort_order = ?, updated_at = \(db.dialect.now) WHERE id = ?",
                           .text(status.rawValue), .int(order), .int(id))
            let moved = try get(id)
            let toPosition = try self.position(of: moved)
            if old.status != status {
                try recordEvent(id, actor, "moved", ["from": .string(old.status.rawValue), "to": .string(status.rawValue),
                                                     "from_position": .number(Double(fromPosition)),
                                                     "to_position": .number(Double(toPosition))])
                try AutoRun(db).moved(id, to: status)  // dependents queue or block in this same transaction
            } else {
                try recordEvent(id, actor, "reordered", ["status": .string(status.rawValue),
                                                         "from_position": .number(Double(fromPosition)),
                                                         "to_position": .number(Double(toPosition))])
            }
            return moved
        }
    }

    /// The longest comment kept, in bytes: a comment is a note on a card, not a log.
    public static let maxCommentBytes = 64 * 1024

    /// A `comment` event: `text` by `actor` (an agent through `agentmon mcp`), shown in the card's detail.
    @discardableResult
    public func addComment(_ id: ID, text: String, actor: Actor) throws -> TaskEvent {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw StorageError.invalid("a comment needs text") }
        if text.utf8.count > Self.maxCommentBytes {
            throw StorageError.invalid("a comment may hold \(Self.maxCommentBytes) bytes, not \(text.utf8.count)")
        }
        return try db.transaction(.immediate) {
            _ = try get(id)
            try recordEvent(id, actor, "comment", ["text": .string(text)])
            guard let last = try events(taskId: id).last else { throw StorageError.internalError("comment on task \(id) not written") }
            return last
        }
    }

    public func delete(_ id: ID) throws {
        try db.transaction(.immediate) {
            let t = try get(id)
            try lockColumns([t.status])
            let active = try db.queryOne("SELECT count(*) AS n FROM executions WHERE task_id = ? AND status IN ('running','cancelling')",
                                         .int(id))?.int("n") ?? 0
            if active > 0 { throw StorageError.conflict("task \(id) has \(active) running execution(s): cancel them before deleting it") }
            try db.execute("DELETE FROM tasks WHERE id = ?", .int(id))
        }
    }

    // MARK: dependencies

    /// Adds `taskId depends on dependsOn`; refuses self edges and cycles, checked in the inserting transaction.
    public func addDependency(_ taskId: ID, on dependsOn: ID, actor: Actor = .user) throws {
        if taskId == dependsOn { throw StorageError.invalid("task \(taskId) cannot depend on itself") }
        try db.transaction(.immediate) {
            if db.dialect == .postgres { try db.execute("SELECT pg_advisory_xact_lock(?)", .int(Self.dependencyLockKey)) }
            for t in [taskId, dependsOn] where !(try exists(t)) { throw StorageError.notFound("no task with id \(t)") }
            if try db.queryOne("SELECT 1 AS one FROM task_dependencies WHERE task_id = ? AND depends_on_task_id = ?",
                               .int(taskId), .int(dependsOn)) != nil { return }
            let cycle = try db.queryOne("""
                WITH RECURSIVE reach(id) AS (
                    SELECT depends_on_task_id FROM task_dependencies WHERE task_id = ?
                    UNION SELECT d.depends_on_task_id FROM task_dependencies d JOIN reach r ON d.task_id = r.id
                ) SELECT 1 AS one FROM reach WHERE id = ? LIMIT 1
                """, .int(dependsOn), .int(taskId))
            if cycle != nil {
                throw StorageError.conflict("task \(dependsOn) already depends on task \(taskId) (directly or through others): adding this dependency would create a cycle")
            }
            try db.execute("INSERT INTO task_dependencies (task_id, depends_on_task_id) VALUES (?, ?)", .int(taskId), .int(dependsOn))
            try recordEvent(taskId, actor, "dependency_added", ["depends_on": .number(Double(dependsOn))])
        }
    }

    public func removeDependency(_ taskId: ID, on dependsOn: ID, actor: Actor = .user) throws {
        try db.transaction(.immediate) {
            let n = try db.execute("DELETE FROM task_dependencies WHERE task_id = ? AND depends_on_task_id = ?", .int(taskId), .int(dependsOn))
            if n == 0 { throw StorageError.notFound("task \(taskId) does not depend on task \(dependsOn)") }
            try recordEvent(taskId, actor, "dependency_removed", ["depends_on": .number(Double(dependsOn))])
        }
    }

    /// Ids this task depends on.
    public func dependencies(of taskId: ID) throws -> [ID] {
        try db.query("SELECT depends_on_task_id FROM task_dependencies WHERE task_id = ? ORDER BY depends_on_task_id", .int(taskId))
            .map { $0.int("depends_on_task_id") }
    }

    /// Ids that depend on this task.
    public func dependents(of taskId: ID) throws -> [ID] {
        try db.query("SELECT task_id FROM task_dependencies WHERE depends_on_task_id = ? ORDER BY task_id", .int(taskId))
            .map { $0.int("task_id") }
    }

    /// All edges (task → depends on), for in-memory graph work.
    public func dependencyEdges() throws -> [ID: [ID]] {
        var edges: [ID: [ID]] = [:]
        for r in try db.query("SELECT task_id, depends_on_task_id FROM task_dependencies") {
            edges[r.int("task_id"), default: []].append(r.int("depends_on_task_id"))
        }
        return edges
    }

    /// For each given task, how many of its dependencies are not done yet.
    public func unmetDependencyCounts(_ ids: [ID]) throws -> [ID: Int] {
        guard !ids.isEmpty else { return [:] }
        var out: [ID: Int] = [:]
        for r in try db.query("""
            SELECT d.task_id, count(*) AS n FROM task_dependencies d JOIN tasks t ON t.id = d.depends_on_task_id
            WHERE t.status <> 'done' AND d.task_id IN (\(Self.placeholders(ids.count))) GROUP BY d.task_id
            """, ids.map { .int($0) }) { out[r.int("task_id")] = r.intValue("n") }
        return out
    }

    /// For each given parent, (done subtasks, all subtasks).
    public func subtaskProgress(_ ids: [ID]) throws -> [ID: (done: Int, total: Int)] {
        guard !ids.isEmpty else { return [:] }
        var out: [ID: (Int, Int)] = [:]
        for r in try db.query("""
            SELECT parent_task_id, sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done, count(*) AS n FROM tasks
            WHERE parent_task_id IN (\(Self.placeholders(ids.count))) GROUP BY parent_task_id
            """, ids.map { .int($0) }) { out[r.int("parent_task_id")] = (r.intValue("done"), r.intValue("n")) }
        return out
    }

    // MARK: internals

    /// One row and its `created` event, at a slot the caller found under the column lock.
    @discardableResult
    func insert(_ t: NewTask, order: Int64, actor: Actor) throws -> ID {
        let id = try db.insert("""
            INSERT INTO tasks (title, description, status, priority, sort_order, parent_task_id, assignee_agent_id,
                input_context, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(t.title), .optional(t.description), .text(t.status.rawValue), .int(Int64(t.priority)),
                  .int(order), .optional(t.parentId), .optional(t.assigneeId), .text(t.inputContext.jsonText),
                  .optional(t.dueAt)])
        try recordEvent(id, actor, "created", ["title": .string(t.title), "status": .string(t.status.rawValue)])
        return id
    }

    static let dependencyLockKey: Int64 = 0x6465_7073  // "deps"
    static func columnLockKey(_ s: TaskStatus) -> Int64 { 0x636f_6c00 + Int64(s.columnIndex) }
    static func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    func validate(title: String, priority: Int) throws {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw StorageError.invalid("a task needs a title") }
        if !(1...5).contains(priority) { throw StorageError.invalid("priority must be 1 to 5, not \(priority)") }
    }

    /// PostgreSQL: transaction-scoped advisory locks per column, taken in a fixed order (no deadlock).
    func lockColumns(_ statuses: [TaskStatus]) throws {
        guard db.dialect == .postgres else { return }
        for s in Set(statuses).sorted() { try db.execute("SELECT pg_advisory_xact_lock(?)", .int(Self.columnLockKey(s))) }
    }

    /// The sort order for a card at `position` of `status` (other cards only), or nil when the gap is closed.
    func slot(in status: TaskStatus, excluding id: ID, at position: Int?) throws -> Int64? {
        let s = SQLValue.text(status.rawValue)
        let before: Int64?, after: Int64?
        if let position, position == 0 {
            before = nil
            after = try db.queryOne("SELECT min(sort_order) AS m FROM tasks WHERE status = ? AND id <> ?", s, .int(id))?.optInt("m")
        } else if let position {
            let rows = try db.query("SELECT sort_order FROM tasks WHERE status = ? AND id <> ? ORDER BY sort_order LIMIT 2 OFFSET ?",
                                    s, .int(id), .int(Int64(position - 1)))
            if rows.isEmpty {
                before = try db.queryOne("SELECT max(sort_order) AS m FROM tasks WHERE status = ? AND id <> ?", s, .int(id))?.optInt("m")
                after = nil
            } else {
                before = rows[0].int("sort_order")
                after = rows.count > 1 ? rows[1].int("sort_order") : nil
            }
        } else {
            before = try db.queryOne("SELECT max(sort_order) AS m FROM tasks WHERE status = ? AND id <> ?", s, .int(id))?.optInt("m")
            after = nil
        }
        return SparseOrder.between(before, after)
    }

    /// Renumbers a column to gap, 2·gap, … in one transaction. Two steps keep every slot unique throughout:
    /// first everything moves far below zero, then each row takes its rank.
    func rebalance(_ status: TaskStatus) throws {
        let s = SQLValue.text(status.rawValue)
        try db.execute("UPDATE tasks SET sort_order = sort_order - 1000000000000000 WHERE status = ?", s)
        try db.execute("""
            UPDATE tasks SET sort_order = r.rn * \(SparseOrder.gap)
            FROM (SELECT id, row_number() OVER (ORDER BY sort_order, id) AS rn FROM tasks WHERE status = ?) AS r
            WHERE tasks.id = r.id
            """, s)
    }

    func recordEvent(_ taskId: ID, _ actor: Actor, _ type: String, _ payload: JSONValue) throws {
        try db.execute("INSERT INTO task_events (task_id, actor_type, actor_id, event_type, payload) VALUES (?, ?, ?, ?, ?)",
                       .int(taskId), .text(actor.type.rawValue), .optional(actor.id), .text(type), .text(payload.jsonString))
    }
}
