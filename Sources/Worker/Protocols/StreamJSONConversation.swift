import Foundation
import Core
import Storage
import Importers

/// The `stream-json` protocol (Claude Code's print mode): hands a run's output to its live transcript (ClaudeLiveTranscript) on a thread and connection of its
/// own, so parsing and the transcript's database writes never hold up the log. The read loop only
/// copies bytes into a queue; past `maxQueuedBytes` (the parser far behind) chunks are dropped and the
/// cut line skipped, never blocking the run.
final class StreamJSONConversation: AgentConversation, @unchecked Sendable {
    static let maxQueuedBytes = 64 * 1024 * 1024

    private struct Queue {
        var chunks: [[UInt8]] = []
        var bytes = 0
        var closed = false
    }

    private let queue = Locked(Queue())
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Locked<ClaudeLiveTranscript.Outcome?>(nil)
    private let report: @Sendable (String) -> Void
    private let executionId: ID

    /// Starts the thread; nil (reported) when its connection cannot be opened: the run goes on without a transcript.
    static func start(connection: String, execution: Execution, agent: Agent,
                      report: @escaping @Sendable (String) -> Void) -> StreamJSONConversation? {
        let store: Store, transcript: ClaudeLiveTranscript
        do {
            store = try Store.open(connection, migrate: false)
            transcript = try ClaudeLiveTranscript(store: store, execution: execution, agent: agent)
        } catch {
            report("execution \(execution.id): no live transcript: \(error)")
            return nil
        }
        let feed = StreamJSONConversation(executionId: execution.id, report: report)
        let box = UncheckedBox(value: (store, transcript))
        let t = Thread { feed.loop(store: box.value.0, transcript: box.value.1) }
        t.stackSize = 1 << 20
        t.start()
        return feed
    }

    private init(executionId: ID, report: @escaping @Sendable (String) -> Void) {
        self.executionId = executionId; self.report = report
    }

    /// From the read loop: a copy of the bytes, queued.
    func received(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        let queued = queue.with { q -> Bool in
            if q.closed { return false }
            if q.bytes + bytes.count > Self.maxQueuedBytes {
                if q.chunks.last?.isEmpty != true { q.chunks.append([]) }  // an empty chunk marks the gap
                return false
            }
            q.chunks.append(Array(bytes)); q.bytes += bytes.count
            return true
        }
        if queued { ready.signal() }
    }

    /// The run has ended: waits until every queued byte is parsed and the outcome written (bounded: a
    /// stuck database must not keep the run from being recorded; the thread then finishes on its own).
    func ended() { finish() }

    @discardableResult
    func finish(timeout: Double = 60) -> ClaudeLiveTranscript.Outcome? {
        queue.with { $0.closed = true }
        ready.signal()
        guard done.wait(timeout: .now() + timeout) == .success else {
            report("execution \(executionId): the transcript was not finished within \(Int(timeout)) s; its usage may be missing")
            return nil
        }
        return outcome.get
    }

    private func loop(store: Store, transcript: ClaudeLiveTranscript) {
        defer { store.close(); done.signal() }
        while true {
            ready.wait()
            let (chunks, closed) = queue.with { q -> ([[UInt8]], Bool) in
                defer { q.chunks.removeAll(); q.bytes = 0 }
                return (q.chunks, q.closed)
            }
            for c in chunks { if c.isEmpty { transcript.gap() } else { transcript.feed(c) } }
            if closed { break }
        }
        let o = transcript.finish()
        outcome.with { $0 = o }
        if transcript.badLines + transcript.oversizedLines > 0 || transcript.lastError != nil {
            report("execution \(executionId): transcript skipped \(transcript.badLines) bad and \(transcript.oversizedLines) oversized lines"
                   + (transcript.lastError.map { "; last error: \($0)" } ?? ""))
        }
    }
}

/// Moves a non-Sendable value to the one thread that will use it.
private struct UncheckedBox<T>: @unchecked Sendable { let value: T }
