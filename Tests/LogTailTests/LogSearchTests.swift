import Foundation
import Testing
@testable import LogTail

@Suite("Search and error lines") struct LogSearchTests {
    /// Needles placed across the 1 MiB window boundaries the search reads by.
    @Test func searchFindsMatchesAcrossWindowBoundaries() {
        var bytes = [UInt8](repeating: UInt8(ascii: "."), count: 3 * 1_048_576 + 100)
        let needle = Array("NeedleHere".utf8)
        let places = [10, 1_048_576 - 4, 2 * 1_048_576 - 1, 3 * 1_048_576 + 50]
        for p in places { bytes.replaceSubrange(p..<(p + needle.count), with: needle) }
        let file = LogFile(source: MemoryLogSource(bytes))
        var found: [Int64] = []
        var at: Int64 = 0
        while let hit = file.search(needle, from: at) { found.append(hit); at = hit + 1 }
        #expect(found == places.map(Int64.init))
        var back: [Int64] = []
        at = file.size
        while let hit = file.search(needle, from: at, forward: false) { back.append(hit); at = hit }
        #expect(back == places.reversed().map(Int64.init))
        #expect(file.search(Array("needlehere".utf8), from: 0) == nil)
        #expect(file.search(Array("needlehere".utf8), from: 11, caseInsensitive: true) == Int64(places[1]))
        #expect(file.search(Array("NEEDLEHERE".utf8), from: 3 * 1_048_576, forward: false, caseInsensitive: true) == Int64(places[2]))
        #expect(file.search(Array("absent".utf8), from: 0) == nil)
        #expect(file.search([], from: 0) == nil)
    }

    @Test func caseInsensitiveNeedlesStartingWithAnyByte() {
        let file = LogFile(source: MemoryLogSource("x [err] one\n[ERR] two\n9Lives 9lives\n"))
        #expect(file.search(Array("[Err]".utf8), from: 0, caseInsensitive: true) == 2)
        #expect(file.search(Array("[Err]".utf8), from: 3, caseInsensitive: true) == 12)
        #expect(file.search(Array("[Err]".utf8), from: 3) == nil)
        #expect(file.search(Array("9LIVES".utf8), from: 30, forward: false, caseInsensitive: true) == 29)
        #expect(file.search(Array("9LIVES".utf8), from: 29, forward: false, caseInsensitive: true) == 22)
    }

    @Test func searchOnAFileReadsInWindows() throws {
        let dir = try TempDir()
        var bytes = numberedLines(40_000)
        bytes += Array("the last needle\n".utf8)
        let path = try dir.write("s.log", bytes)
        let file = try LogFile(path: path)
        let hit = try #require(file.search(Array("LAST NEEDLE".utf8), from: 0, caseInsensitive: true))
        #expect(file.line(containing: hit)?.text == "the last needle")
        file.waitForIndex()
        #expect(file.search(Array("line 2 ".utf8), from: hit, forward: false) == file.offset(ofLine: 2))
        #expect(file.search(Array("line 1 ".utf8), from: hit, forward: false) == 0)
    }

    @Test func errorLinesForwardAndBackward() {
        let text = """
        starting build
        Compiling stderr.swift
        0 errors, 2 warnings
        error: cannot find 'x' in scope
        ok
        TypeError: undefined is not a function
        ErrorHandler installed
        Test Case FAILED
        fatal: not a git repository
        thread 'main' panicked at src/main.rs
        Traceback (most recent call last):
        ✗ 3 tests failed
        ERROR something
        the end
        """
        let file = LogFile(source: MemoryLogSource(text))
        let lines = file.lines(from: 0, count: 100)
        var hits: [String] = []
        var at: Int64 = -1
        while let line = file.nextErrorLine(from: at) { hits.append(line.text); at = line.offset }
        let expected = ["error: cannot find 'x' in scope", "TypeError: undefined is not a function", "Test Case FAILED",
                        "fatal: not a git repository", "thread 'main' panicked at src/main.rs",
                        "Traceback (most recent call last):", "✗ 3 tests failed", "ERROR something"]
        #expect(hits == expected)
        var back: [String] = []
        at = file.size
        while let line = file.nextErrorLine(from: at, forward: false) { back.append(line.text); at = line.offset }
        #expect(back == expected.reversed())
        // From a line that is itself an error, forward goes to the next one.
        #expect(file.nextErrorLine(from: lines[3].offset)?.text == expected[1])
        #expect(file.nextErrorLine(from: lines[3].offset, forward: false) == nil)
        #expect(file.nextErrorLine(from: lines[12].offset)?.text == nil)
    }

    @Test func errorLineFarAwayAcrossWindows() {
        var bytes = numberedLines(30_000)  // ~1.7 MB without a marker (letters a…z only after "line N ")
        let firstError = Int64(bytes.count)
        bytes += Array("Error: disk full\n".utf8)
        bytes += numberedLines(30_000)
        let file = LogFile(source: MemoryLogSource(bytes))
        let found = file.nextErrorLine(from: -1)
        #expect(found?.offset == firstError)
        #expect(file.nextErrorLine(from: file.size, forward: false)?.offset == firstError)
        #expect(file.nextErrorLine(from: firstError) == nil)
    }
}
