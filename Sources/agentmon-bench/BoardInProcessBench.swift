import Foundation
import FuzzCorpus
import ArgumentParser
import Config
import Core
import Storage
import Render
import Terminal
import Dashboard
import CNcurses

/// The board in this process, on a pseudo-terminal with a large database: key press to the frame handed to
/// ncurses (input decoding, update, view, diff), first frame, bytes per change, and idle cost. A quick look
/// inside; `board` (BoardBench.swift) measures the real binary from outside, which is what counts.
struct BoardInProcessBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "board-in-process",
                                                    abstract: "Dashboard latency, bytes and idle cost, measured inside the process.")
    @Option(help: "Tasks in the board.") var tasks = 100_000
    @Option(help: "Key presses to time.") var keys = 2000
    @Option(help: "Seconds to stay idle for the CPU figure.") var idleSeconds = 10.0
    @Option(help: "Terminal width.") var width = 200
    @Option(help: "Terminal height.") var height = 60
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let dir = try Stats.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("board.db").path
        let fillStart = Stats.nowMs()
        try fill(path)
        let fillMs = Stats.nowMs() - fillStart

        let (pty, screen, port) = try MeasuringPort.start(width: width, height: height)
        defer { pty.stopReading() }
        var config = DashboardConfig()
        config.pollIntervalMs = 250
        config.sync.enabled = false  // measures the board, not an import of this machine's agent folders
        let app = DashboardApp(options: .init(connection: path, databaseName: "bench", config: config))
        let firstLoaded = Locked<Double?>(nil)
        let start = Stats.nowMs()
        app.onFrame = { s in
            if s.board.loaded, firstLoaded.get == nil { firstLoaded.with { $0 = Stats.nowMs() } }
        }
        let finished = DispatchSemaphore(value: 0)
        Thread { app.run(on: port); finished.signal() }.start()
        while firstLoaded.get == nil { usleep(200) }
        let firstFrameMs = firstLoaded.get! - start
        // Let the initial loads settle before timing keys.
        usleep(300_000); pty.drain()

        // Keys: mostly moving through deep columns, some column changes and jumps, and card moves (writes).
        var latencies: [Double] = [], moveBytes: [Int] = [], moveLatencies: [Double] = []
        var rng = SplitMix(seed: 42)
        for i in 0..<keys {
            let key: String
            if i % 50 == 25 { key = "L" } else if i % 50 == 26 { key = "H" } else {
                let r = rng.next() % 100
                key = r < 55 ? "j" : r < 70 ? "k" : r < 78 ? "l" : r < 86 ? "h" : r < 90 ? "G" : r < 94 ? "g" : "\u{04}"  // ^D page down
            }
            let (ms, bytes) = port.press(key)
            latencies.append(ms)
            if key == "L" { moveBytes.append(bytes); moveLatencies.append(ms) }
        }

        // Idle: nothing happens; the data thread polls for changes at its default interval.
        usleep(500_000); pty.drain()
        // The benchmark's own threads (this one and the pty reader) are left out of the idle figures.
        let mine: Set<Int32> = [Stats.tid(), pty.readerTid]
        let cpu0 = Stats.cpuSeconds(excluding: mine), sw0 = Stats.voluntarySwitches(excluding: mine), t0 = Stats.nowMs()
        usleep(UInt32(idleSeconds * 1_000_000))
        let wall = (Stats.nowMs() - t0) / 1000
        let idleCPU = (Stats.cpuSeconds(excluding: mine) - cpu0) / wall * 100
        let wakeups = Double(Stats.voluntarySwitches(excluding: mine) - sw0) / wall
        let idleBytes = pty.drain()

        port.quit()
        finished.wait()
        pty.drain()

        // Bytes for synthetic frames on the same screen: one cell, no change, everything.
        var base = Buffer(width: width, height: height)
        for y in 0..<height { base.write(String(repeating: "agentmon ", count: width / 9 + 1), x: 0, y: y, style: Style(fg: .ansi(7))) }
        screen.present(base); pty.drain()
        var one = base
        one.set(x: width / 2, y: height / 2, cell: Cell("#", style: Style(fg: .ansi(1), bold: true)))
        screen.present(one)
        let oneCell = pty.drain()
        screen.present(one)
        let noChange = pty.drain()
        var all = Buffer(width: width, height: height)
        for y in 0..<height { all.write(String(repeating: "0123456789", count: width / 10 + 1), x: 0, y: y, style: Style(fg: .indexed(180), bg: .indexed(236))) }
        screen.present(all)
        let fullRepaint = pty.drain()
        // Reference in the same process: ncurses itself changing one cell, no diffing of ours.
        mvaddstr(Int32(height / 2), Int32(width / 2), "%")
        refresh()
        let ncursesOneCell = pty.drain()

        screen.stop()
        pty.restore()

        let p50 = Stats.percentile(latencies, 50), p99 = Stats.percentile(latencies, 99)
        let result: [String: Any] = [
            "tasks": tasks, "keys": keys, "terminal": "\(width)x\(height)",
            "key_to_frame_p50_ms": Stats.round(p50), "key_to_frame_p99_ms": Stats.round(p99),
            "key_to_frame_max_ms": Stats.round(latencies.max() ?? 0),
            "card_move_key_to_frame_p99_ms": Stats.round(Stats.percentile(moveLatencies, 99)),
            "first_frame_ms": Stats.round(firstFrameMs, 1),
            "card_move_bytes": Stats.median(moveBytes), "one_cell_change_bytes": oneCell, "no_change_frame_bytes": noChange,
            "full_repaint_bytes": fullRepaint, "reference_ncurses_one_cell_bytes": ncursesOneCell,
            "one_cell_vs_ncurses_ratio": ncursesOneCell > 0 ? Stats.round(Double(oneCell) / Double(ncursesOneCell), 2) : 0,
            "idle_cpu_percent": Stats.round(idleCPU), "idle_wakeups_per_s": Stats.round(max(0, wakeups), 2),
            "idle_bytes": idleBytes, "idle_seconds": idleSeconds, "fill_ms": Stats.round(fillMs, 0),
        ]
        Stats.report(result, json: json, to: pty.resultFD)
    }

    func fill(_ path: String) throws { try BoardFill.fill(path, tasks: tasks) }
}

/// Wraps the screen: notes when a key has been read, and times the first frame presented after it.
final class MeasuringPort: TerminalPort, @unchecked Sendable {
    /// A real ncurses screen on a fresh pseudo-terminal of this size, read in the background, and the port over it.
    static func start(width: Int, height: Int) throws -> (PseudoTerminal, Screen, MeasuringPort) {
        setenv("TERM", "xterm-256color", 1)
        setenv("LANG", "C.UTF-8", 1)
        unsetenv("NO_COLOR")
        let pty = try PseudoTerminal(width: width, height: height)
        pty.startReading()
        let screen = Screen()
        do { try screen.start() } catch { pty.stopReading(); pty.restore(); throw BenchError("screen: \(error)") }
        return (pty, screen, MeasuringPort(screen: screen, pty: pty))
    }

    let screen: Screen
    let pty: PseudoTerminal
    private let lock = NSLock()
    private var keyRead = false
    private var frameAt: Double?
    private var wantQuit = false

    init(screen: Screen, pty: PseudoTerminal) { self.screen = screen; self.pty = pty }

    var size: (width: Int, height: Int) { screen.size }
    var colorDepth: ColorDepth { screen.colorDepth }
    var wake: @Sendable () -> Void { screen.wake }
    func clearAndRedraw() { screen.clearAndRedraw() }

    func present(_ buffer: Buffer) { present(buffer, scrollBands: []) }

    func present(_ buffer: Buffer, scrollBands: [Rect]) {
        screen.present(buffer, scrollBands: scrollBands)
        lock.lock()
        if keyRead { keyRead = false; frameAt = Stats.nowMs() }
        lock.unlock()
    }

    func nextEvent(timeoutMs: Int?) -> ScreenEvent {
        lock.lock(); let q = wantQuit; lock.unlock()
        if q { return .quit(.terminate) }
        let e = screen.nextEvent(timeoutMs: timeoutMs)
        if case .key = e { lock.lock(); keyRead = true; lock.unlock() }
        return e
    }

    /// Types a key and waits for the frame that answers it: (milliseconds, bytes written).
    func press(_ key: String) -> (Double, Int) {
        lock.lock(); frameAt = nil; lock.unlock()
        let t0 = Stats.nowMs()
        pty.type(key)
        while true {
            lock.lock(); let done = frameAt; lock.unlock()
            if let done { return (done - t0, pty.drain()) }
            sched_yield()
        }
    }

    func quit() {
        lock.lock(); wantQuit = true; lock.unlock()
        screen.waker.wake()
    }
}

/// A tiny deterministic generator so every run does the same work.
typealias SplitMix = SeededRandom

