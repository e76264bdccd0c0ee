import Foundation

/// SIGINT, SIGTERM and SIGHUP turned into a call on a queue (never code in a signal handler). The
/// signals are ignored while installed; children get them back at their defaults (ChildProcess).
public final class StopSignals {
    private var sources: [DispatchSourceSignal] = []
    private let signals: [Int32]

    public init(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], onSignal: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        for s in signals {
            signal(s, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: s, queue: .global())
            src.setEventHandler { onSignal(s) }
            src.resume()
            sources.append(src)
        }
    }

    public func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
        for s in signals { signal(s, SIG_DFL) }
    }

    deinit { cancel() }
}
