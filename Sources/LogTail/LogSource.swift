// Where log bytes come from. `LogFile` finds lines over any `LogSource`: a file read with `pread`
// (`FileLogSource`), bytes in memory (`MemoryLogSource`), or the dashboard's database-chunk source.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A growing sequence of bytes that can be read at any offset. The line index reads it from a background
/// thread while the data thread reads lines, so implementations must be safe to call from two threads.
public protocol LogSource: Sendable {
    /// Bytes available now; may grow between calls (or shrink when the log is truncated).
    var size: Int64 { get }
    /// Up to `count` bytes at `offset` (fewer at the end, empty past it).
    func read(at offset: Int64, count: Int) -> [UInt8]
    /// Reads into `buffer` at `offset`, returns the number of bytes read (0 at or past the end).
    /// The default copies through `read(at:count:)`; file sources read straight into the buffer.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int
}

extension LogSource {
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let bytes = read(at: offset, count: buffer.count)
        let n = min(bytes.count, buffer.count)
        bytes.withUnsafeBytes { src in
            if n > 0 { buffer.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: n) }
        }
        return n
    }
}

public struct LogTailError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public let errno: Int32
    init(_ what: String, errno: Int32) { description = "\(what): \(String(cString: strerror(errno)))"; self.errno = errno }
}

/// The identity of a file: a rename over the path or a re-creation gives a different one.
public struct FileIdentity: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64
}

/// A file read with `pread` on one open descriptor (never mmap: a huge log must not become resident).
/// The descriptor keeps reading the same file after it is renamed or unlinked, like `tail`.
public final class FileLogSource: LogSource, @unchecked Sendable {
    // `fd` never changes after init and pread/fstat are thread-safe, so no lock is needed.
    public let fd: Int32
    public let path: String
    public let identity: FileIdentity

    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogTailError("open \(path)", errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let e = errno; close(fd); throw LogTailError("fstat \(path)", errno: e) }
        self.fd = fd
        self.path = path
        identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    deinit { close(fd) }

    public var size: Int64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// Hard links left to the file: 0 once it was unlinked or renamed over.
    public var linkCount: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_nlink) : 0
    }

    public func read(at offset: Int64, count: Int) -> [UInt8] {
        guard count > 0, offset >= 0 else { return [] }
        var n = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            n = read(at: offset, into: UnsafeMutableRawBufferPointer(buf))
            initialized = n
        }
        return bytes
    }

    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard offset >= 0, let base = buffer.baseAddress else { return 0 }
        var done = 0
        // pread may return short counts (signals, pipes-like files): loop until full or end of file.
        while done < buffer.count {
            let r = pread(fd, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if r > 0 { done += r; continue }
            if r < 0 && errno == EINTR { continue }
            break
        }
        return done
    }
}

/// Bytes held in memory, appendable from any thread: for tests, and for logs that arrive in chunks.
public final class MemoryLogSource: LogSource, @unchecked Sendable {
    private var bytes: [UInt8]
    private let lock = NSLock()

    public init(_ bytes: [UInt8] = []) { self.bytes = bytes }
    public convenience init(_ text: String) { self.init(Array(text.utf8)) }

    public var size: Int64 { lock.withLock { Int64(bytes.count) } }

    public func append(_ more: [UInt8]) { lock.withLock { bytes.append(contentsOf: more) } }
    public func replaceAll(with new: [UInt8]) { lock.withLock { bytes = new } }

    public func read(at offset: Int64, count: Int) -> [UInt8] {
        lock.withLock {
            guard offset >= 0, offset < Int64(bytes.count), count > 0 else { return [] }
            let start = Int(offset)
            return Array(bytes[start..<min(bytes.count, start + count)])
        }
    }
}
