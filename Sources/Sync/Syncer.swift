import Foundation
import Core
import Storage
import Importers
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// One sync pass over the agents' folders (`SyncLocations`): every transcript file that is new or changed since
/// the last pass is imported, and what was read is remembered per file (`sync_files`). Appended JSONL (Claude
/// Code, Codex) is read from where the last pass stopped, up to its last complete line (a line being written
/// waits for the next pass); a file that shrank or was replaced is read again whole (the importers are
/// idempotent). Whole-file formats (Gemini chats, OpenCode's storage folder, `opencode.db` and its `-wal`) are
/// imported again when their size or modification time changed. A file that cannot be read is a skip named
/// in the report, never a stop; only the database failing stops a pass.
public final class Syncer {
    let store: Store
    public let locations: SyncLocations
    let host: String

    public init(store: Store, locations: SyncLocations, host: String = HostName.current()) {
        self.store = store; self.locations = locations; self.host = host
    }

    /// Asked before each file: true ends the pass early (the dashboard is quitting), with what it read so far kept.
    public var isCancelled: () -> Bool = { false }

    /// Folders seen by the last pass (to watch), and the nearest existing folder of each missing root.
    public private(set) var folders: [String] = []

    /// A pass is one long stretch of writes for the database (a first pass imports everything the agents kept).
    public func pass() throws -> SyncReport {
        try store.db.bulkWriting { try walk() }
    }

    private func walk() throws -> SyncReport {
        let known = try store.syncFiles.all(host: host)
        var report = SyncReport()
        var seenFolders: [String] = []
        for source in ImportSource.allCases {
            for root in locations.roots(source) {
                seenFolders.append(Self.nearestExisting(root))
                if source == .opencode { try openCode(root, known: known, into: &report, folders: &seenFolders); continue }
                let walk = FileWalk(root: root, wants: Self.wants(source))
                seenFolders += walk.folders
                for p in walk.problems { report.skipped.append(.init(source: source, path: p.path, reason: p.reason)) }
                for file in Importer.ordered(walk.files) {
                    if isCancelled() { return report }
                    report.counts[source, default: .init()].filesScanned += 1
                    try guarded(source, file, into: &report) {
                        source == .gemini ? try whole(source, file, known: known[file])
                                          : try appended(source, file, known: known[file])
                    }
                }
            }
        }
        folders = Array(Set(seenFolders)).sorted()
        return report
    }

    /// The files of a source under its root.
    static func wants(_ source: ImportSource) -> (String) -> Bool {
        switch source {
        case .claude, .codex: return { $0.hasSuffix(".jsonl") }
        case .gemini:  // <project hash>/chats/session-*.json(l)
            return { p in
                let u = URL(fileURLWithPath: p)
                return u.deletingLastPathComponent().lastPathComponent == "chats" && ["json", "jsonl"].contains(u.pathExtension)
            }
        case .opencode: return { _ in false }
        }
    }

    /// Runs one file's import; a failure of the file is a named skip, a failure of the database stops the pass.
    private func guarded(_ source: ImportSource, _ path: String, into report: inout SyncReport,
                         _ body: () throws -> ImportSummary?) throws {
        do {
            if let s = try body() { report.counts[source, default: .init()].add(s) }
        } catch let e as ImportError {
            report.skipped.append(.init(source: source, path: path, reason: Self.reason(e)))
        } catch {
            _ = try store.db.query("SELECT 1")  // the database is gone: that is the error to report
            report.skipped.append(.init(source: source, path: path, reason: String(describing: error)))
        }
    }

    static func reason(_ e: ImportError) -> String {
        switch e {
        case .notFound: return "no such file"
        case .unreadable(_, let reason): return reason
        }
    }

    // MARK: appended JSONL

    /// Imports what the file gained, `chunkBytes` at a time; nil when it did not change.
    func appended(_ source: ImportSource, _ path: String, known: SyncedFile?) throws -> ImportSummary? {
        let file = try OpenFile(path)
        var start: Int64 = 0, resume = ImportResume()
        if let k = known, k.inode == file.inode, file.size >= k.bytesRead {
            if k.size == file.size && k.mtimeNs == file.mtimeNs { return nil }
            start = k.bytesRead
            resume = ImportResume(json: k.state)
        }
        var record = SyncedFile(path: path, source: source.rawValue, size: file.size, mtimeNs: file.mtimeNs, inode: file.inode,
                                bytesRead: start, state: resume.json)
        var total: ImportSummary?
        while record.bytesRead < file.size {
            let end = min(file.size, record.bytesRead + chunkBytes)
            var bytes = try file.read(from: record.bytesRead, to: end)
            if bytes.isEmpty { break }  // cut short since it was measured: the next pass sees its new size
            var skipped = 0
            if resume.midLine == true {  // the rest of a line longer than a chunk: one skipped line
                guard let nl = bytes.firstIndex(of: 0x0A) else {
                    record.bytesRead += Int64(bytes.count); record.state = resume.json
                    try store.syncFiles.save(host: host, record)
                    continue
                }
                record.bytesRead += Int64(nl - bytes.startIndex + 1)
                bytes = bytes.suffix(from: nl + 1)
                resume.midLine = nil; resume.lines += 1; skipped = 1
            }
            if let nl = bytes.lastIndex(of: 0x0A) {
                var s = try Importer(store: store).runAppended(source, file: path, bytes: Data(bytes.prefix(through: nl)), resume: &resume)
                s.skippedLines += skipped
                total = Self.sum(total, s)
                record.bytesRead += Int64(nl - bytes.startIndex + 1)
            } else if end < file.size, bytes.count == Int(end - record.bytesRead), bytes.count > 0 {
                resume.midLine = true  // a line longer than a chunk starts here
                record.bytesRead = end
            } else if skipped > 0 {
                var s = ImportSummary(); s.skippedLines = skipped
                total = Self.sum(total, s)
            } else {
                break  // a line being written: the next pass reads it whole
            }
            record.state = resume.json
            try store.syncFiles.save(host: host, record)
        }
        if total == nil { try store.syncFiles.save(host: host, record) }
        return total
    }

    /// The most of a file read at once (memory stays bounded whatever the file's size).
    var chunkBytes: Int64 = 64 << 20

    static func sum(_ a: ImportSummary?, _ b: ImportSummary) -> ImportSummary {
        guard var a else { return b }
        a.sessions = max(a.sessions, b.sessions); a.newSessions += b.newSessions; a.messages += b.messages
        a.newMessages += b.newMessages; a.toolCalls += b.toolCalls; a.skippedLines += b.skippedLines
        return a
    }

    // MARK: whole files

    func whole(_ source: ImportSource, _ path: String, known: SyncedFile?) throws -> ImportSummary? {
        let file = try OpenFile(path)
        let record = SyncedFile(path: path, source: source.rawValue, size: file.size, mtimeNs: file.mtimeNs, inode: file.inode,
                                bytesRead: file.size)
        if let k = known, k.size == record.size, k.mtimeNs == record.mtimeNs, k.inode == record.inode { return nil }
        let summary = try Importer(store: store).run(source, paths: [path])
        try store.syncFiles.save(host: host, record)
        return summary
    }

    /// OpenCode's data folder: the storage folder as one unit (its files' count, total size and newest change) and
    /// `opencode.db` with its `-wal`.
    private func openCode(_ root: String, known: [String: SyncedFile], into report: inout SyncReport, folders: inout [String]) throws {
        let storage = root + "/storage"
        if FileWalk.kind(storage) == .folder {
            let walk = FileWalk(root: storage, wants: { $0.hasSuffix(".json") })
            folders += walk.folders
            var record = SyncedFile(path: storage, source: "opencode", size: 0, mtimeNs: 0, inode: Int64(walk.files.count), bytesRead: 0)
            for f in walk.files {
                guard let st = try? OpenFile(f) else { continue }  // the importer names what it cannot read
                record.size += st.size
                record.mtimeNs = max(record.mtimeNs, st.mtimeNs)
            }
            report.counts[.opencode, default: .init()].filesScanned += 1
            try unit(record, known: known[storage], into: &report)
        }
        let db = root + "/opencode.db"
        switch FileWalk.kind(db) {
        case .file:
            report.counts[.opencode, default: .init()].filesScanned += 1
            do {
                let main = try OpenFile(db), wal = try? OpenFile(db + "-wal")
                let record = SyncedFile(path: db, source: "opencode", size: main.size + (wal?.size ?? 0),
                                        mtimeNs: max(main.mtimeNs, wal?.mtimeNs ?? 0), inode: main.inode, bytesRead: 0)
                try unit(record, known: known[db], into: &report)
            } catch let e as ImportError {
                report.skipped.append(.init(source: .opencode, path: db, reason: Self.reason(e)))
            }
        case .missing: break
        default: report.skipped.append(.init(source: .opencode, path: db, reason: "not a regular file"))
        }
    }

    private func unit(_ record: SyncedFile, known: SyncedFile?, into report: inout SyncReport) throws {
        if let k = known, k.size == record.size, k.mtimeNs == record.mtimeNs, k.inode == record.inode { return }
        try guarded(.opencode, record.path, into: &report) {
            let s = try Importer(store: store).run(.opencode, paths: [record.path])
            try store.syncFiles.save(host: host, record)
            return s
        }
    }

    /// The root, or the closest folder above it that exists (watched so that the root's creation is seen).
    static func nearestExisting(_ path: String) -> String {
        var p = URL(fileURLWithPath: path)
        while FileWalk.kind(p.path) != .folder && p.path != "/" { p.deleteLastPathComponent() }
        return p.path
    }
}

/// A regular file opened for reading (never blocking: a FIFO named like a transcript is refused, not waited on).
final class OpenFile {
    let fd: Int32
    let path: String
    let size: Int64, mtimeNs: Int64, inode: Int64

    init(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.unreadable(path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno)); close(fd)
            throw ImportError.unreadable(path, reason: reason)
        }
        guard st.st_mode & S_IFMT == S_IFREG else { close(fd); throw ImportError.unreadable(path, reason: "not a regular file") }
        self.fd = fd; self.path = path
        size = Int64(st.st_size); inode = Int64(st.st_ino)
        mtimeNs = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    deinit { close(fd) }

    /// Bytes [from, to) with pread; fewer when the file was cut meanwhile.
    func read(from: Int64, to: Int64) throws -> Data {
        guard to > from else { return Data() }
        var out = Data(count: Int(to - from))
        var done = 0
        let total = out.count
        let failure: Int32? = out.withUnsafeMutableBytes { buf -> Int32? in
            while done < total {
                let n = pread(fd, buf.baseAddress! + done, total - done, off_t(from) + off_t(done))
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }
                done += n
            }
            return nil
        }
        if let failure { throw ImportError.unreadable(path, reason: String(cString: strerror(failure))) }
        out.count = done
        return out
    }
}
