import Core
import SystemSupport

/// When the database became unreachable, so that the worker says so once and how long it lasted.
final class Outage: @unchecked Sendable {
    private let since = Locked<Double?>(nil)
    var isOn: Bool { since.get != nil }
    /// True when this starts an outage.
    func begin() -> Bool { since.with { s in if s != nil { return false }; s = Monotonic.now(); return true } }
    /// How long the outage lasted; nil when there was none.
    func end() -> Double? { since.with { s in defer { s = nil }; return s.map { Monotonic.now() - $0 } } }
}
