import Foundation
import Core
import Storage
import LogTail

/// The database copy of a log as a `LogSource`, for a dashboard that cannot read the worker's file.
/// It has a connection of its own: the line index reads from a background thread. It keeps where each chunk
/// starts (read incrementally), so a read asks for the chunks that hold its bytes by primary key.
final class ChunkLogSource: LogSource, @unchecked Sendable {
    private let store: Store
    private let executionId: ID
    private let lock = NSLock()
    /// (seq, byte offset) of the chunks read so far, in order.
    private var chunks: [(seq: Int64, offset: Int64)] = []

    init(connection: String, executionId: ID) throws {
        store = Store(db: try DatabaseOpener.open(connection))
        self.executionId = executionId
    }
    deinit { store.close() }

    var size: Int64 {
        lock.lock(); defer { lock.unlock() }
        return (try? store.executions.logHead(executionId)?.logByteSize) ?? 0
    }

    func read(at offset: Int64, count: Int) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        guard count > 0 else { return [] }
        let end = offset + Int64(count)
        // Chunks past the last known one may hold the end of the range.
        if chunks.last.map({ $0.offset < end }) ?? true {
            let new = (try? store.executions.logChunkTimes(executionId, afterSeq: chunks.last?.seq ?? 0)) ?? []
            chunks += new.map { ($0.seq, $0.offset) }
        }
        guard !chunks.isEmpty else { return [] }
        let first = max(0, lastChunk(startingAtOrBefore: offset))
        let last = max(first, lastChunk(startingAtOrBefore: end - 1))
        return (try? store.executions.logBytes(executionId, seqs: chunks[first].seq...chunks[last].seq, from: offset, count: count)) ?? []
    }

    /// Index of the last chunk that starts at or before `offset`, or -1.
    private func lastChunk(startingAtOrBefore offset: Int64) -> Int {
        var lo = 0, hi = chunks.count - 1, best = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if chunks[mid].offset <= offset { best = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return best
    }
}

/// The log the user is looking at: its file (followed like `tail -F`) or its database chunks (polled).
/// Lives on the data thread; `follower` lets the loop sleep until the file changes.
final class LogReader {
    let executionId: ID
    private(set) var file: LogFile
    let follower: LogFollower?
    let sourceName: String
    /// Chunk arrival times read so far (for the `t` column); only newer chunks are read at each refresh.
    private var times: [(offset: Int64, at: Date)] = []
    private var timesSeq: Int64 = 0
    private var timesSize: Int64 = -1
    /// What the title names (agent, capability, task), read once and again when the run's status changes.
    var names: (status: ExecutionStatus, title: String)?
    /// Database statements this reader ran for times (tests: a refresh costs the same at any run length).
    private(set) var timeRowsRead = 0
    var lastSize: Int64 = -1
    var notice: String?

    init(execution e: Execution, connection: String) throws {
        executionId = e.id
        // A file cut by a failed write is incomplete; the chunks in the database hold every byte.
        if !e.logFileIncomplete, let path = e.logFilePath, FileManager.default.isReadableFile(atPath: path) {
            let f = LogFollower(path: path, start: .end)
            follower = f
            file = try f.source.map { LogFile(source: $0) } ?? LogFile(path: path)
            sourceName = "file"
        } else {
            follower = nil
            file = LogFile(source: try ChunkLogSource(connection: connection, executionId: e.id))
            sourceName = "database"
        }
    }

    /// Follower events since the last call; a replaced or truncated file is reopened. True when anything changed.
    func refresh() -> Bool {
        guard let follower else {
            let size = file.size
            defer { lastSize = size }
            return size != lastSize
        }
        var changed = false
        for event in follower.poll() {
            switch event {
            case .appended: changed = true
            case .truncated: notice = "log truncated: reading from its start"; reopen(follower); changed = true
            case .replaced: notice = "log file replaced: following the new one"; reopen(follower); changed = true
            case .removed: notice = "log file removed: showing what was read"
            }
        }
        return changed
    }

    private func reopen(_ follower: LogFollower) {
        if let s = follower.source { file = LogFile(source: s) }
    }

    func page(_ anchor: LogAnchor, rows: Int, store: Store) -> (rows: [LogRow], anchor: LogAnchor) {
        let lines: [LogLine]
        var resolved = anchor
        switch anchor {
        case .tail:
            lines = file.lines(before: nil, count: rows)
        case .from(let offset):
            lines = file.lines(from: max(0, offset), count: rows)
            if lines.isEmpty { resolved = .tail; return page(.tail, rows: rows, store: store) }
        case .up(let offset, let n):
            let above = file.lines(before: offset, count: n)
            let top = above.first?.offset ?? 0
            resolved = .from(top)
            lines = file.lines(from: top, count: rows)
        }
        loadTimes(store)
        return (lines.map { LogRow(offset: $0.offset, end: $0.end, bytes: $0.bytes, lineNumber: $0.lineNumber, at: time(at: $0.offset)) },
                resolved)
    }

    /// Chunk arrival times from the database: when the log grew, the chunks after the last one read.
    private func loadTimes(_ store: Store) {
        let size = file.size
        guard size != timesSize else { return }
        timesSize = size
        guard let new = try? store.executions.logChunkTimes(executionId, afterSeq: timesSeq) else { return }
        timeRowsRead += new.count
        if let last = new.last { timesSeq = last.seq }
        times += new.map { ($0.offset, $0.at) }
    }

    private func time(at offset: Int64) -> Date? {
        var lo = 0, hi = times.count - 1, best: Date?
        while lo <= hi {
            let mid = (lo + hi) / 2
            if times[mid].offset <= offset { best = times[mid].at; lo = mid + 1 } else { hi = mid - 1 }
        }
        return best
    }

    /// The line a search or error jump lands on, or nil.
    func find(_ req: LogSearchRequest) -> Int64? {
        switch req.kind {
        case .text(let needle):
            guard let hit = file.search(Array(needle.utf8), from: req.from, forward: req.forward, caseInsensitive: true) else { return nil }
            return file.lineStart(containing: hit)
        case .errorLine:
            return file.nextErrorLine(from: req.from, forward: req.forward)?.offset
        }
    }
}
