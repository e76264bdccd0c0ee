// Guaranteed terminal restore: on normal exit (atexit), on any error path (stop() is
// idempotent) and on a crash (a handler that only uses async-signal-safe calls: tcsetattr and
// write of pre-computed reset bytes, then hands the signal to the previous handler, so Swift's
// backtracer still reports the crash).
//
// Public API:
//   TerminalGuard.arm() — call once before ncurses takes the terminal
//   TerminalGuard.disarm()

import CNcurses
import Glibc
import Synchronization

public enum TerminalGuard {
    static let active = Atomic<Bool>(false)
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var haveTermios = false
    nonisolated(unsafe) static var resetBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    nonisolated(unsafe) static var resetCount = 0
    // Indexed by signal number: no dictionary work in signal context.
    nonisolated(unsafe) static var crashPrevious = UnsafeMutableBufferPointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) static var crashSaved = [Bool](repeating: false, count: 65)
    nonisolated(unsafe) static var atexitInstalled = false
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Saves the terminal modes and installs the exit and crash restores.
    public static func arm() {
        haveTermios = tcgetattr(STDIN_FILENO, &savedTermios) == 0
        if !atexitInstalled {
            atexitInstalled = true
            atexit { TerminalGuard.restoreAtExit() }
        }
        active.store(true, ordering: .releasing)
        for sig in crashSignals {
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = { sig in TerminalGuard.crashed(sig) }
            sigemptyset(&sa.sa_mask)
            sa.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            var old = sigaction()
            sigaction(sig, &sa, &old)
            if !crashSaved[Int(sig)] { crashPrevious[Int(sig)] = old; crashSaved[Int(sig)] = true }
        }
    }

    /// Records the reset sequence (leave alternate screen, show cursor, plain attributes) from
    /// terminfo once ncurses has loaded it, so the crash handler needs no library call.
    static func captureResetSequence() {
        var bytes: [UInt8] = []
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let p = cn_tigetstr(cap) { bytes += Array(String(cString: p).utf8) }
        }
        if bytes.isEmpty { bytes = Array("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l".utf8) }
        resetCount = min(bytes.count, resetBytes.count)
        for i in 0..<resetCount { resetBytes[i] = bytes[i] }
    }

    public static func disarm() {
        active.store(false, ordering: .releasing)
        for sig in crashSignals where crashSaved[Int(sig)] {
            sigaction(sig, &crashPrevious[Int(sig)], nil)
            crashSaved[Int(sig)] = false
        }
    }

    static func restoreAtExit() {
        guard active.exchange(false, ordering: .acquiringAndReleasing) else { return }
        if !isendwin() { endwin() }
    }

    /// Signal context: restore raw, then let the previous handler (or the default) run.
    static func crashed(_ sig: Int32) {
        if active.exchange(false, ordering: .acquiringAndReleasing) {
            _ = write(STDOUT_FILENO, resetBytes.baseAddress, resetCount)
            if haveTermios { tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
        }
        if sig > 0 && sig < 65 && crashSaved[Int(sig)] { sigaction(sig, &crashPrevious[Int(sig)], nil) }
        raise(sig)
    }
}
