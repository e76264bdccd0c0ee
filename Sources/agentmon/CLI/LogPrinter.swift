import Foundation
import Core
import Storage
import Render

/// Where `exec logs` writes: the bytes as they are, or sanitised lines for a terminal.
enum LogSink { case raw, sanitised }

/// Writes log bytes to stdout. Sanitised output stays line-oriented and streaming: complete lines are
/// sanitised and written as they arrive; a partial line waits for its newline (or the end of the log), so an
/// escape sequence split across two reads is still seen whole.
final class LogOutput {
    let sink: LogSink
    private var pending: [UInt8] = []
    private let write: (Data) -> Void
    /// A line this long is written without waiting for its end (memory stays bounded on a log with no newline).
    static let maxPending = 1 << 20

    init(_ sink: LogSink, write: @escaping (Data) -> Void = { FileHandle.standardOutput.write($0) }) {
        self.sink = sink
        self.write = write
    }

    func append(_ bytes: some Collection<UInt8>) {
        guard sink == .sanitised else { write(Data(bytes)); return }
        pending.append(contentsOf: bytes)
        guard let lastNewline = pending.lastIndex(of: 0x0A) else {
            if pending.count >= Self.maxPending { flush() }
            return
        }
        var out = Data()
        var start = 0
        while let nl = pending[start...].firstIndex(of: 0x0A), nl <= lastNewline {
            out.append(contentsOf: Self.clean(pending[start..<nl]).utf8)
            out.append(0x0A)
            start = nl + 1
        }
        pending.removeSubrange(0..<start)
        write(out)
    }

    /// Writes a last line that has no newline.
    func flush() {
        guard sink == .sanitised, !pending.isEmpty else { return }
        write(Data(Self.clean(pending[...]).utf8))
        pending.removeAll()
    }

    /// One line for a terminal: colours dropped, other escapes and controls shown as placeholders, tabs kept.
    static func clean(_ line: ArraySlice<UInt8>) -> String {
        var s = Sanitizer(options: .init(parseSGR: false, tabStop: 8, showEscapes: true))
        return line.withUnsafeBufferPointer { s.sanitize(buffer: $0) }.plainText
    }
}

/// Copies a log to stdout, following if asked.
struct LogPrinter {
    let store: Store
    let id: ID
    let sink: LogOutput

    enum Source { case file(FileHandle, read: Int64), database(afterSeq: Int64, skip: Int64) }

    func run(follow: Bool) throws {
        var e = try store.executions.get(id)
        var source: Source?
        defer { sink.flush() }
        while true {
            source = pickSource(e, current: source)
            if source != nil { try copy(&source!) }
            // `e` was read before this copy: a run that had ended then had written all of its log.
            if !follow || e.status.isTerminal { return }
            usleep(100_000)
            e = try store.executions.get(id)
        }
    }

    /// The file when this machine can read it and it is complete; else the chunks in the database (a write
    /// error cut the file: `logFileIncomplete`). A file found incomplete while following hands over to the
    /// chunks after the bytes already printed. Undecided while a queued run has no log yet.
    private func pickSource(_ e: Execution, current: Source?) -> Source? {
        switch current {
        case .database: return current
        case .file(_, let read): return e.logFileIncomplete ? .database(afterSeq: 0, skip: read) : current
        case nil:
            if !e.logFileIncomplete, let path = e.logFilePath, let h = FileHandle(forReadingAtPath: path) { return .file(h, read: 0) }
            if e.logFilePath != nil || e.status.isTerminal || e.logByteSize > 0 { return .database(afterSeq: 0, skip: 0) }
            return nil
        }
    }

    private func copy(_ source: inout Source) throws {
        switch source {
        case .file(let h, var read):
            while let data = try h.read(upToCount: 1 << 16), !data.isEmpty { sink.append(data); read += Int64(data.count) }
            source = .file(h, read: read)
        case .database(let after, let skip):
            var seq = after
            while true {
                let chunks = try store.executions.logChunks(id, afterSeq: seq, limit: 200)
                for c in chunks {
                    // Bytes the file already gave are not printed twice.
                    let end = c.offset + Int64(c.data.count)
                    if end > skip { sink.append(c.data.dropFirst(Int(max(0, skip - c.offset)))) }
                    seq = c.seq
                }
                if chunks.count < 200 { break }
            }
            source = .database(afterSeq: seq, skip: skip)
        }
    }
}
