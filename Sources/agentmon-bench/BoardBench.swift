import Foundation
import ArgumentParser
import Core
import Storage
import CBenchSupport

/// The board as the user feels it: the real `agentmon` binary (the one beside this benchmark) in a
/// pseudo-terminal, on a database of 100,000 or 1,000,000 tasks spread over the five columns. For each key,
/// the time from writing its bytes to the last byte of the frame that answers it (the terminal is read until
/// nothing arrives for `--quiet-ms`; the timestamp is that of the last byte received, nothing subtracted),
/// the bytes of that frame, and the CPU the UI thread (and the whole process) spent per key.
struct BoardBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board", abstract: "The real dashboard in a pseudo-terminal: key to last byte, bytes, CPU per key, first frame, peak RSS.")

    @Option(help: "Task counts, comma-separated.") var tasks = "100000,1000000"
    @Option(help: "Terminal sizes (COLSxROWS), comma-separated.") var sizes = "120x40,200x60"
    @Option(help: "Selection steps (j) to time, then as many k.") var steps = 60
    @Option(help: "Card moves (L then H) to time.") var moves = 10
    @Option(help: "A frame is over when nothing arrives for this long (ms).") var quietMs = 30.0
    @Option(help: "The agentmon binary (default: the one beside this benchmark).") var binary: String?
    @Flag(help: "Answer none of the dashboard's terminal queries (a terminal without left/right margins).") var plainTerminal = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let agentmon = binary ?? Self.besideMe("agentmon")
        guard FileManager.default.isExecutableFile(atPath: agentmon) else { throw BenchError("no agentmon binary at \(agentmon)") }
        let counts = try tasks.split(separator: ",").map { s -> Int in
            guard let n = Int(s.replacingOccurrences(of: "_", with: "")), n > 0 else { throw BenchError("bad task count \(s)") }
            return n
        }
        let dims = try sizes.split(separator: ",").map { s -> (Int, Int) in
            let p = s.split(separator: "x").compactMap { Int($0) }
            guard p.count == 2, p[0] >= 40, p[1] >= 10 else { throw BenchError("bad size \(s) (COLSxROWS)") }
            return (p[0], p[1])
        }
        let dir = try Stats.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var results: [[String: Any]] = []
        for n in counts {
            let path = dir.appendingPathComponent("board-\(n).db").path
            let t0 = Stats.nowMs()
            try BoardFill.fill(path, tasks: n)
            let fillMs = Stats.nowMs() - t0
            for (w, h) in dims {
                var r = try measure(agentmon, db: path, scratch: dir, tasks: n, width: w, height: h)
                r["fill_ms"] = Stats.round(fillMs, 0)
                results.append(r)
                if !json { Stats.report(r, json: false, to: 1); print("") }
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static func besideMe(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }

    func measure(_ agentmon: String, db: String, scratch: URL, tasks: Int, width: Int, height: Int) throws -> [String: Any] {
        let term = try ChildTerminal(width: width, height: height)
        term.answersAsXterm = !plainTerminal
        defer { term.close() }
        let config = scratch.appendingPathComponent("config").path
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        for k in ["NO_COLOR", "COLORTERM", "DATABASE_URL", "TMUX"] { env[k] = nil }
        env["TERM"] = "xterm-256color"; env["LANG"] = "C.UTF-8"; env["LC_ALL"] = "C.UTF-8"
        env["XDG_CONFIG_HOME"] = config
        let start = Stats.nowMs()
        let pid = try term.spawn(agentmon, ["agentmon", "--db", db], env: env)
        defer { term.kill() }

        // First frame: the board with its cards, i.e. every visible column's ▼ (more cards below) has arrived,
        // then quiet.
        let down = Array("▼".utf8)
        var seen = 0, last = start, firstBytes = 0
        var tail: [UInt8] = []
        let firstDeadline = start + 30_000
        while seen < 5 {
            guard let chunk = term.read(timeoutMs: max(1, firstDeadline - Stats.nowMs())) else {
                throw BenchError("no board frame within 30 s (\(width)x\(height), \(tasks) tasks)")
            }
            last = chunk.at
            firstBytes += chunk.bytes.count
            tail += chunk.bytes
            seen += Self.occurrences(of: down, in: tail)
            tail = Array(tail.suffix(down.count - 1))
        }
        let first = term.readUntilQuiet(quietMs: quietMs * 2)
        let firstFrameMs = (first.bytes > 0 ? first.lastAt : last) - start
        _ = term.readUntilQuiet(quietMs: 300)  // whatever the other initial loads draw

        // Selection steps: down then back up, each to the last byte of its frame.
        var latencies: [Double] = [], stepBytes: [Int] = []
        let cpu0 = Self.cpuNs(pid: pid), all0 = Self.processCpuNs(pid: pid)
        for key in Array(repeating: "j", count: steps) + Array(repeating: "k", count: steps) {
            let (ms, bytes) = term.press(key, quietMs: quietMs)
            if bytes > 0 { latencies.append(ms) }
            stepBytes.append(bytes)
        }
        let cpuPerKey = Double(Self.cpuNs(pid: pid) - cpu0) / 1e6 / Double(2 * steps)
        let processCpuPerKey = Double(Self.processCpuNs(pid: pid) - all0) / 1e6 / Double(2 * steps)

        // A key that changes nothing (top, when already at the top) and a second of idling.
        _ = term.press("g", quietMs: quietMs)
        _ = term.readUntilQuiet(quietMs: 300)
        let noChange = term.press("g", quietMs: quietMs, firstByteMs: 300).1
        let idle = term.readUntilQuiet(quietMs: 1000).bytes

        // Card moves: L then H, each to the last byte of every frame it causes (the write and reload included).
        var moveLatencies: [Double] = [], moveBytes: [Int] = []
        for _ in 0..<moves {
            for key in ["L", "H"] {
                let (ms, bytes) = term.press(key, quietMs: quietMs)
                if bytes > 0 { moveLatencies.append(ms) }
                moveBytes.append(bytes)
            }
        }
        let rss = Self.peakRSSkB(pid: pid)
        let steady = latencies + moveLatencies
        return [
            "tasks": tasks, "terminal": "\(width)x\(height)", "keys": steady.count,
            "key_to_last_byte_p50_ms": Stats.round(Stats.percentile(steady, 50)),
            "key_to_last_byte_p99_ms": Stats.round(Stats.percentile(steady, 99)),
            "key_to_last_byte_max_ms": Stats.round(steady.max() ?? 0),
            "selection_step_p50_ms": Stats.round(Stats.percentile(latencies, 50)),
            "selection_step_p99_ms": Stats.round(Stats.percentile(latencies, 99)),
            "card_move_p50_ms": Stats.round(Stats.percentile(moveLatencies, 50)),
            "card_move_max_ms": Stats.round(moveLatencies.max() ?? 0),
            "cpu_ms_per_key": Stats.round(cpuPerKey), "process_cpu_ms_per_key": Stats.round(processCpuPerKey),
            "selection_step_bytes": Stats.median(stepBytes), "selection_step_max_bytes": stepBytes.max() ?? 0,
            "card_move_bytes": Stats.median(moveBytes), "card_move_max_bytes": moveBytes.max() ?? 0,
            "no_change_frame_bytes": noChange, "idle_second_bytes": idle,
            "first_frame_ms": Stats.round(firstFrameMs, 1), "first_frame_bytes": firstBytes + first.total,
            "peak_rss_mb": Stats.round(Double(rss) / 1024, 1), "quiet_ms": quietMs,
            "terminal_answers": plainTerminal ? "nothing" : "as xterm (left/right margins)",
        ]
    }

    static func occurrences(of needle: [UInt8], in hay: [UInt8]) -> Int {
        guard hay.count >= needle.count else { return 0 }
        var n = 0
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { n += 1 }
        return n
    }

    /// Nanoseconds on the CPU of the process's main thread (the dashboard's UI thread), from schedstat.
    static func cpuNs(pid: Int32) -> UInt64 { threadCpuNs("/proc/\(pid)/task/\(pid)") }

    /// Nanoseconds on the CPU of all the process's threads.
    static func processCpuNs(pid: Int32) -> UInt64 {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { $0 + threadCpuNs("/proc/\(pid)/task/\($1)") }
    }

    static func threadCpuNs(_ dir: String) -> UInt64 {
        if let s = try? String(contentsOfFile: dir + "/schedstat", encoding: .utf8), let f = s.split(separator: " ").first, let ns = UInt64(f) {
            return ns
        }
        // Without schedstat: utime + stime in clock ticks (coarse).
        guard let s = try? String(contentsOfFile: dir + "/stat", encoding: .utf8), let close = s.lastIndex(of: ")") else { return 0 }
        let fields = s[s.index(after: close)...].split(separator: " ")
        guard fields.count > 13 else { return 0 }
        let ticks = (UInt64(fields[11]) ?? 0) + (UInt64(fields[12]) ?? 0)
        return ticks * 1_000_000_000 / UInt64(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func peakRSSkB(pid: Int32) -> Int {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
        }
        return 0
    }
}

/// A pseudo-terminal for a child process: the benchmark holds the master side, types into it and reads what
/// the child draws, with the time each read returned.
final class ChildTerminal {
    let master: Int32
    let slavePath: String
    let slave: Int32
    private(set) var pid: Int32 = -1
    private var buf = [UInt8](repeating: 0, count: 1 << 16)

    init(width: Int, height: Int) throws {
        var name = [CChar](repeating: 0, count: 128)
        master = bench_open_pty_master(&name, name.count)
        guard master >= 0 else { throw BenchError("cannot open a pseudo-terminal") }
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The size is set before the child opens the slave; the benchmark keeps it open too, so reading the
        // master never fails (EIO) before the child is there.
        slave = open(slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw BenchError("cannot open \(slavePath)") }
        _ = bench_set_winsize(slave, Int32(height), Int32(width))
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
    }

    func spawn(_ path: String, _ argv: [String], env: [String: String]) throws -> Int32 {
        func cStrings(_ a: [String]) -> [UnsafeMutablePointer<CChar>?] { a.map { strdup($0) } + [nil] }
        let args = cStrings(argv), envp = cStrings(env.map { "\($0.key)=\($0.value)" })
        defer { for p in args + envp { free(p) } }
        let errFD = open("/dev/null", O_WRONLY)
        defer { if errFD >= 0 { Glibc.close(errFD) } }
        pid = bench_spawn_in_pty(slavePath, master, path, args, envp, errFD)
        guard pid > 0 else { throw BenchError("cannot start \(path)") }
        return pid
    }

    /// One read: the bytes and when they arrived; nil when nothing came within the timeout.
    func read(timeoutMs: Double) -> (bytes: [UInt8], at: Double)? {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeoutMs.rounded(.up))) > 0 else { return nil }
        let n = Glibc.read(master, &buf, buf.count)
        guard n > 0 else { return nil }
        let at = Stats.nowMs()
        answer(buf[0..<n])
        return (Array(buf[0..<n]), at)
    }

    /// Answer the terminal queries the child sends, as xterm does (left/right margins are there: mode 69
    /// recognised, reset; then device attributes). Off: a terminal that answers nothing.
    var answersAsXterm = true
    static let marginsQuery = Array("\u{1B}[?69$p".utf8), attributesQuery = Array("\u{1B}[c".utf8)

    private func answer(_ bytes: ArraySlice<UInt8>) {
        guard answersAsXterm, bytes.contains(0x1B) else { return }
        let b = Array(bytes)
        var reply = ""
        if BoardBench.occurrences(of: Self.marginsQuery, in: b) > 0 { reply += "\u{1B}[?69;2$y" }
        if BoardBench.occurrences(of: Self.attributesQuery, in: b) > 0 { reply += "\u{1B}[?64;1;2;6;9;15;18;21;22c" }
        if !reply.isEmpty { _ = reply.withCString { write(master, $0, strlen($0)) } }
    }

    /// Reads until nothing arrives for `quietMs`: the bytes and the time of the last one.
    func readUntilQuiet(quietMs: Double) -> (total: Int, bytes: Int, lastAt: Double) {
        var total = 0, lastAt = Stats.nowMs()
        while true {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let wait = quietMs - (Stats.nowMs() - lastAt)
            guard wait > 0, poll(&p, 1, Int32(wait.rounded(.up))) > 0 else { break }
            let n = Glibc.read(master, &buf, buf.count)
            if n > 0 { total += n; lastAt = Stats.nowMs(); answer(buf[0..<n]) } else if n < 0 && errno == EAGAIN { continue } else { break }
        }
        return (total, total, lastAt)
    }

    /// Types a key and reads its frame: milliseconds from the write to the last byte, and the bytes. The
    /// first byte may take up to `firstByteMs`; after it, the frame is over when nothing comes for `quietMs`.
    func press(_ key: String, quietMs: Double, firstByteMs: Double = 1000) -> (Double, Int) {
        let t0 = Stats.nowMs()
        _ = key.withCString { write(master, $0, strlen($0)) }
        guard let first = read(timeoutMs: firstByteMs) else { return (0, 0) }
        let r = readUntilQuiet(quietMs: quietMs)
        return ((r.bytes > 0 ? r.lastAt : first.at) - t0, first.bytes.count + r.bytes)
    }

    func kill() {
        guard pid > 0 else { return }
        Glibc.kill(pid, SIGTERM)
        let deadline = Stats.nowMs() + 3000
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            _ = readUntilQuiet(quietMs: 20)  // the child restores the terminal: keep the pty drained
            if Stats.nowMs() > deadline { Glibc.kill(pid, SIGKILL); waitpid(pid, &status, 0); break }
        }
        pid = -1
    }

    func close() { Glibc.close(master); Glibc.close(slave) }
}

/// A board of `tasks` cards spread evenly over the five columns, written in one statement.
enum BoardFill {
    static func fill(_ path: String, tasks: Int) throws {
        let store = try Store.open(path)
        defer { store.close() }
        let n = TaskStatus.allCases.count
        let statuses = TaskStatus.allCases.enumerated().map { "WHEN \($0.offset) THEN '\($0.element.rawValue)'" }.joined(separator: " ")
        let words = ["Fix", "Add", "Refactor", "Document", "Test", "Remove", "Speed up", "Review"]
        let things = ["login flow", "search index", "billing export", "CI cache", "worker pool", "rate limiter", "audit log", "API docs"]
        func pick(_ list: [String], _ expr: String) -> String {
            "CASE \(expr) " + list.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ") + " END"
        }
        _ = try store.db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(tasks - 1))
            INSERT INTO tasks (title, status, priority, sort_order)
            SELECT \(pick(words, "i % 8")) || ' ' || \(pick(things, "(i / 8) % 8")) || ' #' || i,
                   CASE i % \(n) \(statuses) END, 1 + (i * 7) % 5, (i / \(n) + 1) * \(SparseOrder.gap) FROM n
            """)
    }
}
