// Input for `Screen`: one wait for keys, wake-ups from other threads, signals and ticks.
//
// Public API (extension Screen):
//   nextEvent(timeoutMs: Int?) -> ScreenEvent   — nil timeout waits until something happens
//   readKey(timeoutMs: Int?) -> Key?            — only keys (nil on timeout, wake or quit)
//   suspend()                                   — Ctrl-Z / SIGTSTP: give the shell the terminal
//   handOver(_ body:)                           — give the terminal to a program (tmux attach) while body runs
//
// The wait is poll() on stdin and the wake pipe, so an idle dashboard sleeps in the kernel.

import CNcurses
import SystemSupport
import Glibc
import Render

extension Screen {
    public func nextEvent(timeoutMs: Int?) -> ScreenEvent {
        guard isActive else { return .quit(.terminate) }
        let deadline = timeoutMs.map { Monotonic.milliseconds() + max(0, $0) }
        while true {
            if let e = signalEvent() { return e }
            if !pendingKeys.isEmpty { return .key(pendingKeys.removeFirst()) }
            // Keys ncurses already holds (several bytes can arrive in one read) come first.
            if let k = readBufferedKey() {
                if k == .ctrl("z") && options.suspendOnCtrlZ { suspend(); return .key(.resize) }
                return .key(k)
            }
            let remaining = deadline.map { max(0, $0 - Monotonic.milliseconds()) }
            if remaining == 0 { return .timeout }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0)]
            let r = poll(&fds, 2, remaining.map { Int32(clamping: $0) } ?? -1)
            if r < 0 {
                if errno == EINTR { continue }  // a signal: its flag is checked at the top
                return .timeout
            }
            if r == 0 { return .timeout }
            if fds[1].revents & Int16(POLLIN) != 0 {
                waker.drain()
                if let e = signalEvent() { return e }
                return .wake
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && fds[0].revents & Int16(POLLIN) == 0 {
                return .quit(.hangup)  // the terminal went away
            }
            // stdin is readable: loop to read it through ncurses.
        }
    }

    public func readKey(timeoutMs: Int?) -> Key? {
        if case .key(let k) = nextEvent(timeoutMs: timeoutMs) { return k }
        return nil
    }

    /// Leaves the screen to the shell and stops the process; returns after `fg`. The next
    /// present() repaints everything.
    public func suspend() {
        guard isActive else { return }
        endwin()
        cn_flush_stdout()
        Signals.stopSelf()
        _ = Signals.takeResume()
        _ = Signals.takeSuspend()
        resized()
    }

    /// Leaves curses mode, runs `body` (which gives the terminal to another program and waits for it),
    /// then takes the terminal back: the next present() repaints everything, at the terminal's size now.
    public func handOver(_ body: () -> Int32) -> Int32 {
        guard isActive else { return body() }
        endwin()
        cn_flush_stdout()
        let result = body()
        resized()
        return result
    }

    // MARK: - Internals

    /// Signal flags set by handlers, turned into events (resize and resume also re-lay out).
    func signalEvent() -> ScreenEvent? {
        if let q = Signals.takeQuit() { return .quit(q) }
        if Signals.takeSuspend() { suspend(); return .key(.resize) }
        if Signals.takeResume() {  // continued after an outside SIGSTOP
            resized()
            return .key(.resize)
        }
        if Signals.takeResize() { resized(); return .key(.resize) }
        return nil
    }

    /// New size from the tty; the next frame is drawn in full on a cleared screen.
    func resized() {
        var rows: Int32 = 0, cols: Int32 = 0
        if cn_winsize(&rows, &cols) == 0 { resize_term(rows, cols) }
        size = (Int(cn_cols()), Int(cn_lines()))
        front = nil
        werase(cn_stdscr())
        clearok(cn_curscr(), true)
        dirty = true
    }

    /// One key if ncurses has one now (never blocks beyond ESCDELAY inside an escape sequence).
    func readBufferedKey() -> Key? {
        while true {
            var c: wint_t = 0
            let st = wget_wch(cn_stdscr(), &c)
            if st == cn_err() { return nil }
            guard let k = KeyDecoder.decode(status: st, value: c) else { continue }  // unknown: skip
            if k == .resize { resized(); return .resize }
            if k == .escape {
                guard let key = escapeOrAlt() else { continue }  // a reply to our query, not a key
                return key
            }
            return k
        }
    }

    /// ESC followed at once by a character is Alt+character; anything else after it is kept. While the
    /// terminal's answers to the start-up queries are awaited, ESC [ ? … is read as one: nil.
    private func escapeOrAlt() -> Key? {
        var c: wint_t = 0
        let st = wget_wch(cn_stdscr(), &c)
        guard st != cn_err(), let next = KeyDecoder.decode(status: st, value: c) else { return .escape }
        if st == cn_ok(), case .char(let ch) = next {
            if ch == "[", let deadline = queryDeadline {
                if Monotonic.milliseconds() > deadline { queryDeadline = nil } else if let keys = readReply() {
                    pendingKeys += keys
                    return .alt("[")
                } else {
                    return nil
                }
            }
            return .alt(ch)
        }
        pendingKeys.append(next)
        return .escape
    }

    /// After ESC [: a reply (`?69;Ps$y` to DECRQM, `?…c` to device attributes) is taken in and nil
    /// returned; anything else is given back as the keys it was.
    private func readReply() -> [Key]? {
        var text = ""
        var keys: [Key] = []
        while text.count < 64 {
            var c: wint_t = 0
            let st = wget_wch(cn_stdscr(), &c)
            guard st == cn_ok(), let scalar = Unicode.Scalar(UInt32(c)) else { break }
            text.unicodeScalars.append(scalar)
            if let k = KeyDecoder.decode(status: st, value: c) { keys.append(k) }
            if (0x40...0x7E).contains(scalar.value) && scalar != "[" { break }  // the final byte
        }
        guard text.hasPrefix("?") else { return keys }
        if text.hasSuffix("$y") {
            let mode = text.dropFirst().dropLast(2).split(separator: ";")
            if mode.first == "69", let ps = mode.dropFirst().first.flatMap({ Int($0) }) { hasColumnMargins = (1...3).contains(ps) }
            return nil
        }
        if text.hasSuffix("c") { queryDeadline = nil; return nil }
        return keys
    }
}
