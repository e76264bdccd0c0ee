import Foundation
import Core
import Storage

/// Transcript sources `agentmon import` reads.
public enum ImportSource: String, CaseIterable, Sendable {
    case claude, codex
}

public enum ImportError: Error, CustomStringConvertible {
    case notFound(String)
    public var description: String {
        switch self { case .notFound(let p): return "no such file or folder: \(p)" }
    }
}

/// Imports transcript files (or folders of them, recursively: *.jsonl, *.json, *.log) into a store.
public struct Importer {
    let store: Store
    public init(store: Store) { self.store = store }

    public func run(_ source: ImportSource, paths: [String]) throws -> ImportSummary {
        let files = try Self.files(paths)
        let w = try TranscriptWriter(store: store)
        for f in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: f), options: .mappedIfSafe)
            let lines = JSONLines(data: data)
            let file = URL(fileURLWithPath: f)
            let saved = w.checkpoint()
            // One transaction per file: a file is imported whole or not at all (and much faster).
            try store.db.transaction(.immediate) {
                w.restore(saved)  // a retried transaction starts over
                w.summary.files += 1
                w.summary.skippedLines += lines.skipped
                try Self.read(source, lines: lines.lines, file: file, writer: w)
            }
        }
        return w.summary
    }

    /// Reads one file; a file in no known format has all its lines skipped and creates nothing.
    private static func read(_ source: ImportSource, lines: [JSONLine], file: URL, writer w: TranscriptWriter) throws {
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

    static let extensions: Set<String> = ["jsonl", "json", "log"]

    /// Files to read, in a stable order; files under a `subagents/` folder come after the sessions they belong to.
    static func files(_ paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw ImportError.notFound(p) }
            if !isDir.boolValue { out.append(p); continue }
            let base = URL(fileURLWithPath: p)
            guard let e = fm.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let u as URL in e where extensions.contains(u.pathExtension.lowercased()) {
                if (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { out.append(u.path) }
            }
        }
        let isSub = { (p: String) in p.contains("/subagents/") }
        return out.sorted { (isSub($0) ? 1 : 0, $0) < (isSub($1) ? 1 : 0, $1) }
    }
}
