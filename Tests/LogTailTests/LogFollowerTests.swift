import Foundation
import Testing
@testable import LogTail

/// Every wait here is bounded by a generous timeout and ends as soon as the expected event arrives.
@Suite("LogFollower") struct LogFollowerTests {
    func read(_ f: LogFollower, _ events: [FollowEvent]) -> String {
        var out: [UInt8] = []
        for case let .appended(from, to) in events { out += f.read(at: from, count: Int(to - from)) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func seesAppends() throws {
        let dir = try TempDir()
        let path = try dir.write("a.log", Array("old\n".utf8))
        let f = LogFollower(path: path)
        #expect(f.usesInotify)
        #expect(f.poll().isEmpty, "starting at the end: existing bytes are not reported")
        let w = Appender(path)
        w.append("one\n")
        let events = f.collect { $0.contains(where: isAppended) }
        #expect(events == [.appended(from: 4, to: 8)])
        #expect(read(f, events) == "one\n")
        w.append("two\nthree\n")
        #expect(f.collectText { _ in f.offset == 18 }.text == "two\nthree\n")
        #expect(f.poll().isEmpty)
    }

    @Test func startAtBeginningReportsExistingBytes() throws {
        let dir = try TempDir()
        let path = try dir.write("b.log", Array("abc\n".utf8))
        let f = LogFollower(path: path, start: .beginning)
        #expect(f.wait(timeoutMs: 0), "there is something to read already")
        #expect(f.poll() == [.appended(from: 0, to: 4)])
    }

    @Test func truncationRestartsFromZero() throws {
        let dir = try TempDir()
        let path = try dir.write("t.log", [])
        let f = LogFollower(path: path)
        let w = Appender(path)
        w.append(String(repeating: "0123456789\n", count: 10))
        _ = f.collect { _ in f.offset == 110 }
        // Truncate, then write less than before.
        _ = ftruncate(w.fd, 0)
        w.append("short\n")
        let (events, text) = f.collectText { evs in evs.contains(where: isTruncated) && f.offset == 6 }
        #expect(events.contains(where: isTruncated))
        #expect(!events.contains(where: isReplaced))
        #expect(events.last == .appended(from: 0, to: 6))
        #expect(text == "short\n")
    }

    @Test func replacementByRenameIsFollowed() throws {
        let dir = try TempDir()
        let path = try dir.write("r.log", Array("first file\n".utf8))
        let f = LogFollower(path: path)
        let old = try #require(f.source?.identity)
        let fresh = try dir.write("r.log.new", Array("second file\n".utf8))
        #expect(rename(fresh, path) == 0)
        let (events, text) = f.collectText { $0.contains(where: isReplaced) }
        #expect(events == [.replaced(size: 12), .appended(from: 0, to: 12)], "rename is atomic: all of it at once")
        #expect(text == "|second file\n")
        #expect(f.source?.identity != old)
        // The new file is watched: its appends arrive too.
        Appender(path).append("more\n")
        #expect(f.collectText { _ in f.offset == 17 }.text == "more\n")
    }

    @Test func rotationDrainsTheOldFileFirst() throws {
        let dir = try TempDir()
        let path = try dir.write("rot.log", [])
        let f = LogFollower(path: path)
        let w = Appender(path)
        #expect(rename(path, path + ".1") == 0)
        w.append("late line in the old file\n")  // the writer has not reopened yet
        Appender(path, truncate: true).append("new\n")
        let (events, text) = f.collectText { $0.contains(where: isReplaced) && f.offset == 4 }
        #expect(text == "late line in the old file\n|new\n")
        #expect(events.filter(isReplaced).count == 1)
        #expect(!events.contains(where: isTruncated))
    }

    @Test func deletionThenRecreation() throws {
        let dir = try TempDir()
        let path = try dir.write("d.log", Array("x\n".utf8))
        let f = LogFollower(path: path)
        #expect(unlink(path) == 0)
        let gone = f.collect { $0.contains(.removed) }
        #expect(gone == [.removed])
        Appender(path).append("again\n")
        let (events, text) = f.collectText { _ in f.offset == 6 }
        #expect(events.first.map(isReplaced) == true)
        #expect(text == "|again\n")
    }

    @Test func missingFileIsWaitedFor() throws {
        let dir = try TempDir()
        let path = dir.path("later.log")
        let f = LogFollower(path: path)
        #expect(f.source == nil)
        #expect(f.poll().isEmpty)
        Appender(path).append("hello\n")
        let (events, text) = f.collectText { _ in f.offset == 6 }
        #expect(events.first.map(isReplaced) == true)
        #expect(text == "|hello\n")
    }

    @Test func wakeEndsAWaitAndIdleWaitTimesOut() throws {
        let dir = try TempDir()
        let path = try dir.write("w.log", [])
        let f = LogFollower(path: path)
        let start = Date()
        #expect(!f.wait(timeoutMs: 50))
        #expect(Date().timeIntervalSince(start) >= 0.04)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { f.wake() }
        let t0 = Date()
        #expect(f.wait(timeoutMs: 10_000))
        #expect(Date().timeIntervalSince(t0) < 5)
    }

    @Test func pollingFallbackSeesAppendsAndReplacement() throws {
        let dir = try TempDir()
        let path = try dir.write("p.log", [])
        let f = LogFollower(path: path, pollIntervalMs: 20, useInotify: false)
        #expect(!f.usesInotify && f.pollDescriptor == nil)
        Appender(path).append("a\n")
        #expect(f.collectText { _ in f.offset == 2 }.text == "a\n")
        let fresh = try dir.write("p.new", Array("bb\n".utf8))
        #expect(rename(fresh, path) == 0)
        let (events, text) = f.collectText { $0.contains(where: isReplaced) }
        #expect(events == [.replaced(size: 3), .appended(from: 0, to: 3)])
        #expect(text == "|bb\n")
    }
}
