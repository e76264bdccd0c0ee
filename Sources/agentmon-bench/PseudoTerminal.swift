import Foundation
import CBenchSupport

/// A pseudo-terminal standing in for the user's terminal: the process's stdin and stdout become its
/// slave side, the benchmark types into and reads from the master side.
final class PseudoTerminal: @unchecked Sendable {
    let master: Int32
    let slave: Int32
    private let savedIn: Int32, savedOut: Int32

    init(width: Int, height: Int) throws {
        var name = [CChar](repeating: 0, count: 128)
        master = bench_open_pty_master(&name, name.count)
        guard master >= 0 else { throw BenchError("cannot open a pseudo-terminal") }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        slave = open(path, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw BenchError("cannot open \(path)") }
        _ = bench_set_winsize(slave, Int32(height), Int32(width))
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        savedIn = dup(0); savedOut = dup(1)
        dup2(slave, 0); dup2(slave, 1)
    }

    /// The real stdout, for the results.
    var resultFD: Int32 { savedOut }

    func restore() {
        dup2(savedIn, 0); dup2(savedOut, 1)
    }

    func type(_ s: String) { _ = s.withCString { write(master, $0, strlen($0)) } }

    // A reader thread empties the master side as the program writes (a pty holds only a few KiB),
    // counting the bytes.
    private let lock = NSLock()
    private var total = 0, mark = 0, stopped = false

    /// Kernel thread id of the reader, so idle figures can leave it out.
    private(set) var readerTid: Int32 = 0

    func startReading() {
        let started = DispatchSemaphore(value: 0)
        Thread { [self] in
            readerTid = Stats.tid()
            started.signal()
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
                _ = poll(&fds, 1, 500)
                lock.lock()
                if stopped { lock.unlock(); return }
                while true {
                    let n = read(master, &buf, buf.count)
                    if n > 0 { total += n } else { break }
                }
                lock.unlock()
            }
        }.start()
        started.wait()
    }

    func stopReading() { lock.lock(); stopped = true; lock.unlock() }

    /// Waits until everything the program wrote so far has been read; returns the bytes since the last call.
    @discardableResult
    func drain() -> Int {
        while bench_bytes_readable(master) > 0 { sched_yield() }
        lock.lock(); defer { lock.unlock() }
        while true {  // bytes that arrived between the check and the lock
            var buf = [UInt8](repeating: 0, count: 65536)
            let n = read(master, &buf, buf.count)
            if n > 0 { total += n } else { break }
        }
        let n = total - mark
        mark = total
        return n
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
