// LogFollower: follows a log by name like `tail -F`, and tells what happened as events.
//
// Public API:
//   init(path:start:pollIntervalMs:useInotify:)   never fails: a missing file is waited for
//   wait(timeoutMs:) -> Bool            sleeps (zero CPU) until the file may have changed, a wake(), or timeout
//   poll() -> [FollowEvent]             cheap check (fstat + stat): what changed since the last poll
//   next(timeoutMs:) -> [FollowEvent]   poll, and wait until there is something or the timeout passes
//   wake()                              from any thread: ends a wait early
//   source, offset                      the file followed now, and how much of it the events reported
//   read(at:into:), read(at:count:)     bytes of `source` (read them before the next poll, see below)
//   pollDescriptor                      an fd to put in one's own poll() set (readable = call poll())
// The events of one poll() all refer to `source` as it is after that poll. When the path was replaced
// while the old file still had unread bytes, poll() first reports only those bytes and the replacement on
// the next call (wait returns at once), so nothing written before a rotation is lost.
// Like tail, a truncation followed by a rewrite larger than before, between two polls, looks like an append.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SystemSupport

public enum FollowEvent: Equatable, Sendable {
    /// Bytes [from, to) of `source` are new.
    case appended(from: Int64, to: Int64)
    /// The file shrank to `size`: reading restarts at 0 (an `appended` follows if it has bytes).
    case truncated(size: Int64)
    /// A different file is at the path now (created, re-created, or rotated in); reading restarts at 0.
    case replaced(size: Int64)
    /// The path no longer names the file; appends to the old file are still reported until a new one appears.
    case removed
}

public final class LogFollower: @unchecked Sendable {
    public enum Start: Sendable {
        /// Report the existing bytes too (as the first `appended`).
        case beginning
        /// Report only what is written from now on, like `tail -n0 -f`.
        case end
    }

    public let path: String
    let pollIntervalMs: Int
    private let inotify: Inotify?
    private let waker = WakePipe()
    private let lock = NSLock()
    // Guarded by `lock`:
    private var current: FileLogSource?
    private var reported: Int64 = 0
    private var fileWatch: Int32?
    private var directoryWatch: Int32?
    private var removedReported = false
    private var checkAgain = false

    /// `useInotify: false` forces the polling fallback (every `pollIntervalMs`), as on systems without it.
    public init(path: String, start: Start = .end, pollIntervalMs: Int = 250, useInotify: Bool = true) {
        self.path = path
        self.pollIntervalMs = max(1, pollIntervalMs)
        inotify = useInotify ? Inotify() : nil
        directoryWatch = inotify?.addWatch(Self.directory(of: path), mask: Inotify.directoryMask)
        if let file = try? FileLogSource(path: path) {
            current = file
            fileWatch = inotify?.addWatch(path, mask: Inotify.fileMask)
            reported = start == .end ? file.size : 0
            checkAgain = reported < file.size
        }
    }

    /// True when the kernel will tell us about changes; false means `wait` falls back to polling.
    public var usesInotify: Bool { lock.withLock { inotify != nil && directoryWatch != nil && (current == nil || fileWatch != nil) } }

    /// Readable when the file may have changed; nil when inotify is unavailable (poll every interval).
    public var pollDescriptor: Int32? { usesInotify ? inotify?.fd : nil }

    /// The file being followed (nil while the path does not exist yet).
    public var source: FileLogSource? { lock.withLock { current } }

    /// Bytes of `source` that events have reported so far.
    public var offset: Int64 { lock.withLock { reported } }

    public func wake() { waker.wake() }

    /// Sleeps until the file may have changed, `wake()` is called, or `timeoutMs` passes (-1: no limit).
    /// Without inotify it sleeps at most the poll interval and returns true: time to poll().
    @discardableResult
    public func wait(timeoutMs: Int) -> Bool {
        if lock.withLock({ checkAgain }) { return true }
        let kernel = usesInotify
        var fds = [pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0)]
        if kernel, let fd = inotify?.fd { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let timeout = kernel ? timeoutMs : (timeoutMs < 0 ? pollIntervalMs : min(timeoutMs, pollIntervalMs))
        var r: Int32
        repeat { r = Glibc.poll(&fds, nfds_t(fds.count), Int32(clamping: timeout)) } while r < 0 && errno == EINTR
        if fds[0].revents != 0 { waker.drain() }
        return r > 0 || !kernel
    }

    /// What changed since the last poll. Cheap (an fstat and a stat), so it may also be called on every
    /// tick of a poll loop: that covers file systems where inotify stays silent (NFS and the like).
    public func poll() -> [FollowEvent] {
        lock.lock(); defer { lock.unlock() }
        inotify?.drain()  // before looking, so a change after this point wakes the next wait
        checkAgain = false
        var events: [FollowEvent] = []
        if let file = current {
            let size = file.size
            if size < reported { events.append(.truncated(size: size)); reported = 0 }
            if size > reported { events.append(.appended(from: reported, to: size)); reported = size }
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            if current != nil && !removedReported { events.append(.removed); removedReported = true }
            return events
        }
        let identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        if let file = current, file.identity == identity { removedReported = false; return events }
        // A new file at the path. Let the consumer read what the old one still had before switching.
        if current != nil && !events.isEmpty { checkAgain = true; return events }
        guard let file = try? FileLogSource(path: path) else { return events }  // raced: the next event retries
        if let wd = fileWatch { inotify?.removeWatch(wd) }
        fileWatch = inotify?.addWatch(path, mask: Inotify.fileMask)
        if directoryWatch == nil { directoryWatch = inotify?.addWatch(Self.directory(of: path), mask: Inotify.directoryMask) }
        current = file
        removedReported = false
        let size = file.size
        events.append(.replaced(size: size))
        reported = 0
        if size > 0 { events.append(.appended(from: 0, to: size)); reported = size }
        return events
    }

    /// Polls; if nothing happened, waits and polls again until something does or `timeoutMs` passes.
    public func next(timeoutMs: Int) -> [FollowEvent] {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeoutMs)) * 1_000_000
        while true {
            let events = poll()
            if !events.isEmpty { return events }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline { return [] }
            wait(timeoutMs: Int((deadline - now + 999_999) / 1_000_000))
        }
    }

    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        source?.read(at: offset, into: buffer) ?? 0
    }

    public func read(at offset: Int64, count: Int) -> [UInt8] {
        source?.read(at: offset, count: count) ?? []
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
