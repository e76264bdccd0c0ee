import Foundation

/// Messages from the database thread to the UI thread; posting one wakes the UI loop.
public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [Msg] = []
    private let wake: @Sendable () -> Void

    public init(wake: @escaping @Sendable () -> Void = {}) { self.wake = wake }

    public func post(_ m: Msg) {
        lock.lock(); messages.append(m); lock.unlock()
        wake()
    }

    public func drain() -> [Msg] {
        lock.lock(); defer { lock.unlock() }
        let out = messages
        messages.removeAll()
        return out
    }
}
