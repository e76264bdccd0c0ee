import Foundation

/// A value behind a lock, for the few places where threads share state (results gathered by workers,
/// frames seen by a test, counters in a benchmark).
public final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    public init(_ value: T) { self.value = value }
    public func with<R>(_ f: (inout T) throws -> R) rethrows -> R { lock.lock(); defer { lock.unlock() }; return try f(&value) }
    public var get: T { with { $0 } }
}
