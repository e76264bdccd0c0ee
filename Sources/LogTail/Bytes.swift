// Byte scanning primitives on raw buffers: the hot loops of the index, the tail and the search.
#if canImport(Glibc)
import Glibc
#endif

let newline: UInt8 = 0x0A
let carriageReturn: UInt8 = 0x0D

enum Bytes {
    /// Newlines in `p`. Written as a branch-free sum so the optimiser vectorises it (GB/s on one core).
    @inline(__always)
    static func countNewlines(_ p: UnsafeRawBufferPointer) -> Int {
        guard let base = p.baseAddress else { return 0 }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var total = 0
        var i = 0
        let n = p.count
        // Count in blocks with a narrow accumulator: vector lanes stay 8-bit wide, which is what makes it fast.
        while i < n {
            let end = min(n, i + 255)
            var block: UInt8 = 0
            for j in i..<end { block &+= bytes[j] == newline ? 1 : 0 }
            total += Int(block)
            i = end
        }
        return total
    }

    /// Index of the first `byte` in `p[from...]`, using memchr.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in p: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        guard let base = p.baseAddress, from < p.count else { return nil }
        guard let hit = memchr(base + from, Int32(byte), p.count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Index of the last `byte` in `p[..<before]` (glibc's memrchr is not imported into Swift).
    @inline(__always)
    static func lastIndex(of byte: UInt8, in p: UnsafeRawBufferPointer, before: Int) -> Int? {
        guard let base = p.baseAddress else { return nil }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var i = min(before, p.count) - 1
        while i >= 0 {
            if bytes[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
}
