import CNcurses
import Glibc
import Render
import SystemSupport
import Testing
@testable import Terminal

@Suite("Cell text for setcchar")
struct CellTextTests {
    init() { setlocale(LC_CTYPE, "C.UTF-8") }

    func fill(_ g: String, _ w: Int) -> ([wchar_t], Bool) {
        var buf = [wchar_t](repeating: 0, count: 6)
        let ok = CellText.fill(g, width: w, into: &buf)
        return (Array(buf.prefix { $0 != 0 }), ok)
    }

    @Test("base plus combining marks; ZWJ sequences and VS16 reduced to the first scalar")
    func shapes() {
        #expect(fill("a", 1) == ([0x61], true))
        #expect(fill("中", 2) == ([0x4E2D], true))
        #expect(fill("e\u{301}", 1) == ([0x65, 0x301], true))
        #expect(fill("❤️", 1) == ([0x2764], true))
        #expect(fill("👩‍💻", 2) == ([0x1F469], true))
        #expect(fill(" ", 1) == ([0x20], true))
    }

    @Test("a width the C library disagrees with is reported")
    func disagreement() {
        #expect(fill("a", 2).1 == false)
    }
}

@Suite("Waker and signals", .serialized)
struct RuntimeTests {
    func readable(_ fd: Int32, waitMs: Int32 = 0) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, waitMs) == 1
    }

    /// Sends a process-directed signal, as `kill` or the terminal would, and waits for the
    /// handler's byte in the pipe (test threads block signals, so the handler runs elsewhere).
    func send(_ sig: Int32, _ w: WakePipe) {
        kill(getpid(), sig)
        _ = readable(w.readFD, waitMs: 2000)
        w.drain()
    }

    @Test("wake() makes the pipe readable once; drain() empties it")
    func waker() {
        let w = WakePipe()
        #expect(!readable(w.readFD))
        w.wake(); w.wake(); w.wake()
        #expect(readable(w.readFD))
        #expect(w.drain())
        #expect(!readable(w.readFD))
        w.wake()
        #expect(readable(w.readFD))
    }

    @Test("signal handlers set flags and wake the loop; uninstall restores")
    func signals() {
        let w = WakePipe()
        func handlerAddress(_ sig: Int32) -> Int {
            var sa = sigaction()
            sigaction(sig, nil, &sa)
            return unsafeBitCast(sa.__sigaction_handler.sa_handler, to: Int.self)
        }
        let before = handlerAddress(SIGINT)
        Signals.install(wakeFD: w.writeFD)
        #expect(handlerAddress(SIGINT) != before)
        kill(getpid(), SIGWINCH)
        #expect(readable(w.readFD, waitMs: 2000))
        w.drain()
        #expect(Signals.takeResize())
        #expect(!Signals.takeResize())
        send(SIGTERM, w)
        #expect(Signals.takeQuit() == .terminate)
        send(SIGHUP, w)
        #expect(Signals.takeQuit() == .hangup)
        send(SIGINT, w)
        #expect(Signals.takeQuit() == .interrupt)
        #expect(Signals.takeQuit() == nil)
        Signals.uninstall()
        #expect(handlerAddress(SIGINT) == before)
    }
}
