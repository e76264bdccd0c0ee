import Foundation
import Testing
import Core
import FuzzCorpus

@Suite("Unified diff: git diff output as files, hunks and lines") struct UnifiedDiffTests {
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/git-diff/\(name)"), encoding: .utf8)
    }

    @Test("a real git diff: modified, binary, deleted, renamed and a new file with a quoted name")
    func realDiff() throws {
        let files = UnifiedDiff.parse(try Self.fixture("sample.diff"))
        try #require(files.count == 5)
        #expect(files.map(\.path) == ["a.txt", "b.bin", "del.txt", "new-name.txt", "sp ace\\ttab.txt"])
        #expect(files.map(\.change) == [.modified, .modified, .deleted, .renamed, .added])
        #expect(files[0].added == 2 && files[0].removed == 2)
        #expect(files[0].hunks.count == 1 && files[0].hunks[0].header == "@@ -1,3 +1,3 @@")
        #expect(files[0].hunks[0].oldStart == 1 && files[0].hunks[0].newStart == 1)
        #expect(files[0].hunks[0].lines == [DiffLine(.context, "one"), DiffLine(.removed, "two"), DiffLine(.removed, "three"),
                                            DiffLine(.added, "TWO"), DiffLine(.added, "three"), DiffLine(.note, "\\ No newline at end of file")])
        #expect(files[1].binary && files[1].hunks.isEmpty)
        #expect(files[2].removed == 1 && files[2].added == 0)
        #expect(files[3].oldPath == "old-name.txt" && files[3].added == 1 && files[3].removed == 1)
        #expect(files[4].added == 1 && files[4].oldPath == nil)
    }

    @Test("a removed line that reads like a file header (`--- x`) stays a removed line")
    func dashesInsideAHunk() {
        let text = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,1 @@\n--- a/not-a-header\n+++ b/nor-this\n ctx\n"
        let f = UnifiedDiff.parse(text)
        #expect(f.count == 1 && f[0].path == "f")
        #expect(f[0].hunks[0].lines == [DiffLine(.removed, "-- a/not-a-header"), DiffLine(.added, "++ b/nor-this"), DiffLine(.context, "ctx")])
    }

    @Test("text before the first header, CRLF lines and an absurd hunk header are survived")
    func oddInput() throws {
        #expect(UnifiedDiff.parse("").isEmpty)
        #expect(UnifiedDiff.parse("warning: something\nno diff here\n").isEmpty)
        let f = UnifiedDiff.parse("diff --git a/x b/x\r\n@@ -99999999999999999999,1 +x @@\r\n+new\r\n")
        try #require(f.count == 1 && f[0].hunks.count == 1)
        #expect(f[0].hunks[0].oldStart == 0 && f[0].hunks[0].lines == [DiffLine(.added, "new")])
    }

    @Test("a diff longer than the line limit is cut with a note")
    func lineLimit() {
        let text = "diff --git a/x b/x\n@@ -1 +1,100 @@\n" + String(repeating: "+line\n", count: 100)
        let f = UnifiedDiff.parse(text, maxLines: 50)
        #expect(f[0].added == 48 && f[0].hunks[0].lines.last?.kind == .note)
    }

    @Test("hostile diffs (mutated real output, escapes, control bytes, huge headers) never trap")
    func fuzz() throws {
        let base = try Self.fixture("sample.diff")
        var rng = SeededRandom(seed: 14)
        let pieces = HostileStrings.all + ["diff --git ", "@@ -1 +1 @@", "--- ", "+++ ", "rename from ", "rename to ", "\"a/\\",
                                           "\"\\377\\", "\\", "+", "-", " ", "\n", "\r", "Binary files ", "\0", "/dev/null"]
        for _ in 0..<400 {
            var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<(1 + rng.below(8)) {
                let i = rng.below(lines.count)
                switch rng.below(4) {
                case 0: lines[i] = rng.pick(pieces) + lines[i]
                case 1: lines.insert(rng.pick(pieces) + rng.pick(pieces), at: i)
                case 2: lines[i] = String(lines[i].prefix(rng.below(lines[i].count + 1)))
                default: lines.remove(at: i); if lines.isEmpty { lines = [""] }
                }
            }
            for f in UnifiedDiff.parse(lines.joined(separator: "\n")) {
                #expect(f.added >= 0 && f.removed >= 0)
                _ = f.hunks.map(\.header)
            }
        }
    }

    @Test("branch and folder names: ASCII slug of the title, a valid ref whatever the title")
    func names() {
        #expect(WorktreeNames.branch(taskId: 12, title: "Fix the login!") == "agentmon/task-12-fix-the-login")
        #expect(WorktreeNames.folder(taskId: 3, title: "\u{1b}[2J ../../etc ~^:?*[\\ @{ .lock") == "task-3-2j-etc-lock")
        #expect(WorktreeNames.branch(taskId: 4, title: "日本語") == "agentmon/task-4")
        #expect(WorktreeNames.slug(String(repeating: "ab ", count: 100)).count <= 40)
        #expect(!WorktreeNames.slug(String(repeating: "ab ", count: 100)).hasSuffix("-"))
    }
}
