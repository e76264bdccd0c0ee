// A thin wrapper over Linux inotify. With the WakePipe it is what lets a log follower (LogTail) or the
// transcript sync (Sync) sleep with zero CPU until the kernel says a file or folder changed, or another thread
// wakes it.
#if canImport(Glibc)
import Glibc
#endif

public final class Inotify {
    public let fd: Int32

    /// nil when inotify is unavailable (not Linux, or the instance limit is reached): callers poll instead.
    public init?() {
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd < 0 { return nil }
        #else
        return nil
        #endif
    }

    deinit { close(fd) }

    /// A watch descriptor, or nil if the path cannot be watched (missing, limit reached).
    public func addWatch(_ path: String, mask: UInt32) -> Int32? {
        #if os(Linux)
        let wd = inotify_add_watch(fd, path, mask)
        return wd >= 0 ? wd : nil
        #else
        return nil
        #endif
    }

    public func removeWatch(_ wd: Int32) {
        #if os(Linux)
        _ = inotify_rm_watch(fd, wd)
        #endif
    }

    /// Reads and discards every queued event: the follower re-checks the file with fstat/stat anyway,
    /// which is simpler and also right when the queue overflowed.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    public static let fileMask = UInt32(IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)
    public static let directoryMask = UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)
}
