// Reads a user's configuration file (a theme, config.toml, keys.toml) without trusting it: only a
// regular file, at most `sizeLimit` bytes. Opening with O_NONBLOCK and checking the opened descriptor
// means a FIFO, /dev/zero, a terminal or a directory is refused at once instead of hanging the program
// (and there is no gap between a check and the open for the file to be swapped in).
//
// Public API:
//   ConfigFile.read(_ path: String, limit: Int = ConfigFile.sizeLimit) throws(ConfigFile.ReadError) -> [UInt8]
//   enum ConfigFile.ReadError — missing, notRegular, tooBig, unreadable; `description` is one line

import Foundation

public enum ConfigFile {
    /// Far above any real theme or config (a few KiB), far below what could slow the program down.
    public static let sizeLimit = 1 << 20

    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case missing
        case notRegular(kind: String)
        case tooBig(limit: Int)
        case unreadable(reason: String)

        public var description: String {
            switch self {
            case .missing: "not found"
            case .notRegular(let kind): "is \(kind), not a regular file"
            case .tooBig(let limit): "is larger than \(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes")"
            case .unreadable(let reason): "cannot be read (\(reason))"
            }
        }
    }

    public static func read(_ path: String, limit: Int = sizeLimit) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw .missing }
            throw .unreadable(reason: String(cString: strerror(e)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .notRegular(kind: "a directory")
        case S_IFIFO: throw .notRegular(kind: "a FIFO")
        case S_IFCHR, S_IFBLK: throw .notRegular(kind: "a device")
        case S_IFSOCK: throw .notRegular(kind: "a socket")
        default: throw .notRegular(kind: "a special file")
        }
        guard st.st_size <= limit else { throw .tooBig(limit: limit) }
        // The size can change under us (or be 0, as in /proc): read to the end, but never past the limit.
        var bytes = [UInt8](repeating: 0, count: min(Int(st.st_size), limit) + 1)
        var count = 0
        while count <= limit {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - count)) }
            let room = bytes.count - count
            let n = bytes.withUnsafeMutableBytes { buf in buf.baseAddress.map { readFD(fd, $0 + count, room) } ?? 0 }
            if n > 0 { count += n; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw .unreadable(reason: String(cString: strerror(errno)))
        }
        guard count <= limit else { throw .tooBig(limit: limit) }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// read(2), out of the reach of `ConfigFile.read`'s name.
private func readFD(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
