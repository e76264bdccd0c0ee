import Foundation
import ArgumentParser
import Core
import LogTail

/// The log tail bars of DESIGN.md §6: appended-line latency through the follower (inotify) against
/// `tail -f` on the same writes, opening a 1 GB log at its end (time and peak memory, in a fresh child
/// process), and how fast following keeps up with a writer going flat out.
struct LogsBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Log tail latency, 1 GB open, follow throughput.")
    @Option(help: "Lines for the latency test.") var lines = 1000
    @Option(help: "Milliseconds between appended lines.") var intervalMs = 3.0
    @Option(help: "Size of the big log, in MB.") var bigMb = 1024
    @Option(help: "MB written flat out for the follow throughput.") var followMb = 200
    @Option(help: "Lines in the screenful read at the end of the big log.") var screen = 60
    @Option(help: .hidden) var openOnly: String?
    @Option(help: "Lines of the fast-forwarded run for follow_cpu_percent_after_1h (one a millisecond).") var hourLines = 3_600_000
    @Option(help: "Seconds of following measured after the fast-forwarded hour.") var followSeconds = 10.0
    @Option(help: "Seconds of following before the measurement (the line index catches up).") var followWarmup = 5.0
    @Flag(help: "Only follow_cpu_percent_after_1h.") var onlyFollowAfterHour = false
    @Option(help: .hidden) var followChild: String?
    @Option(help: .hidden) var followExecution: Int64 = 0
    @Flag(help: "Also time the open with the big log dropped from the page cache.") var cold = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        if let path = openOnly { return try openChild(path) }
        if let db = followChild {
            return try FollowAfterHour.child(db: db, execution: followExecution, seconds: followSeconds, warmup: followWarmup, rows: screen)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var result: [String: Any] = [:]
        let hour = FollowAfterHour(lines: hourLines, linesPerChunk: 250, warmupSeconds: followWarmup, seconds: followSeconds, rows: screen)
        for (k, v) in try hour.run(dir: dir, bench: Self.executable) { result[k] = v }
        if onlyFollowAfterHour {
            if json { Stats.printJSON(result, to: 1) } else { for (k, v) in result.sorted(by: { $0.key < $1.key }) { print("\(k): \(v)") } }
            return
        }
        let latency = try measureLatency(dir.appendingPathComponent("latency.log").path)
        for (k, v) in latency { result[k] = v }
        for (k, v) in try measureFollow(dir.appendingPathComponent("follow.log").path) { result[k] = v }

        let big = dir.appendingPathComponent("big.log").path
        let writeStart = Stats.nowMs()
        try writeBigLog(big)
        result["big_log_write_s"] = Stats.round((Stats.nowMs() - writeStart) / 1000, 2)
        let warm = try runOpenChild(big)
        result["open_1gb_end_ms"] = warm["open_ms"]
        result["open_1gb_peak_rss_mb"] = warm["peak_rss_mb"]
        result["open_1gb_baseline_rss_mb"] = warm["baseline_rss_mb"]
        result["index_1gb_s"] = warm["index_s"]
        result["index_1gb_peak_rss_mb"] = warm["index_peak_rss_mb"]
        result["search_absent_1gb_s"] = warm["search_absent_s"]
        result["error_line_step_ms"] = warm["error_line_step_ms"]
        result["big_log_mb"] = bigMb
        if cold {
            dropFromPageCache(big)
            let c = try runOpenChild(big)
            result["open_1gb_end_cold_ms"] = c["open_ms"]
            result["open_1gb_cold_peak_rss_mb"] = c["peak_rss_mb"]
        }
        try? FileManager.default.removeItem(atPath: big)

        if json { Stats.printJSON(result, to: 1) } else {
            for (k, v) in result.sorted(by: { $0.key < $1.key }) { print("\(k): \(v)") }
        }
    }

    // MARK: - latency: follower and tail -f watching the same writes

    func measureLatency(_ path: String) throws -> [String: Any] {
        let writer = Appender(path: path)
        let follower = LogFollower(path: path)
        let ours = LineClock(), theirs = LineClock()
        let stop = Locked(false)
        let followerDone = DispatchSemaphore(value: 0)
        Thread {
            var pending: [UInt8] = []
            while !stop.get {
                for case let .appended(from, to) in follower.next(timeoutMs: 200) {
                    pending += follower.read(at: from, count: Int(to - from))
                    ours.arrived(&pending, at: Stats.nowMs())
                }
            }
            followerDone.signal()
        }.start()

        let tail = Process()
        tail.executableURL = URL(fileURLWithPath: "/usr/bin/tail")
        tail.arguments = ["-n0", "-f", path]
        let pipe = Pipe()
        tail.standardOutput = pipe
        try tail.run()
        let tailFD = pipe.fileHandleForReading.fileDescriptor
        let tailDone = DispatchSemaphore(value: 0)
        Thread {
            var pending: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buf.withUnsafeMutableBytes { read(tailFD, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                pending += buf[0..<n]
                theirs.arrived(&pending, at: Stats.nowMs())
            }
            tailDone.signal()
        }.start()

        // Warm up until both readers see lines: tail -n0 only follows what is written after it opened.
        var warm = 0
        while (ours.count == 0 || theirs.count == 0) && warm < 2000 {
            writer.append("warm 0 -1\n"); usleep(5000); warm += 1
        }
        ours.reset(); theirs.reset()
        for i in 0..<lines {
            let line = "ts \(Stats.nowMs()) \(i) agentmon bench line with some text to look like a log\n"
            writer.append(line)
            usleep(UInt32(intervalMs * 1000))
        }
        let deadline = Stats.nowMs() + 10_000
        while (ours.count < lines || theirs.count < lines) && Stats.nowMs() < deadline { usleep(2000) }
        stop.with { $0 = true }
        follower.wake()
        followerDone.wait()
        tail.terminate()
        tail.waitUntilExit()
        _ = tailDone.wait(timeout: .now() + 5)

        let a = ours.latencies, b = theirs.latencies
        return [
            "tail_latency_p50_ms": Stats.round(Stats.percentile(a, 50)), "tail_latency_p99_ms": Stats.round(Stats.percentile(a, 99)),
            "tail_latency_max_ms": Stats.round(a.max() ?? 0), "tail_lines_seen": a.count,
            "tail_f_latency_p50_ms": Stats.round(Stats.percentile(b, 50)), "tail_f_latency_p99_ms": Stats.round(Stats.percentile(b, 99)),
            "tail_f_latency_max_ms": Stats.round(b.max() ?? 0), "tail_f_lines_seen": b.count,
            "tail_lines": lines, "tail_interval_ms": intervalMs, "tail_uses_inotify": follower.usesInotify,
        ]
    }

    // MARK: - follow throughput

    func measureFollow(_ path: String) throws -> [String: Any] {
        let writer = Appender(path: path)
        let follower = LogFollower(path: path)
        let target = Int64(followMb) * 1_048_576
        let caughtUp = Locked<Double?>(nil)
        let counted = Locked((bytes: Int64(0), lines: 0))
        let done = DispatchSemaphore(value: 0)
        Thread {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            var bytes: Int64 = 0, newlines = 0
            let deadline = Stats.nowMs() + 120_000
            while bytes < target && Stats.nowMs() < deadline {
                for case let .appended(from, to) in follower.next(timeoutMs: 500) {
                    var at = from
                    while at < to {
                        let n = follower.read(at: at, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(min(to - at, Int64(buffer.count)))]))
                        if n == 0 { break }
                        for b in buffer[..<n] where b == 10 { newlines += 1 }
                        at += Int64(n); bytes += Int64(n)
                    }
                }
            }
            caughtUp.with { $0 = Stats.nowMs() }
            counted.with { $0 = (bytes, newlines) }
            done.signal()
        }.start()

        let block = Self.logBlock(size: 256 * 1024)
        let start = Stats.nowMs()
        var written: Int64 = 0, linesWritten = 0
        let linesPerBlock = block.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        while written < target {
            let n = Int(min(Int64(block.count), target - written))
            writer.append(Array(block[0..<n]))
            written += Int64(n)
            linesWritten += n == block.count ? linesPerBlock : block[0..<n].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        }
        let writerMs = Stats.nowMs() - start
        done.wait()
        let elapsed = (caughtUp.get ?? Stats.nowMs()) - start
        let c = counted.get
        try? FileManager.default.removeItem(atPath: path)
        return [
            "follow_mb_per_s": Stats.round(Double(c.bytes) / 1_048_576 / (elapsed / 1000), 1),
            "follow_writer_mb_per_s": Stats.round(Double(written) / 1_048_576 / (writerMs / 1000), 1),
            "follow_mb": followMb, "follow_bytes_ok": c.bytes == written, "follow_lines_ok": c.lines == linesWritten,
            "follow_lag_after_writer_ms": Stats.round(max(0, elapsed - writerMs), 1),
        ]
    }

    // MARK: - 1 GB at its end, in a fresh process so the writer's memory does not count

    func writeBigLog(_ path: String) throws {
        let writer = Appender(path: path)
        var block = Self.logBlock(size: 4 << 20)
        let total = Int64(bigMb) * 1_048_576
        var written: Int64 = 0, round = 0
        while written < total {
            // Make every block's lines distinct: stamp the block number into each line's counter field.
            Self.stamp(&block, round)
            let n = Int(min(Int64(block.count), total - written))
            writer.append(n == block.count ? block : Array(block[0..<n]))
            written += Int64(n); round += 1
        }
    }

    func runOpenChild(_ big: String) throws -> [String: Double] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: Self.executable)
        child.arguments = ["logs", "--open-only", big, "--screen", "\(screen)"]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
            throw BenchError("open child printed: \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }

    /// In the child: open the log, read the last screenful, report time and peak memory; then the index.
    func openChild(_ path: String) throws {
        let baseline = Self.status("VmRSS")
        let t0 = Stats.nowMs()
        let file = try LogFile(path: path)
        let tail = file.lines(count: screen)
        let openMs = Stats.nowMs() - t0
        let peak = Self.status("VmHWM")
        guard tail.count == screen else { throw BenchError("read \(tail.count) lines, wanted \(screen)") }
        file.waitForIndex(timeout: 120)
        let indexS = (Stats.nowMs() - t0) / 1000
        guard file.totalLines != nil else { throw BenchError("index did not finish") }
        // Worst cases of `/` and `e`: a needle that is nowhere, and error lines (there is one in 997 lines).
        let s0 = Stats.nowMs()
        let absent = file.search(Array("no such needle".utf8), from: 0, caseInsensitive: true)
        let searchS = (Stats.nowMs() - s0) / 1000
        let e0 = Stats.nowMs()
        var at: Int64 = file.size, errors = 0
        while errors < 100, let line = file.nextErrorLine(from: at, forward: false) { errors += 1; at = line.offset }
        let errorMs = (Stats.nowMs() - e0) / Double(max(1, errors))
        guard absent == nil, errors == 100 else { throw BenchError("search found \(String(describing: absent)), \(errors) errors") }
        let result: [String: Any] = [
            "search_absent_s": Stats.round(searchS, 2), "error_line_step_ms": Stats.round(errorMs),
            "open_ms": Stats.round(openMs), "peak_rss_mb": Stats.round(peak, 1), "baseline_rss_mb": Stats.round(baseline, 1),
            "index_s": Stats.round(indexS, 2), "index_peak_rss_mb": Stats.round(Self.status("VmHWM"), 1),
        ]
        let data = try JSONSerialization.data(withJSONObject: result)
        FileHandle.standardOutput.write(data)
    }

    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    func dropFromPageCache(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        fdatasync(fd)  // dirty pages cannot be dropped
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_DONTNEED))
        close(fd)
    }

    /// A field of /proc/self/status in MB (VmRSS, VmHWM: the peak resident set).
    static func status(_ field: String) -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
            return kb / 1024
        }
        return 0
    }

    /// Log-like lines of varied lengths filling about `size` bytes, each with a 10-digit counter at column 25.
    static func logBlock(size: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(size + 200)
        var rng = SplitMix(seed: 7)
        let words = ["compiling", "linking", "tests", "passed", "module", "agent", "tool_call", "read", "file", "ok"]
        var i = 0
        while out.count < size {
            var line = "2026-11-21T10:00:00.000Z 0000000000 INFO worker[42]"
            for _ in 0..<(3 + Int(rng.next() % 14)) { line += " " + words[Int(rng.next() % UInt64(words.count))] }
            if i % 997 == 0 { line += " error: something failed" }
            out += Array(line.utf8); out.append(10)
            i += 1
        }
        return out
    }

    static func stamp(_ block: inout [UInt8], _ round: Int) {
        var start = 0, n = round * 100_000
        block.withUnsafeMutableBufferPointer { b in
            while start + 35 < b.count {
                var v = n
                for k in stride(from: start + 34, through: start + 25, by: -1) { b[k] = UInt8(48 + v % 10); v /= 10 }
                n += 1
                guard let nl = b[start...].firstIndex(of: 10) else { break }
                start = nl + 1
            }
        }
    }
}

/// Appends with write(2), one call per line, like a worker writing a log.
final class Appender: @unchecked Sendable {
    let fd: Int32
    init(path: String) { fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
    deinit { close(fd) }
    func append(_ text: String) { var t = text; t.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) } }
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = write(fd, p.baseAddress! + done, p.count - done)
                if n <= 0 { break }
                done += n
            }
        }
    }
}

/// Parses "ts <ms> <seq> ..." lines as they arrive and records arrival − write time.
final class LineClock: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    var count: Int { lock.withLock { values.count } }
    var latencies: [Double] { lock.withLock { values } }
    func reset() { lock.withLock { values.removeAll() } }

    func arrived(_ pending: inout [UInt8], at now: Double) {
        var start = 0
        var found: [Double] = []
        while let nl = pending[start...].firstIndex(of: 10) {
            let fields = pending[start..<nl].split(separator: 32, maxSplits: 3)
            if fields.count >= 2 {
                let tag = String(decoding: fields[0], as: UTF8.self)
                if tag == "ts", let sent = Double(String(decoding: fields[1], as: UTF8.self)) { found.append(now - sent) }
                else if tag == "warm" { found.append(-1) }
            }
            start = nl + 1
        }
        pending.removeFirst(start)
        lock.withLock { values += found }
    }
}
