import Foundation
import Core
import Storage

/// Transcript sources `agentmon import` reads.
public enum ImportSource: String, CaseIterable, Sendable {
    case claude, codex, gemini, opencode
}

public enum ImportError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    /// A file or folder the system will not let us read, with its reason ("Permission denied").
    case unreadable(String, reason: String)
    public var description: String {
        switch self {
        case .notFound(let p): return "no such file or folder: \(p)"
        case .unreadable(let p, let reason): return "cannot read \(p): \(reason)"
        }
    }
}

/// Imports transcript files (or folders of them, recursively: *.jsonl, *.json, *.log) into a store.
public struct Importer {
    let store: Store
    public init(store: Store) { self.store = store }

    public func run(_ source: ImportSource, paths: [String]) throws -> ImportSummary {
        if source == .opencode { return try runOpenCode(paths) }
        let files = try Self.files(paths)
        let w = try TranscriptWriter(store: store, batched: true, commitRows: Self.commitRows)
        try store.db.bulkWriting {
            for f in files {
                let data = try Self.read(f)
                let lines = JSONLines(data: data)
                let file = URL(fileURLWithPath: f)
                // One transaction per file, committed every `commitRows` rows: other writers of a shared board wait
                // for a stretch, not for a whole big file. A file cut short (a crash, an error) leaves whole rows of
                // it; importing it again finds them by their external ids and writes the rest.
                try transaction(w) {
                    try Self.read(source, lines: lines.lines, skipped: lines.skipped, whole: Self.whole(source, data),
                                  file: file, writer: w)
                }
                releaseInBackground(consume lines)
            }
        }
        return w.summary
    }

    /// OpenCode keeps a session in many files (`OpenCodeImporter`): one transaction per session.
    func runOpenCode(_ paths: [String]) throws -> ImportSummary {
        try store.db.bulkWriting { try importOpenCode(paths) }
    }

    private func importOpenCode(_ paths: [String]) throws -> ImportSummary {
        let w = try TranscriptWriter(store: store, batched: true, commitRows: Self.commitRows)
        var sources = try OpenCodeImporter.roots(paths).map { OpenCodeImporter(writer: w, root: $0) }
        for db in OpenCodeImporter.databases(paths) {
            do {
                sources.append(OpenCodeImporter(writer: w, root: URL(fileURLWithPath: db), database: try SQLiteDatabase(path: db, readOnly: true)))
            } catch { throw ImportError.unreadable(db, reason: String(describing: error)) }
        }
        for importer in sources {
            var skipped = 0
            let sessions: [JSONValue]
            do { sessions = try importer.sessions(skipped: &skipped) }
            catch { throw ImportError.unreadable(importer.root.path, reason: String(describing: error)) }
            w.summary.skippedLines += skipped
            for s in sessions {
                try transaction(w) { w.summary.skippedLines += try importer.importSession(s) }
            }
        }
        return w.summary
    }

    /// Imports the complete lines a transcript file gained since the pass `resume` remembers (all of it when
    /// `resume` is fresh), and moves `resume` on past them. Claude Code session files and Codex rollouts only:
    /// both are appended to, a record a line.
    /// - Parameter bytes: whole lines (up to and including the last newline) after the ones already read.
    public func runAppended(_ source: ImportSource, file: String, bytes: Data, resume: inout ImportResume) throws -> ImportSummary {
        let w = try TranscriptWriter(store: store, batched: true, commitRows: Self.commitRows)
        let parsed = JSONLines(data: bytes)
        let base = resume.lines
        let lines = base == 0 ? parsed.lines : parsed.lines.map { JSONLine(number: $0.number + base, object: $0.object) }
        let url = URL(fileURLWithPath: file)
        var next = resume
        try transaction(w) {
            next = resume  // a retried transaction starts over
            w.summary.skippedLines += parsed.skipped
            switch source {
            case .claude:
                w.summary.skippedLines += try ClaudeSessionImporter(writer: w, file: url).run(lines, resume: &next)
            case .codex where next.codexSession != nil || CodexRolloutImporter.recognizes(lines):
                w.summary.skippedLines += try CodexRolloutImporter(writer: w, file: url).run(lines, resume: &next)
            default:
                w.summary.skippedLines += lines.count
            }
        }
        next.lines = base + JSONLines.newlines(in: bytes)
        resume = next
        releaseInBackground((consume parsed, consume lines))
        return w.summary
    }

    /// One file's (or one OpenCode session's) transaction; a retried or failed one leaves nothing of it counted.
    private func transaction(_ w: TranscriptWriter, _ body: () throws -> Void) throws {
        let saved = w.checkpoint()
        do {
            try store.db.transaction(.immediate) {
                w.restore(saved)  // a retried transaction starts over
                w.summary.files += 1
                do {
                    try body()
                    try w.flush()
                } catch {
                    w.abandon()  // the rollback must not meet a write under way
                    throw error
                }
            }
        } catch {
            w.restore(saved)
            throw error
        }
    }

    /// Reads one file; a file in no known format has all its lines skipped and creates nothing.
    /// - Parameters: skipped: lines that were not JSON objects; whole: the file as one JSON document, for the
    ///   formats that write one (`whole(_:_:)`).
    static func read(_ source: ImportSource, lines: [JSONLine], skipped: Int = 0, whole: JSONValue? = nil, file: URL,
                     writer w: TranscriptWriter) throws {
        if source == .gemini {
            w.summary.skippedLines += try GeminiChatImporter(writer: w, file: file).run(lines, skipped: skipped, whole: whole)
            return
        }
        w.summary.skippedLines += skipped
        switch source {
        case .claude where ClaudeStreamImporter.recognizes(lines):
            w.summary.skippedLines += try ClaudeStreamImporter(writer: w, file: file).run(lines)
        case .claude where ClaudeSessionImporter.recognizes(lines):
            w.summary.skippedLines += try ClaudeSessionImporter(writer: w, file: file).run(lines)
        case .codex where CodexRolloutImporter.recognizes(lines):
            w.summary.skippedLines += try CodexRolloutImporter(writer: w, file: file).run(lines)
        case .codex where CodexExecImporter.recognizes(lines):
            w.summary.skippedLines += try CodexExecImporter(writer: w, file: file).run(lines)
        default:
            w.summary.skippedLines += lines.count
        }
    }

    /// The file as one JSON document, for sources that may write one (Gemini's older chats are pretty-printed JSON).
    static func whole(_ source: ImportSource, _ data: Data) -> JSONValue? {
        guard source == .gemini, let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return nil }
        return JSONParser.parse(data)
    }

    /// Rows written between commits of a big file.
    static let commitRows = 10_000

    static let extensions: Set<String> = ["jsonl", "json", "log"]

    /// The whole file, or the system's reason why not (Foundation's error is a multi-line NSError dump).
    static func read(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ImportError.unreadable(path, reason: String(cString: strerror(errno))) }
        let h = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do { return try h.readToEnd() ?? Data() } catch { throw ImportError.unreadable(path, reason: reason(error)) }
    }

    static func requireListable(_ dir: String) throws {
        guard let d = opendir(dir) else { throw ImportError.unreadable(dir, reason: String(cString: strerror(errno))) }
        closedir(d)
    }

    /// The POSIX reason inside a Foundation error, else its one-line description.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription.split(whereSeparator: \.isNewline).first.map(String.init) ?? "read error"
    }

    /// Files to read, in a stable order; files under a `subagents/` folder come after the sessions they belong to.
    static func files(_ paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw ImportError.notFound(p) }
            if !isDir.boolValue { out.append(p); continue }
            // A folder we cannot list is an error, not "imported 0 sessions"; so is any folder inside it.
            try requireListable(p)
            let base = URL(fileURLWithPath: p)
            var failure: ImportError?
            let e = fm.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) { url, error in
                failure = failure ?? .unreadable(url.path, reason: reason(error))
                return false
            }
            guard let e else { throw ImportError.unreadable(p, reason: "cannot list the folder") }
            for case let u as URL in e {
                if (try? u.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true { try requireListable(u.path); continue }
                guard extensions.contains(u.pathExtension.lowercased()) else { continue }
                if (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { out.append(u.path) }
            }
            if let failure { throw failure }
        }
        return ordered(out)
    }

    /// Files in the order to import them: sub-agent files (under `subagents/`, or `agent-*` beside the session) after
    /// the sessions whose Task calls they answer.
    public static func ordered(_ files: [String]) -> [String] {
        let isSub = { (p: String) in p.contains("/subagents/") || URL(fileURLWithPath: p).lastPathComponent.hasPrefix("agent-") }
        return files.sorted { (isSub($0) ? 1 : 0, $0) < (isSub($1) ? 1 : 0, $1) }
    }
}
