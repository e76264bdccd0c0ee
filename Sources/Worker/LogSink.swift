import Foundation
import Core
import Storage
import SystemSupport

/// Where a run's output goes: at once to its log file (a local tail sees each write), and in chunks to
/// the database (a remote dashboard tails those) at least every `flushInterval` or `flushBytes`. Past
/// `maxBytes` the output is cut with a visible marker; the caller keeps reading and discarding, so the
/// program never blocks on a full pipe. Bytes are stored as they came, never decoded.
///
/// Either copy may fail alone. A file write that fails (a full disk, an I/O error) stops the file, which is
/// then incomplete, and is reported once through `fileFailed`; the database copy goes on and stays whole.
/// Chunks the database cannot take now (an outage) wait in memory and go with a later flush, in order.
final class LogSink {
    let path: String
    private let fd: Int32
    private let executionId: ID
    private let maxBytes: Int64
    private let flushInterval: Double
    private let flushBytes: Int
    /// Stores a chunk; false when the database refuses it because the run is no longer this worker's.
    private let appendToDatabase: ([UInt8]) throws -> Bool
    private let fileFailed: (String) -> Void
    private let report: (String) -> Void

    private(set) var kept: Int64 = 0
    private(set) var truncated = false
    private var pending: [UInt8] = []
    private var pendingSince: Double?
    private var databaseFailing = false
    /// Why the file stopped taking bytes; nil while it is complete.
    private(set) var fileError: String?
    /// The database refused a chunk: this attempt was reaped, so nothing more is sent.
    private(set) var refused = false

    static func marker(_ maxBytes: Int64) -> [UInt8] {
        Array("\n[agentmon: output truncated at \(maxBytes) bytes; the process keeps running]\n".utf8)
    }

    /// `<dir>/execution-<id>.log`.
    static func path(directory: String, executionId: ID) -> String { directory + "/execution-\(executionId).log" }

    /// Creates the log directory (0700) if needed; an existing one is left as it is.
    static func prepareDirectory(_ dir: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw WorkerError("log directory \(dir) is not a directory") }
            return
        }
        // mkdir -p: each level 0700, and errno for a clear message.
        do { try Directories.create(dir, mode: 0o700) } catch {
            throw WorkerError("cannot create the log directory \(dir): \(error.reason)")
        }
    }

    init(directory: String, executionId: ID, maxBytes: Int64, flushInterval: Double, flushBytes: Int,
         appendToDatabase: @escaping ([UInt8]) throws -> Bool, fileFailed: @escaping (String) -> Void = { _ in },
         report: @escaping (String) -> Void, resumeFrom: Int64 = 0) throws {
        path = Self.path(directory: directory, executionId: executionId)
        // A run resumed after a rate limit goes on where its log ended; a fresh one starts the file anew.
        var existing = stat()
        let resumes = resumeFrom > 0 && stat(path, &existing) == 0 && Int64(existing.st_size) == resumeFrom
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (resumes ? O_APPEND : O_TRUNC), 0o600)
        guard fd >= 0 else { throw WorkerError("cannot create the log file \(path): \(String(cString: strerror(errno)))") }
        _ = fchmod(fd, 0o600)  // the umask cannot widen it, but an old file of the same name may be wider
        self.executionId = executionId; self.maxBytes = maxBytes; self.flushInterval = flushInterval
        self.flushBytes = flushBytes; self.appendToDatabase = appendToDatabase; self.fileFailed = fileFailed
        self.report = report
        if resumeFrom > 0 && !resumes {
            // Resumed on another machine (or the file went): the database copy is the complete one.
            fileFailed("the run resumed after a rate limit without its earlier log file; the database copy is complete")
        }
    }

    deinit { close(fd) }

    /// Takes output as it arrives; beyond `maxBytes` only the marker is written, once.
    func write(_ bytes: ArraySlice<UInt8>, now: Double) {
        guard !truncated else { return }
        let room = maxBytes - kept
        let take = bytes.prefix(Int(min(Int64(bytes.count), room)))
        if !take.isEmpty { emit(take, now: now); kept += Int64(take.count) }
        if take.count < bytes.count {
            truncated = true
            emit(Self.marker(maxBytes)[...], now: now)
        }
    }

    /// A line of the worker's own (e.g. why a run could not start), marked as such.
    func note(_ text: String, now: Double) {
        emit(Array("[agentmon: \(text)]\n".utf8)[...], now: now)
    }

    /// When the waiting bytes must reach the database; nil when nothing waits.
    var flushDeadline: Double? { pendingSince.map { $0 + flushInterval } }

    func flushIfDue(now: Double) {
        if let d = flushDeadline, now >= d { flush() }
    }

    /// Whether bytes still wait for the database.
    var hasPending: Bool { !pending.isEmpty && !refused }

    /// Sends the waiting bytes to the database; on failure they stay and go with the next flush. Returns
    /// the error of a failed attempt (nil when everything is stored or refused).
    @discardableResult
    func flush() -> Error? {
        guard !pending.isEmpty, !refused else { return nil }
        do {
            if try appendToDatabase(pending) {
                if databaseFailing { databaseFailing = false; report("execution \(executionId): log chunks reach the database again") }
            } else {
                refused = true
                report("execution \(executionId): the database refused its log chunks (no longer this worker's run)")
            }
            pending.removeAll(keepingCapacity: !refused)
            pendingSince = nil
            return nil
        } catch {
            // Retry later rather than lose bytes; the file has them meanwhile.
            pendingSince = Monotonic.now()
            if !databaseFailing { databaseFailing = true; report("execution \(executionId): cannot store log chunks: \(error)") }
            return error
        }
    }

    private func emit(_ bytes: ArraySlice<UInt8>, now: Double) {
        if fileError == nil { writeFile(bytes) }
        if refused { return }
        if pending.isEmpty { pendingSince = now }
        pending.append(contentsOf: bytes)
        if pending.count >= flushBytes { flush() }
    }

    private func writeFile(_ bytes: ArraySlice<UInt8>) {
        let failure: Int32? = bytes.withUnsafeBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { return EIO }
                off += n
            }
            return nil
        }
        guard let failure else { return }
        let written = lseek(fd, 0, SEEK_CUR)
        fileError = "log file incomplete after \(written) bytes: \(String(cString: strerror(failure))); the database has every byte"
        report("execution \(executionId): \(fileError!)")
        fileFailed(fileError!)
    }
}
