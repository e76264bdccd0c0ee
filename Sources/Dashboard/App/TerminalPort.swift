import Foundation
import Render
import Terminal

/// What the run loop needs from a terminal. `Screen` is the real one; tests and the benchmark drive the
/// same loop through other ports (scripted keys, a pseudo-terminal).
public protocol TerminalPort: AnyObject {
    var size: (width: Int, height: Int) { get }
    var colorDepth: ColorDepth { get }
    /// Wakes `nextEvent` from another thread.
    var wake: @Sendable () -> Void { get }
    func present(_ buffer: Buffer)
    /// The same, where `scrollBands` may have moved as a whole (a port may scroll them).
    func present(_ buffer: Buffer, scrollBands: [Rect])
    func clearAndRedraw()
    func nextEvent(timeoutMs: Int?) -> ScreenEvent
    /// Rings the bell; called between frames (after `present`).
    func bell()
    /// Writes an app-made control sequence (a desktop notification); called between frames (after `present`).
    func writeControl(_ bytes: [UInt8])
    /// Gives the terminal to another program (`tmux attach`) while `body` runs, then takes it back and
    /// repaints.
    func handOver(_ body: () -> Int32) -> Int32
}

extension TerminalPort {
    /// A port that cannot scroll regions draws the frame.
    public func present(_ buffer: Buffer, scrollBands: [Rect]) { present(buffer) }
    /// A port without a bell or notifications (a test's, the benchmark's) ignores them.
    public func bell() {}
    public func writeControl(_ bytes: [UInt8]) {}
    /// A port without a terminal of its own runs `body` as it is.
    public func handOver(_ body: () -> Int32) -> Int32 { body() }
}

extension Screen: TerminalPort {
    public var wake: @Sendable () -> Void {
        let w = waker
        return { w.wake() }
    }
}
