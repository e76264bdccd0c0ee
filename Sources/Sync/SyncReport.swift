import Foundation
import Core
import Importers

/// What one sync pass did, per source, and the files it could not read (named, with the reason).
public struct SyncReport: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        /// Transcript files (or OpenCode stores) looked at, and those read because they were new or changed.
        public var filesScanned = 0, filesRead = 0
        /// Sessions created, and sessions already stored that got new messages.
        public var sessionsNew = 0, sessionsUpdated = 0
        /// Messages written, and lines of the files read that were not records of a known kind.
        public var messagesAdded = 0, skippedLines = 0
        public init() {}

        static func + (a: Counts, b: Counts) -> Counts {
            var c = a
            c.filesScanned += b.filesScanned; c.filesRead += b.filesRead; c.sessionsNew += b.sessionsNew
            c.sessionsUpdated += b.sessionsUpdated; c.messagesAdded += b.messagesAdded; c.skippedLines += b.skippedLines
            return c
        }

        mutating func add(_ s: ImportSummary) {
            filesRead += 1
            sessionsNew += s.newSessions
            if s.newMessages > 0 { sessionsUpdated += max(0, s.sessions - s.newSessions) }
            messagesAdded += s.newMessages
            skippedLines += s.skippedLines
        }
    }

    public struct Skip: Sendable, Equatable {
        public let source: ImportSource
        public let path: String
        public let reason: String
    }

    public var counts: [ImportSource: Counts] = [:]
    public var skipped: [Skip] = []
    public init() {}

    public var total: Counts { ImportSource.allCases.reduce(Counts()) { $0 + (counts[$1] ?? Counts()) } }
    /// Something new reached the database (the dashboard reloads).
    public var changed: Bool { total.sessionsNew > 0 || total.messagesAdded > 0 }

    public static func + (a: SyncReport, b: SyncReport) -> SyncReport {
        var r = a
        for (s, c) in b.counts { r.counts[s] = (r.counts[s] ?? Counts()) + c }
        r.skipped += b.skipped
        return r
    }

    /// `agentmon sync --json`: `{"sources": {"claude": {counts}, …}, "total": {counts}, "skipped": [{source, path, reason}]}`.
    public var json: JSONValue {
        func object(_ c: Counts) -> JSONValue {
            .object(["files_scanned": .number(Double(c.filesScanned)), "files_read": .number(Double(c.filesRead)),
                     "sessions_new": .number(Double(c.sessionsNew)), "sessions_updated": .number(Double(c.sessionsUpdated)),
                     "messages_added": .number(Double(c.messagesAdded)), "skipped_lines": .number(Double(c.skippedLines))])
        }
        var sources: [String: JSONValue] = [:]
        for s in ImportSource.allCases { sources[s.rawValue] = object(counts[s] ?? Counts()) }
        return .object(["sources": .object(sources), "total": object(total),
                        "skipped": .array(skipped.map { .object(["source": .string($0.source.rawValue), "path": .string($0.path),
                                                                 "reason": .string($0.reason)]) })])
    }

    /// One line per source, then one per skipped file (unsanitised: the caller prints them through its sanitiser).
    public var lines: [String] {
        var out = ImportSource.allCases.map { s -> String in
            let c = counts[s] ?? Counts()
            return "\(s.rawValue): \(c.filesScanned) files, \(c.filesRead) read; \(c.sessionsNew) new sessions, "
                + "\(c.sessionsUpdated) updated, \(c.messagesAdded) messages added; skipped \(c.skippedLines) lines"
        }
        out += skipped.map { "skipped \($0.source.rawValue) \($0.path): \($0.reason)" }
        return out
    }
}
