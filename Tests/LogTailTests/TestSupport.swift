import Foundation
@testable import LogTail

/// A temporary folder removed when the value is released.
final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("logtail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
}

/// Appends to a file with plain write(2), the way a worker writes a log.
final class Appender {
    let fd: Int32
    init(_ path: String, truncate: Bool = false) {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | (truncate ? O_TRUNC : 0), 0o644)
    }
    deinit { close(fd) }
    func append(_ bytes: [UInt8]) { bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) } }
    func append(_ text: String) { append(Array(text.utf8)) }
}

/// "line 1 ...", "line 2 ..." with varied lengths, each ended by "\n".
func numberedLines(_ count: Int, from first: Int = 1) -> [UInt8] {
    var out: [UInt8] = []
    for i in first..<(first + count) {
        out += Array("line \(i) ".utf8)
        out += [UInt8](repeating: UInt8(ascii: "a") + UInt8(i % 26), count: (i * 7919) % 90)
        out.append(10)
    }
    return out
}

extension LogFollower {
    /// Collects events until `done` says so or the timeout passes (the timeout is a bound, not a sleep).
    func collect(timeoutMs: Int = 10_000, until done: ([FollowEvent]) -> Bool) -> [FollowEvent] {
        collectText(timeoutMs: timeoutMs, until: done).events
    }

    /// Same, also reading each appended range as soon as it is reported (as a consumer must); a
    /// replacement shows as "|" in the text.
    func collectText(timeoutMs: Int = 10_000, until done: ([FollowEvent]) -> Bool) -> (events: [FollowEvent], text: String) {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        var all: [FollowEvent] = []
        var text: [UInt8] = []
        while !done(all) {
            let left = Int(deadline.timeIntervalSinceNow * 1000)
            if left <= 0 { break }
            let events = next(timeoutMs: left)
            for event in events {
                switch event {
                case let .appended(from, to): text += read(at: from, count: Int(to - from))
                case .replaced: text += Array("|".utf8)
                default: break
                }
            }
            all += events
        }
        return (all, String(decoding: text, as: UTF8.self))
    }
}

func isReplaced(_ e: FollowEvent) -> Bool { if case .replaced = e { return true }; return false }
func isTruncated(_ e: FollowEvent) -> Bool { if case .truncated = e { return true }; return false }
func isAppended(_ e: FollowEvent) -> Bool { if case .appended = e { return true }; return false }
