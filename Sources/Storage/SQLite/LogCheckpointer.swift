import Foundation
import CSQLite

/// Copies a SQLite database's write-ahead log into the database on a connection and thread of its own while one
/// connection goes on writing a long stretch (an import).
///
/// Left to SQLite, the connection that commits copies the log itself once it passes 1,000 pages (its automatic
/// checkpoint): reading the log back, writing each page into the database and syncing both, while the import's
/// writing waits. That was a fifth of an import's time. Here the writer's commit only asks (`sqlite3_wal_hook`,
/// called after each commit with the log's size), and a passive checkpoint runs beside the writing. The log is
/// kept bounded: past `maxPages`, a commit waits for a checkpoint of everything committed, so the writer's next
/// transaction can start the log over (SQLite restarts it only when all of it was copied).
final class LogCheckpointer: @unchecked Sendable {
    let path: String
    /// Pages in the log from which a checkpoint is asked for (SQLite's automatic checkpoint: 1,000).
    let startPages: Int32
    /// Pages in the log past which a commit waits for the checkpoint it asked for.
    let maxPages: Int32

    private let cond = NSCondition()
    private var asked = 0, done = 0
    private var stopping = false, finishing = false
    private var thread: Thread?
    private var runs = 0
    /// Its connection could not be opened (no file descriptor left, the file gone): the writer checkpoints.
    private var unavailable = false

    init(path: String, startPages: Int32 = 1000, maxPages: Int32 = 32_768) {
        self.path = path; self.startPages = startPages; self.maxPages = maxPages
    }

    /// After a commit that left `pages` in the log (the writing connection's thread). False: there is no
    /// checkpointing thread, and the caller checkpoints as SQLite would have.
    func committed(pages: Int32) -> Bool {
        guard pages >= startPages else { return true }
        cond.lock(); defer { cond.unlock() }
        if unavailable { return false }
        if thread == nil {
            // Opened here, so that a failure is known at once; used only by the thread from now on.
            guard let db = Self.open(path) else { unavailable = true; return false }
            let handle = Handle(db)
            let t = Thread { [self] in loop(handle.db) }
            t.name = "agentmon-checkpoint"
            thread = t
            t.start()
        }
        asked += 1
        let mine = asked
        cond.broadcast()
        if pages >= maxPages { while done < mine && !stopping { cond.wait() } }
        return true
    }

    /// A connection handed to the thread.
    private struct Handle: @unchecked Sendable {
        let db: OpaquePointer
        init(_ db: OpaquePointer) { self.db = db }
    }

    /// Its own connection: never creates the file, and closing it leaves the log to the other connections. It
    /// learns that the file is in WAL mode by reading it: before, a checkpoint does nothing.
    private static func open(_ path: String) -> OpaquePointer? {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db,
              sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close_v2(db)
            return nil
        }
        return db
    }

    /// One last checkpoint of what was committed (when one was ever asked for), then the thread ends. Returns the
    /// checkpoints run.
    @discardableResult
    func finish() -> Int {
        cond.lock()
        guard thread != nil else { cond.unlock(); return 0 }
        asked += 1
        finishing = true
        let last = asked
        cond.broadcast()
        while done < last { cond.wait() }
        stopping = true
        let n = runs
        cond.broadcast()
        cond.unlock()
        return n
    }

    private func loop(_ db: OpaquePointer) {
        defer { sqlite3_close_v2(db) }
        cond.lock()
        while true {
            while asked == done && !stopping { cond.wait() }
            if stopping { break }
            let target = asked, last = finishing
            cond.unlock()
            // Passive: copies what no reader still needs, never waits for a lock; busy (another process is
            // checkpointing) or failing, the next commit asks again. The last one also empties the log file
            // when nobody reads from it (it grew while the writing went on); with no busy handler, it does not
            // wait for readers either.
            _ = sqlite3_wal_checkpoint_v2(db, nil, last ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            cond.lock()
            runs += 1
            done = target
            cond.broadcast()
        }
        cond.unlock()
    }
}
