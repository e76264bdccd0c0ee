import Foundation
import Testing
@testable import LogTail

@Suite("LogFile lines") struct LogFileTests {
    @Test func tailReturnsTheLastLinesInOrder() throws {
        let dir = try TempDir()
        let path = try dir.write("a.log", numberedLines(1000))
        let file = try LogFile(path: path)
        let tail = file.lines(count: 10)
        #expect(tail.count == 10)
        #expect(tail.first!.text.hasPrefix("line 991 "))
        #expect(tail.last!.text.hasPrefix("line 1000 "))
        #expect(tail.last!.end == file.size)
        #expect(tail.allSatisfy { $0.complete && !$0.truncated })
        file.waitForIndex()
        #expect(file.lines(count: 3).map(\.lineNumber) == [998, 999, 1000])
        #expect(file.lines(count: 5000).count == 1000, "asking for more than there is gives all")
    }

    @Test func forwardAndBackwardPagingSeeTheSameLines() throws {
        let source = MemoryLogSource(numberedLines(537))
        let file = LogFile(source: source)
        var forward: [LogLine] = []
        var page = file.lines(from: 0, count: 50)
        while !page.isEmpty { forward += page; page = file.lines(from: page.last!.end, count: 50) }
        var backward: [LogLine] = []
        page = file.lines(count: 50)
        while !page.isEmpty { backward = page + backward; page = file.lines(before: page.first!.offset, count: 50) }
        #expect(forward.count == 537)
        #expect(forward.map(\.offset) == backward.map(\.offset))
        #expect(forward.map(\.bytes) == backward.map(\.bytes))
        for (a, b) in zip(forward, forward.dropFirst()) { #expect(a.end == b.offset) }
        // An offset in the middle of a line: the line that contains it is the last one before it.
        let mid = forward[100].offset + 3
        #expect(file.lines(before: mid, count: 2).map(\.offset) == [forward[99].offset, forward[100].offset])
        #expect(file.line(containing: mid)?.offset == forward[100].offset)
    }

    @Test func hugeLineWithoutNewlineIsCapped() throws {
        let dir = try TempDir()
        var bytes = Array("first\n".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 1_048_576 + 17)
        let path = try dir.write("huge.log", bytes)
        let file = try LogFile(path: path)
        let tail = file.lines(count: 5)
        #expect(tail.count == 2)
        #expect(tail[0].text == "first")
        #expect(tail[1].bytes.count == LogLine.displayCap)
        #expect(tail[1].length == 1_048_576 + 17)
        #expect(tail[1].truncated && !tail[1].complete)
        #expect(tail[1].end == file.size)
        // Forwards too, and a huge line followed by more lines.
        let more = Appender(path)
        more.append("\nafter\n")
        let forward = file.lines(from: 0, count: 10)
        #expect(forward.map(\.complete) == [true, true, true])
        #expect(forward[2].text == "after")
        let above = file.lines(before: forward[2].offset, count: 1)
        #expect(above.map(\.length) == [Int64(1_048_576 + 17)])
    }

    @Test func crlfLosesTheCarriageReturnOnly() {
        let file = LogFile(source: MemoryLogSource("one\r\ntwo\r\n\r\nthree\rx\r\n"))
        let lines = file.lines(from: 0, count: 10)
        #expect(lines.map(\.text) == ["one", "two", "", "three\rx"])
        #expect(lines.map(\.length) == [3, 3, 0, 7])
    }

    @Test func invalidUTF8IsKeptAsBytes() {
        let raw: [UInt8] = [0xFF, 0xFE, 0x41, 0xC3, 0x28, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x0A, 0xE2, 0x82]
        let file = LogFile(source: MemoryLogSource(raw))
        let lines = file.lines(count: 10)
        #expect(lines.count == 2)
        #expect(lines[0].bytes == Array(raw[0..<10]))
        #expect(lines[1].bytes == [0xE2, 0x82])
        #expect(!lines[1].complete)
    }

    @Test func finalLineWithoutNewlineGrows() throws {
        let dir = try TempDir()
        let path = try dir.write("grow.log", Array("a\nhalf".utf8))
        let file = try LogFile(path: path)
        #expect(file.lines(count: 5).map(\.text) == ["a", "half"])
        #expect(file.lines(count: 5).last?.complete == false)
        let w = Appender(path)
        w.append(" done\nnext")
        let lines = file.lines(count: 5)
        #expect(lines.map(\.text) == ["a", "half done", "next"])
        #expect(lines.map(\.complete) == [true, true, false])
        w.append("\n")
        #expect(file.lines(count: 1).first?.complete == true)
        #expect(file.lines(from: file.size, count: 1).isEmpty)
    }

    @Test func emptyAndSingleNewlineLogs() {
        #expect(LogFile(source: MemoryLogSource()).lines(count: 5).isEmpty)
        #expect(LogFile(source: MemoryLogSource()).totalLines == 0)
        let one = LogFile(source: MemoryLogSource("\n"))
        #expect(one.lines(count: 5).map(\.text) == [""])
        one.waitForIndex()
        #expect(one.totalLines == 1)
    }
}
