// The sparse line index: how many newlines precede every 64 KiB boundary of the log, counted by a
// background thread. A 1 GB log needs 16,384 checkpoints (128 KB); any line number or line offset is then
// one binary search plus counting newlines in at most one block.
import Foundation

final class LineIndex: @unchecked Sendable {
    /// Bytes between checkpoints: the most a line-number lookup reads.
    static let blockSize: Int64 = 64 * 1024
    /// Bytes the indexer reads per `pread`: checkpoints are published after each read.
    static let readSize = 1 << 20

    struct Snapshot {
        /// `checkpoints[k]` = newlines in bytes [0, k * blockSize).
        var checkpoints: [Int] = [0]
        /// Bytes [0, indexed) are counted; `newlines` of them are newlines, the last one is `lastByte`.
        var indexed: Int64 = 0
        var newlines = 0
        var lastByte: UInt8 = newline
    }

    private let source: any LogSource
    private let cond = NSCondition()
    // Guarded by `cond`:
    private var state = Snapshot()
    private var target: Int64 = 0
    private var generation = 0
    private var stopped = false

    init(source: any LogSource) {
        self.source = source
    }

    /// Starts the indexing thread; it sleeps (no CPU) whenever the index has caught up with `target`.
    func start(target: Int64) {
        cond.withLock { self.target = target }
        let thread = Thread { [self] in run() }
        thread.name = "agentmon-logindex"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Stops the thread (it holds the index alive until then; `LogFile.deinit` calls this).
    func stop() { cond.withLock { stopped = true; cond.broadcast() } }

    var snapshot: Snapshot { cond.withLock { state } }

    /// The log now has `size` bytes: index the new part, or start over if it shrank (truncation).
    func observe(size: Int64) {
        cond.withLock {
            if size < state.indexed {
                state = Snapshot()
                generation += 1
            }
            if size != target { target = size; cond.broadcast() }
        }
    }

    /// Blocks until everything up to the current target is indexed (tests, benchmarks).
    func waitUntilCaughtUp(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        cond.lock(); defer { cond.unlock() }
        while state.indexed < target && !stopped {
            if !cond.wait(until: deadline) { return state.indexed >= target }
        }
        return state.indexed >= target
    }

    private func run() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: LineIndex.readSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            cond.lock()
            while !stopped && state.indexed >= target { cond.wait() }
            if stopped { cond.unlock(); return }
            let gen = generation, from = state.indexed, upTo = target
            var newlines = state.newlines, lastByte = state.lastByte
            let firstCheckpoint = state.checkpoints.count
            cond.unlock()

            // Read up to 1 MiB, ending on a block boundary when the data allows it.
            let blockEnd = (from / LineIndex.blockSize + Int64(LineIndex.readSize) / LineIndex.blockSize) * LineIndex.blockSize
            let stop = min(upTo, blockEnd)
            let n = source.read(at: from, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(stop - from)]))
            if n == 0 {
                // The source is shorter than it claimed (truncated under us): wait for the next observe().
                cond.withLock { if generation == gen { target = state.indexed }; cond.broadcast() }
                continue
            }
            var added: [Int] = []
            var pos = from
            let end = from + Int64(n)
            while pos < end {
                let segEnd = min(end, (pos / LineIndex.blockSize + 1) * LineIndex.blockSize)
                let seg = UnsafeRawBufferPointer(rebasing: buffer[Int(pos - from)..<Int(segEnd - from)])
                newlines += Bytes.countNewlines(seg)
                pos = segEnd
                if pos % LineIndex.blockSize == 0 { added.append(newlines) }
            }
            lastByte = buffer[n - 1]
            cond.withLock {
                // A truncation while we read makes these counts meaningless: drop them.
                guard generation == gen, !stopped, state.checkpoints.count == firstCheckpoint else { return }
                state.checkpoints.append(contentsOf: added)
                state.indexed = end
                state.newlines = newlines
                state.lastByte = lastByte
                cond.broadcast()
            }
        }
    }
}
