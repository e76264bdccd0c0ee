import Foundation

/// The output of `git diff` (unified format, `diff --git` headers) as files, hunks and lines, for the diff
/// view of a worktree run. Format: git-diff(1) "GENERATING PATCH TEXT WITH -P" and diff(1) unified format.
/// The text is the agent's work, so it is untrusted: parsing never traps, whatever the bytes, and every
/// string here still goes through the sanitiser before it is drawn.
public struct DiffLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case context, added, removed, note }
    public var kind: Kind
    /// The line without its leading ' ', '+', '-' (a note keeps its text, e.g. "\ No newline at end of file").
    public var text: String
    public init(_ kind: Kind, _ text: String) { self.kind = kind; self.text = text }
}

public struct DiffHunk: Sendable, Equatable {
    /// The whole `@@ -a,b +c,d @@ context` line.
    public var header: String
    public var oldStart: Int
    public var newStart: Int
    public var lines: [DiffLine]
    public init(header: String, oldStart: Int, newStart: Int, lines: [DiffLine] = []) {
        self.header = header; self.oldStart = oldStart; self.newStart = newStart; self.lines = lines
    }
}

public struct FileDiff: Sendable, Equatable {
    public enum Change: String, Sendable, Equatable { case modified, added, deleted, renamed }
    public var path: String
    public var oldPath: String?
    public var change: Change
    public var binary: Bool
    public var hunks: [DiffHunk]
    public init(path: String, oldPath: String? = nil, change: Change = .modified, binary: Bool = false, hunks: [DiffHunk] = []) {
        self.path = path; self.oldPath = oldPath; self.change = change; self.binary = binary; self.hunks = hunks
    }
    public var added: Int { hunks.reduce(0) { $0 + $1.lines.filter { $0.kind == .added }.count } }
    public var removed: Int { hunks.reduce(0) { $0 + $1.lines.filter { $0.kind == .removed }.count } }
}

public enum UnifiedDiff {
    /// Files in the order git printed them. Lines past `maxLines` are dropped (a note says so on the last file).
    public static func parse(_ text: String, maxLines: Int = 100_000) -> [FileDiff] {
        var files: [FileDiff] = []
        var file: FileDiff?
        var hunk: DiffHunk?
        var count = 0
        func closeHunk() { if let h = hunk { file?.hunks.append(h) }; hunk = nil }
        func closeFile() { closeHunk(); if let f = file { files.append(f) }; file = nil }
        // "\r\n" is one Character in Swift: a CRLF line must end a line too.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            count += 1
            if count > maxLines {
                if hunk == nil { hunk = DiffHunk(header: "", oldStart: 0, newStart: 0) }
                hunk?.lines.append(DiffLine(.note, "… the diff is longer than \(maxLines) lines; the rest is not shown"))
                break
            }
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.hasPrefix("diff --git ") {
                closeFile()
                file = FileDiff(path: gitHeaderPath(line.dropFirst(11)))
                continue
            }
            guard file != nil else { continue }  // anything before the first header is not part of a file
            // Inside a hunk every such line is content, `--- x` included: git starts each file with `diff --git`.
            if hunk != nil, let first = line.first, first == " " || first == "+" || first == "-" || first == "\\" {
                let body = String(line.dropFirst())
                hunk!.lines.append(first == "+" ? DiffLine(.added, body) : first == "-" ? DiffLine(.removed, body)
                                   : first == " " ? DiffLine(.context, body) : DiffLine(.note, String(line)))
                continue
            }
            if line.hasPrefix("@@") {
                closeHunk()
                let (o, n) = hunkStarts(line)
                hunk = DiffHunk(header: String(line), oldStart: o, newStart: n)
            } else if line.hasPrefix("--- ") {
                let p = path(line.dropFirst(4))
                if let p { file!.oldPath = p } else { file!.change = .added }
            } else if line.hasPrefix("+++ ") {
                if let p = path(line.dropFirst(4)) { file!.path = p } else { file!.change = .deleted; if let o = file!.oldPath { file!.path = o } }
            } else if line.hasPrefix("new file mode") {
                file!.change = .added
            } else if line.hasPrefix("deleted file mode") {
                file!.change = .deleted
            } else if line.hasPrefix("rename from ") {
                file!.change = .renamed; file!.oldPath = unquote(line.dropFirst(12))
            } else if line.hasPrefix("rename to ") {
                file!.change = .renamed; file!.path = unquote(line.dropFirst(10))
            } else if line.hasPrefix("Binary files ") || line.hasPrefix("GIT binary patch") {
                file!.binary = true
            }
        }
        closeFile()
        for i in files.indices where files[i].oldPath == files[i].path && files[i].change != .renamed { files[i].oldPath = nil }
        return files
    }

    /// `@@ -12,3 +14,4 @@` → (12, 14); 0 for a number that is missing or absurd.
    static func hunkStarts(_ line: Substring) -> (Int, Int) {
        var old = 0, new = 0
        for word in line.split(separator: " ").prefix(4) {
            let digits = word.dropFirst().prefix { $0.isASCII && $0.isNumber }  // Int() is nil past Int.max
            if word.hasPrefix("-") { old = Int(digits) ?? 0 } else if word.hasPrefix("+") { new = Int(digits) ?? 0 }
        }
        return (old, new)
    }

    /// `a/x`, `b/x` or `"b/with\ttab"` → the path; `/dev/null` → nil.
    static func path(_ s: Substring) -> String? {
        var p = unquote(s.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).first ?? s)
        if p == "/dev/null" { return nil }
        if p.hasPrefix("a/") || p.hasPrefix("b/") { p.removeFirst(2) }
        return p
    }

    /// The new side of `a/x b/x`, a guess until `+++` or `rename to` says it exactly.
    static func gitHeaderPath(_ s: Substring) -> String {
        if let r = s.range(of: " b/", options: .backwards) { return String(s[r.upperBound...]) }
        return unquote(s)
    }

    /// A C-quoted path as git writes one with unusual bytes (core.quotePath): `"a\303\251\tb"`.
    static func unquote(_ s: Substring) -> String {
        guard s.count >= 2, s.first == "\"", s.last == "\"" else { return String(s) }
        var bytes: [UInt8] = []
        var it = Array(s.dropFirst().dropLast().utf8)[...]
        while let c = it.popFirst() {
            guard c == UInt8(ascii: "\\"), let n = it.popFirst() else { bytes.append(c); continue }
            switch n {
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = Int(n - 48)
                for _ in 0..<2 { if let d = it.first, (48...55).contains(d) { v = v * 8 + Int(d - 48); it.removeFirst() } }
                bytes.append(UInt8(truncatingIfNeeded: v))
            default: bytes.append(n)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
