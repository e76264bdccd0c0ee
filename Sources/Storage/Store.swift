import Foundation
import Core

/// One database and its repositories. `open` validates the migrations (refusing an edited, missing or
/// unknown one) and applies pending ones, so a new database is ready on first use.
public final class Store {
    public let db: Database
    public var agents: AgentRepository { AgentRepository(db) }
    public var tasks: TaskRepository { TaskRepository(db) }
    public var executions: ExecutionRepository { ExecutionRepository(db) }
    public var sessions: SessionRepository { SessionRepository(db) }
    public var messages: MessageRepository { MessageRepository(db) }
    public var toolCalls: ToolCallRepository { ToolCallRepository(db) }
    public var workers: WorkerRepository { WorkerRepository(db) }
    public var settings: SettingsRepository { SettingsRepository(db) }
    public var inbox: InboxRepository { InboxRepository(db) }
    public var inputs: InputRepository { InputRepository(db) }
    public var rules: RuleRepository { RuleRepository(db) }
    public var search: SearchRepository { SearchRepository(db) }
    public var searchBacklog: SearchBacklog { SearchBacklog(db) }
    public var syncFiles: SyncFileRepository { SyncFileRepository(db) }
    public var worktrees: WorktreeRepository { WorktreeRepository(db) }

    public init(db: Database) { self.db = db }

    /// Opens `connection` (a path or PostgreSQL URL), migrating when `migrate` is set.
    public static func open(_ connection: String, migrate: Bool = true) throws -> Store {
        let db = try DatabaseOpener.open(connection)
        let store = Store(db: db)
        if migrate {
            let m = Migrator(db)
            // First use by several processes at once: a lock another one holds is waited out, not an error.
            var attempt = 0
            while true {
                do {
                    try m.requireValid()
                    if try !m.summary().pending.isEmpty { try m.migrate() }
                    break
                } catch StorageError.busy(let message) {
                    attempt += 1
                    if attempt > 100 { throw StorageError.busy(message) }
                    usleep(UInt32.random(in: 10_000...50_000))
                }
            }
        }
        return store
    }

    public func close() { db.close() }
}
