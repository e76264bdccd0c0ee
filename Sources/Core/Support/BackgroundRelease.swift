import Foundation

/// Frees `value` on another thread. Freeing millions of small objects (a big file's parsed records, an
/// import's map of external ids) takes a tenth of an import; the importing thread goes on meanwhile.
///
/// The value goes into a box the other thread empties: captured in the closure itself, the last release
/// fell to whichever thread let go last, and that was usually the caller (perf: the whole free at the end of
/// an import, on the importing thread).
public func releaseInBackground<T>(_ value: consuming T) {
    let garbage = Garbage(value)
    DispatchQueue.global(qos: .utility).async { garbage.empty() }
}

private final class Garbage<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    func empty() { value = nil }
}
