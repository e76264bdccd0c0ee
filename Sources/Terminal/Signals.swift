// Signal handling that never calls into ncurses from a handler: handlers only set flags and
// write one byte to the wake pipe; the app loop (Screen.nextEvent) does the real work.
//
// Public API:
//   enum TerminalSignal — .interrupt, .terminate, .hangup
//   Signals.recordOriginalHandlers() (before newterm), install(wakeFD:), uninstall()
//   Signals.takeQuit() -> TerminalSignal?, takeResize() -> Bool, takeSuspend() -> Bool,
//   takeResume() -> Bool

import Glibc
import Synchronization

public enum TerminalSignal: Int32, Sendable {
    case interrupt = 2   // SIGINT
    case hangup = 1      // SIGHUP
    case terminate = 15  // SIGTERM
}

public enum Signals {
    // Flags written by handlers. Atomics are lock-free, so safe in a handler.
    static let quit = Atomic<Int32>(0)
    static let resize = Atomic<Bool>(false)
    static let suspend = Atomic<Bool>(false)
    static let resume = Atomic<Bool>(false)
    static let wakeFD = Atomic<Int32>(-1)

    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT]
    nonisolated(unsafe) static var previous: [Int32: sigaction] = [:]

    /// Remembers the dispositions from before ncurses installed its own (call before newterm),
    /// so uninstall() gives the process back its original handlers, not ncurses' ones.
    public static func recordOriginalHandlers() {
        for sig in handled where previous[sig] == nil {
            var old = sigaction()
            sigaction(sig, nil, &old)
            previous[sig] = old
        }
    }

    /// Installs the handlers. Call after ncurses is set up, so ours replace its SIGWINCH/SIGINT.
    public static func install(wakeFD fd: Int32) {
        // Touch every static before a handler can run: their lazy initialisation takes a lock.
        _ = quit.load(ordering: .relaxed); _ = resize.load(ordering: .relaxed)
        _ = suspend.load(ordering: .relaxed); _ = resume.load(ordering: .relaxed)
        wakeFD.store(fd, ordering: .releasing)
        for sig in handled {
            var sa = sigaction()
            sa.__sigaction_handler.sa_handler = { sig in Signals.handle(sig) }
            sigemptyset(&sa.sa_mask)
            sa.sa_flags = 0  // no SA_RESTART: poll() must return EINTR so the loop sees the flag
            var old = sigaction()
            sigaction(sig, &sa, &old)
            if previous[sig] == nil { previous[sig] = old }
        }
    }

    /// Puts back the handlers that were there before install().
    public static func uninstall() {
        for (sig, old) in previous {
            var o = old
            sigaction(sig, &o, nil)
        }
        previous.removeAll()
        wakeFD.store(-1, ordering: .releasing)
    }

    /// Runs in signal context: flags and write(2) only.
    static func handle(_ sig: Int32) {
        switch sig {
        case SIGWINCH: resize.store(true, ordering: .releasing)
        case SIGTSTP: suspend.store(true, ordering: .releasing)
        case SIGCONT: resume.store(true, ordering: .releasing)
        default: quit.store(sig, ordering: .releasing)
        }
        let fd = wakeFD.load(ordering: .acquiring)
        if fd >= 0 {
            var b: UInt8 = 2
            _ = write(fd, &b, 1)
        }
    }

    public static func takeQuit() -> TerminalSignal? {
        let s = quit.exchange(0, ordering: .acquiringAndReleasing)
        return s == 0 ? nil : TerminalSignal(rawValue: s) ?? .terminate
    }

    public static func takeResize() -> Bool { resize.exchange(false, ordering: .acquiringAndReleasing) }
    public static func takeSuspend() -> Bool { suspend.exchange(false, ordering: .acquiringAndReleasing) }
    public static func takeResume() -> Bool { resume.exchange(false, ordering: .acquiringAndReleasing) }

    /// Stops the process with the default SIGTSTP action and returns after SIGCONT.
    static func stopSelf() {
        var dfl = sigaction()
        dfl.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&dfl.sa_mask)
        var ours = sigaction()
        sigaction(SIGTSTP, &dfl, &ours)
        // SIGTSTP may be blocked while we are here; make sure it is deliverable.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTSTP)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        raise(SIGTSTP)
        // …stopped until SIGCONT…
        sigaction(SIGTSTP, &ours, nil)
    }
}
