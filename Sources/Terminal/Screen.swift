// The ncurses screen: set-up, restore, and drawing only the cells that changed.
//
// Public API:
//   final class Screen(options: Screen.Options = .init())
//     start() throws(ScreenError) / stop()        — stop() is idempotent, also run by deinit/atexit
//     isActive, size: (width, height), colorDepth, waker (wake the input wait from any thread)
//     present(_ buffer: Buffer)                   — diff with the last frame, draw, flush; no change = 0 bytes
//     present(_ buffer:, scrollBands:)            — the same, scrolling regions that moved as a whole
//     hasColumnMargins                            — the terminal answered that it has left/right margins
//     draw(changes: [CellChange]) + flush()       — the same, for callers that diff themselves
//     clearAndRedraw()                            — full repaint (Ctrl-L); resize does it by itself
//     bell(), writeControl(_ bytes:)              — between frames: the bell, an app-made OSC notification
//     nextEvent(timeoutMs:) -> ScreenEvent, readKey(timeoutMs:) -> Key?, suspend()  (ScreenInput.swift)
//
// Usage:
//   let screen = Screen(); try screen.start(); defer { screen.stop() }
//   loop: while true {
//       switch screen.nextEvent(timeoutMs: 1000) {
//       case .key(let k): …            case .wake: drain your message queue
//       case .timeout: tick             case .quit: break loop
//       }
//       screen.present(view(state, screen.size))
//   }
// ncurses is single-threaded: call everything except `waker.wake()` from one thread.

import CNcurses
import SystemSupport
import Foundation
import Glibc
import Render

public struct ScreenError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum ScreenEvent: Equatable, Sendable {
    case key(Key)
    /// `waker.wake()` was called: new data is waiting for the app.
    case wake
    case timeout
    /// SIGINT, SIGTERM or SIGHUP: leave the loop; `stop()` restores the terminal.
    case quit(TerminalSignal)
}

public final class Screen {
    public struct Options: Sendable {
        /// raw() (Ctrl-C/Ctrl-Z arrive as keys) rather than cbreak().
        public var raw = true
        /// How long a lone ESC waits for the rest of a sequence (Escape vs Alt and arrows).
        public var escapeDelayMs = 25
        /// Ctrl-Z suspends like a shell job; the app then gets `.key(.resize)` to redraw.
        public var suspendOnCtrlZ = true
        /// Force a colour depth (e.g. from a --color flag) instead of detecting it.
        public var colorDepth: ColorDepth?
        public var environment: [String: String] = ProcessInfo.processInfo.environment
        /// Ask the terminal whether it has left/right margins (to scroll a board column on its own).
        public var askTerminal = true
        public init() {}
    }

    public let options: Options
    public let waker = WakePipe()
    public private(set) var isActive = false
    public private(set) var colorDepth: ColorDepth = .none
    public internal(set) var size: (width: Int, height: Int) = (0, 0)

    var screenPointer: OpaquePointer?
    var mapping = StyleMapping(depth: .none, colors: 0, defaultColors: true)
    var pairs = ColorPairCache(capacity: 1)
    var styleCache: [Style: (attrs: attr_t, pair: Int32)] = [:]
    var pairsReset = false
    var front: Buffer?
    var dirty = false
    var pendingKeys: [Key] = []
    /// The terminal has scroll regions (terminfo csr): a full-width band that moved is scrolled, not redrawn.
    var canScrollRegions = false
    /// The terminal said it has left and right margins (DECLRMM, asked at start): a column band that
    /// moved (a board column) is scrolled too.
    public internal(set) var hasColumnMargins = false
    /// Until the terminal answers the device-attributes query sent at start (or this monotonic deadline),
    /// replies to our queries are looked for in the input.
    var queryDeadline: Int?

    public init(options: Options = Options()) {
        self.options = options
    }

    deinit { stop() }

    // MARK: - Lifecycle

    public func start() throws(ScreenError) {
        guard !isActive else { return }
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw ScreenError("the dashboard needs a terminal: stdin and stdout must be a tty")
        }
        setlocale(LC_ALL, "")
        Screen.ensureUTF8()
        TerminalGuard.arm()
        Signals.recordOriginalHandlers()
        guard let s = cn_newterm() else {
            TerminalGuard.disarm()
            Signals.uninstall()
            throw ScreenError("cannot start the terminal (TERM=\(options.environment["TERM"] ?? "unset"))")
        }
        screenPointer = s
        isActive = true
        let win = cn_stdscr()
        _ = options.raw ? raw() : cbreak()
        noecho()
        nonl()
        keypad(win, true)
        intrflush(win, false)
        leaveok(win, true)     // no cursor moves after drawing: fewer bytes
        // No insert/delete-character or line tricks: terminals fill the freed cells with the current
        // background, which leaves stray colour where the next frame expects blanks.
        idcok(win, false)
        idlok(win, false)
        curs_set(0)
        set_escdelay(Int32(options.escapeDelayMs))
        wtimeout(win, 0)       // never block in ncurses: we wait in poll()
        setUpColors()
        TerminalGuard.captureResetSequence()
        Signals.install(wakeFD: waker.writeFD)
        size = (Int(cn_cols()), Int(cn_lines()))
        front = nil
        canScrollRegions = cn_tigetstr("csr") != nil
        hasColumnMargins = false
        if canScrollRegions && options.askTerminal {
            // Are left/right margins there (DECRQM 69)? Then primary device attributes, which every
            // terminal answers: that reply ends the wait. Nothing waits for them: the answers arrive as input.
            writeControl(Array("\u{1B}[?69$p\u{1B}[c".utf8))
            queryDeadline = Monotonic.milliseconds() + 3000
        }
    }

    /// Restores the terminal. Safe to call more than once and from error paths.
    public func stop() {
        guard isActive else { return }
        isActive = false
        Signals.uninstall()
        if !isendwin() { endwin() }
        TerminalGuard.disarm()
        if let s = screenPointer { delscreen(s) }
        screenPointer = nil
        front = nil
        styleCache.removeAll()
        cn_flush_stdout()
    }

    /// The machine default locale is often C: without a UTF-8 LC_CTYPE ncurses draws wide
    /// characters as escapes. Terminals today are UTF-8, so fall back to C.UTF-8.
    static func ensureUTF8() {
        if cn_codeset_is_utf8() != 0 { return }
        for loc in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, loc) != nil { return }
    }

    private func setUpColors() {
        var colors = 0
        var defaultColors = false
        if has_colors() {
            start_color()
            defaultColors = use_default_colors() == cn_ok()
            colors = Int(cn_colors())
        }
        let direct = cn_has_rgb() != 0
        var depth = options.colorDepth
            ?? ColorDepth.detect(environment: options.environment, colors: colors, supportsDirectColor: direct)
        // A forced depth cannot exceed what ncurses can emit here.
        if depth == .trueColor && !direct { depth = colors >= 256 ? .c256 : .c16 }
        if depth == .c256 && colors < 256 { depth = .c16 }
        if colors < 8 { depth = .none }
        colorDepth = depth
        mapping = StyleMapping(depth: depth, colors: colors, defaultColors: defaultColors)
        pairs = ColorPairCache(capacity: Int(cn_color_pairs()))
        styleCache.removeAll()
    }

    // MARK: - Drawing

    /// The same, where the areas in `scrollBands` (a board column's cards, a list) may have moved up or down
    /// as a whole: such a move is drawn as a scroll of that region (scroll region, and left/right margins when
    /// the band is not the full width and the terminal has them), and only what the scroll did not bring is
    /// drawn. A terminal without them gets the plain diff.
    public func present(_ buffer: Buffer, scrollBands: [Rect]) {
        guard isActive else { return }
        guard var old = front, old.width == buffer.width, old.height == buffer.height, canScrollRegions, !pairsReset,
              !scrollBands.isEmpty else { return present(buffer) }
        let changes = Buffer.diff(from: old, to: buffer)
        // Only a band with a few changed rows can be worth a scroll (the diff says which, without a second look).
        var rows: [Set<Int>] = Array(repeating: [], count: scrollBands.count)
        for c in changes { for (i, b) in scrollBands.enumerated() where b.contains(x: c.x, y: c.y) { rows[i].insert(c.y) } }
        front = nil  // `old` is then the only reference: shifted in place
        var scrolled: [Rect] = []
        for (i, band) in scrollBands.enumerated() where rows[i].count >= 3 {
            let full = band.x <= 0 && band.maxX >= buffer.width
            guard full || hasColumnMargins, let shift = Buffer.bandShift(from: old, to: buffer, in: band) else { continue }
            scroll(shift, fullWidth: full)
            old.shift(shift)
            scrolled.append(shift.rect)
        }
        front = old
        guard !scrolled.isEmpty else { return present(buffer, changes: changes) }
        // Outside the scrolled regions the changes are those already found; inside, they are diffed again.
        var rest = changes.filter { c in !scrolled.contains { $0.contains(x: c.x, y: c.y) } }
        for r in scrolled { rest += Buffer.diff(from: old, to: buffer, in: r) }
        rest.sort { ($0.y, $0.x) < ($1.y, $1.x) }
        present(buffer, changes: rest)
    }

    /// The escape sequence that scrolls one region: cursor saved and restored around it (ncurses keeps
    /// its own idea of where the cursor is), margins set and reset.
    static func scrollSequence(_ s: BandShift, fullWidth: Bool) -> String {
        let esc = "\u{1B}"
        var seq = esc + "7"
        if !fullWidth { seq += esc + "[?69h" + esc + "[\(s.x + 1);\(s.x + s.width)s" }
        seq += esc + "[\(s.top + 1);\(s.top + s.height)r"
        seq += s.by > 0 ? esc + "[\(s.by)S" : esc + "[\(-s.by)T"
        if !fullWidth { seq += esc + "[s" + esc + "[?69l" }
        return seq + esc + "[r" + esc + "8"
    }

    /// Scrolls a region on the terminal now, and the same in ncurses' pictures of the terminal (curscr)
    /// and of the next frame (stdscr), so what it draws next is computed from what is really there.
    func scroll(_ s: BandShift, fullWidth: Bool) {
        flush()
        writeControl(Array(Screen.scrollSequence(s, fullWidth: fullWidth).utf8))
        for win in [cn_curscr(), cn_stdscr()] {
            cn_shift_band(win, Int32(s.top), Int32(s.height), Int32(s.x), Int32(s.width), Int32(s.by))
        }
    }

    /// Draws `buffer` as the next frame: only the cells that differ from the last frame reach
    /// ncurses, and an unchanged frame writes nothing at all.
    public func present(_ buffer: Buffer) { present(buffer, changes: nil) }

    /// The same with the changes from the last frame already known.
    func present(_ buffer: Buffer, changes known: [CellChange]?) {
        guard isActive else { return }
        let changes: [CellChange]
        if let f = front, f.width == buffer.width, f.height == buffer.height {
            changes = known ?? Buffer.diff(from: f, to: buffer)
        } else {
            if buffer.width != size.width || buffer.height != size.height { werase(cn_stdscr()) }
            changes = buffer.allChanges
        }
        front = buffer
        guard !changes.isEmpty else { return }
        draw(changes: changes, of: buffer)
        if pairsReset {
            // Pair numbers on screen were redefined: repaint every cell with fresh pairs, once.
            pairsReset = false
            draw(changes: buffer.allChanges, of: buffer)
        }
        flush()
    }

    /// Writes cells into ncurses' virtual screen; nothing reaches the terminal until flush().
    public func draw(changes: [CellChange]) { draw(changes: changes, of: nil) }

    /// The same; with the frame they come from, a blank takes the style of the text to its left (see
    /// `visible(_:after:)`), so ncurses changes attributes once per run of text, not at every space.
    func draw(changes: [CellChange], of buffer: Buffer?) {
        guard isActive, !changes.isEmpty else { return }
        var cc = cchar_t()
        var wch = [wchar_t](repeating: 0, count: 6)
        var rowY = -1
        var rowStyles: [Style] = []
        /// The style drawn at (x, y): computed left to right once per changed row.
        func style(_ cell: Cell, _ x: Int, _ y: Int) -> Style {
            guard let buffer else { return Screen.visible(cell) }
            if y != rowY { rowY = y; rowStyles.removeAll(keepingCapacity: true) }
            while rowStyles.count <= x {
                let i = rowStyles.count
                rowStyles.append(Screen.visible(buffer[i, y], after: i > 0 ? rowStyles[i - 1] : nil))
            }
            return rowStyles[x]
        }
        for ch in changes {
            guard ch.x >= 0, ch.y >= 0, ch.x < size.width, ch.y < size.height, !ch.cell.isContinuation else { continue }
            let (attrs, pair) = resolve(style(ch.cell, ch.x, ch.y))
            let width = ch.cell.width
            let ok: Bool
            if let b = ch.cell.asciiByte, b >= 0x20, b < 0x7F {  // most cells: no String made
                wch[0] = wchar_t(b); wch[1] = 0; ok = true
            } else {
                ok = CellText.fill(ch.cell.grapheme, width: width, into: &wch)
            }
            if !ok { wch[0] = 0xFFFD; wch[1] = 0 }  // the C library disagrees on width: stay aligned
            _ = cn_setcchar(&cc, wch, attrs, pair)
            _ = cn_put(Int32(ch.y), Int32(ch.x), &cc)
            if !ok && width == 2 && ch.x + 1 < size.width {
                wch[0] = 0x20; wch[1] = 0
                _ = cn_setcchar(&cc, wch, attrs, pair)
                _ = cn_put(Int32(ch.y), Int32(ch.x + 1), &cc)
            }
        }
        dirty = true
    }

    /// Sends what was drawn to the terminal (wnoutrefresh + doupdate), if anything was.
    public func flush() {
        guard isActive, dirty else { return }
        wnoutrefresh(cn_stdscr())
        doupdate()
        dirty = false
    }

    /// Clears the terminal and repaints the last frame (Ctrl-L, or after another program
    /// scribbled on the screen).
    public func clearAndRedraw() {
        guard isActive else { return }
        clearok(cn_curscr(), true)
        dirty = true
        flush()
    }

    /// Rings the terminal's bell (ncurses `beep`, which falls back to a flash where there is no bell).
    /// Call between frames, after `present`.
    public func bell() {
        guard isActive else { return }
        _ = beep()
    }

    /// Writes a control sequence the app made itself (a desktop notification: OSC 777 / OSC 9) straight to
    /// the terminal, after what ncurses has buffered. Call between frames, after `present`, never with
    /// untrusted bytes: the caller builds and sanitises the sequence. It moves no cursor and draws nothing.
    public func writeControl(_ bytes: [UInt8]) {
        guard isActive, !bytes.isEmpty else { return }
        cn_flush_stdout()
        var done = 0
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            while done < bytes.count {
                let n = Glibc.write(STDOUT_FILENO, base + done, bytes.count - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else if n < 0 && errno == EAGAIN {
                    var p = pollfd(fd: STDOUT_FILENO, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 100)
                } else { break }
            }
        }
    }

    /// A space shows only its background (and reverse/underline): dropping the rest lets
    /// ncurses treat it as blank and skip or erase runs of them instead of writing each one.
    static func visible(_ cell: Cell) -> Style {
        let s = cell.style
        guard cell.asciiByte == 0x20, !s.reverse, !s.underline else { return s }
        return Style(bg: s.bg)
    }

    /// The same, choosing for a blank the attributes of the cell drawn to its left when they look the same on
    /// a blank (same background, neither reverse nor underline): "a b" in one colour is then one run for
    /// ncurses, not three with attribute changes between them (which made a selection step 550 bytes).
    static func visible(_ cell: Cell, after left: Style?) -> Style {
        let s = cell.style
        guard cell.asciiByte == 0x20, !s.reverse, !s.underline else { return s }
        if let l = left, l.bg == s.bg, !l.reverse, !l.underline { return l }
        return Style(bg: s.bg)
    }

    /// Attributes and pair for a style, defining the pair on first use.
    func resolve(_ style: Style) -> (attrs: attr_t, pair: Int32) {
        if let hit = styleCache[style] { return hit }
        let attrs = mapping.attributes(for: style)
        var pair: Int32 = 0
        if colorDepth != .none {
            let (fg, bg) = mapping.colorNumbers(for: style)
            let a = pairs.pair(fg: fg, bg: bg)
            if a.didReset {
                styleCache.removeAll()
                pairsReset = true
            }
            if a.isNew { _ = init_extended_pair(a.pair, fg, bg) }
            pair = a.pair
        }
        styleCache[style] = (attrs, pair)
        return (attrs, pair)
    }
}
