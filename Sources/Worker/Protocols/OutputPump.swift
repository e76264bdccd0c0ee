import Foundation
import Core

/// Moves a run's output (and the inputs delivered to it, in their place among the output) from the worker's
/// read loop to a conversation's own thread, so parsing and transcript writes never hold up the log. The
/// read loop only copies bytes into a queue; past `maxQueuedBytes` (the parser far behind) chunks are
/// dropped and a gap marked, never blocking the run. Shared by the stream-json and app-server conversations.
final class OutputPump: @unchecked Sendable {
    static let maxQueuedBytes = 64 * 1024 * 1024

    enum Item {
        case bytes([UInt8])
        /// Output was dropped here: the line it cut is skipped.
        case gap
        /// A delivered input, recorded in the transcript in its place among the output.
        case input(ExecutionInput)
    }

    private struct Queue {
        var items: [Item] = []
        var bytes = 0
        var closed = false
    }

    private let queue = Locked(Queue())
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Starts the thread: `handle` gets each batch of items in order, `finish` runs once after the last.
    init(handle: @escaping ([Item]) -> Void, finish: @escaping () -> Void) {
        let (queue, ready, done) = (queue, ready, done)
        let work = UncheckedBox(value: (handle, finish))  // run only on the thread below
        let t = Thread {
            let (handle, finish) = work.value
            while true {
                ready.wait()
                let (items, closed) = queue.with { q -> ([Item], Bool) in
                    defer { q.items.removeAll(); q.bytes = 0 }
                    return (q.items, q.closed)
                }
                if !items.isEmpty { handle(items) }
                if closed { break }
            }
            finish()
            done.signal()
        }
        t.stackSize = 1 << 20
        t.start()
    }

    /// From the read loop: a copy of the bytes, queued (or a gap marked when the parser is far behind).
    func received(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        let queued = queue.with { q -> Bool in
            if q.closed { return false }
            if q.bytes + bytes.count > Self.maxQueuedBytes {
                if case .gap? = q.items.last {} else { q.items.append(.gap) }
                return false
            }
            q.items.append(.bytes(Array(bytes))); q.bytes += bytes.count
            return true
        }
        if queued { ready.signal() }
    }

    func enqueue(_ input: ExecutionInput) {
        if queue.with({ q -> Bool in if q.closed { return false }; q.items.append(.input(input)); return true }) { ready.signal() }
    }

    /// No more items: waits (bounded) until every queued one is handled and `finish` has run. False when it
    /// did not finish in time (a stuck database must not keep the run's end from being recorded).
    @discardableResult
    func close(timeout: Double = 60) -> Bool {
        queue.with { $0.closed = true }
        ready.signal()
        return done.wait(timeout: .now() + timeout) == .success
    }
}
