import Foundation
import Storage
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// Sync in the background, on a thread of its own with its own database connection (the dashboard's loop
/// never waits on it): a pass at start, then one whenever inotify says something changed in a watched folder
/// (every folder under the agents' roots, watches added as folders appear), and every `intervalMs` anyway —
/// the only trigger where inotify is unavailable. The dashboard's data thread sees what a pass wrote through
/// the database's change token, like any other writer's.
public final class SyncWatcher: @unchecked Sendable {
    private let connection: String
    private let locations: SyncLocations
    private let intervalMs: Int
    private let failed: @Sendable (String) -> Void
    private let wake = WakePipe()
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    /// - Parameters: failed: why a pass failed (the database), on the sync thread; said once until it changes.
    ///   Unreadable files are not failures: a pass names them in its report and goes on.
    public init(connection: String, locations: SyncLocations = .from(), intervalMs: Int = 2000,
                failed: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection; self.locations = locations; self.intervalMs = max(100, intervalMs); self.failed = failed
    }

    public func start() {
        let t = Thread { [self] in run(); done.signal() }
        t.name = "agentmon-sync"
        thread = t
        t.start()
    }

    /// Ends the thread after the pass under way (waits for it).
    public func stop() {
        lock.withLock { stopped = true }
        wake.wake()
        if thread != nil { done.wait(); thread = nil }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// Changes that matter in a watched folder: files written, created, moved or removed, folders made.
    static let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)
    /// Events that come together (an agent writes a few records at once) make one pass.
    static let settleMs: Int32 = 30

    private func run() {
        var store: Store?
        var lastFailure: String?
        let inotify = Inotify()
        var watched: Set<Int32> = [], first = true
        while !isStopped {
            do {
                if store == nil { store = try Store.open(connection) }
                let syncer = Syncer(store: store!, locations: locations)
                syncer.isCancelled = { [unowned self] in isStopped }
                _ = try syncer.pass()
                // What the pass wrote waits for its search index (migration 019): made here, a stretch per
                // transaction, so the dashboard's own searches seldom have to.
                try store!.searchBacklog.catchUp(shouldStop: { [unowned self] in isStopped })
                lastFailure = nil
                // Every pass: a watch on a folder already watched is the same watch; new folders get theirs. A file
                // written in a new folder before its watch was added would wait for the interval: pass again at once.
                if let inotify {
                    var added = false
                    for f in syncer.folders {
                        if let wd = inotify.addWatch(f, mask: Self.mask), watched.insert(wd).inserted { added = true }
                    }
                    if added && !first { first = false; continue }
                }
                first = false
            } catch {
                let text = String(describing: error)
                if text != lastFailure { failed(text); lastFailure = text }
                store?.close(); store = nil  // a fresh connection next time
            }
            if wait(inotify) && !isStopped, inotify != nil {
                usleep(UInt32(Self.settleMs) * 1000)
                inotify?.drain()
            }
        }
        store?.close()
    }

    /// Sleeps until a watched folder changes (true), or the interval passes or `stop` wakes it (false).
    private func wait(_ inotify: Inotify?) -> Bool {
        var fds = [pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)]
        if let inotify { fds.append(pollfd(fd: inotify.fd, events: Int16(POLLIN), revents: 0)) }
        let n = poll(&fds, nfds_t(fds.count), Int32(intervalMs))
        wake.drain()
        guard n > 0, fds.count > 1, fds[1].revents & Int16(POLLIN) != 0 else { return false }
        inotify?.drain()
        return true
    }
}
