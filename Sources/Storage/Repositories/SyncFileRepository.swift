import Foundation
import Core

/// A transcript file as `agentmon sync` last saw it (migration 012).
public struct SyncedFile: Sendable, Equatable {
    public var path: String
    public var source: String
    public var size: Int64
    public var mtimeNs: Int64
    public var inode: Int64
    /// Bytes imported from the start (appended files); for whole files, the size read.
    public var bytesRead: Int64
    /// The importer's state between passes (JSON).
    public var state: String

    public init(path: String, source: String, size: Int64, mtimeNs: Int64, inode: Int64, bytesRead: Int64, state: String = "{}") {
        self.path = path; self.source = source; self.size = size; self.mtimeNs = mtimeNs; self.inode = inode
        self.bytesRead = bytesRead; self.state = state
    }
}

/// The files one machine's sync has read.
public struct SyncFileRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    /// Every file this host has synced, by path.
    public func all(host: String) throws -> [String: SyncedFile] {
        var out: [String: SyncedFile] = [:]
        for r in try db.query("SELECT path, source, size, mtime_ns, inode, bytes_read, state FROM sync_files WHERE host = ?", .text(host)) {
            out[r.string("path")] = SyncedFile(path: r.string("path"), source: r.string("source"), size: r.int("size"),
                                               mtimeNs: r.int("mtime_ns"), inode: r.int("inode"), bytesRead: r.int("bytes_read"),
                                               state: r.string("state"))
        }
        return out
    }

    public func save(host: String, _ f: SyncedFile) throws {
        try db.execute("""
            INSERT INTO sync_files (host, path, source, size, mtime_ns, inode, bytes_read, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (host, path) DO UPDATE SET source = excluded.source, size = excluded.size, mtime_ns = excluded.mtime_ns,
                inode = excluded.inode, bytes_read = excluded.bytes_read, state = excluded.state, last_synced_at = \(db.dialect.now)
            """, .text(host), .text(f.path), .text(f.source), .int(f.size), .int(f.mtimeNs), .int(f.inode), .int(f.bytesRead),
            .text(f.state))
    }
}
