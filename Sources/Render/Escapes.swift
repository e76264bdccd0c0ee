// Escape-sequence consumption for `Sanitizer` (ECMA-48 shapes: CSI, OSC, DCS/SOS/PM/APC strings,
// nF and two-byte escapes, and their 8-bit C1 introducers). Nothing here ever emits an escape
// byte: a sequence is either turned into style (SGR), dropped, or shown as a dim placeholder
// built from its printable bytes only.

enum Escapes {
    static let esc: UInt8 = 0x1B, bel: UInt8 = 0x07, can: UInt8 = 0x18, sub: UInt8 = 0x1A

    /// ESC at `i`. Returns the index after the consumed sequence.
    static func escape(_ s: inout Scanner, at i: Int) -> Int {
        let p = s.p, n = s.n
        guard i + 1 < n else { s.out.placeholder("^["); return i + 1 }
        let b = p[i + 1]
        switch b {
        case UInt8(ascii: "["): return csi(&s, from: i + 2)
        case UInt8(ascii: "]"): return osc(&s, from: i + 2)
        case UInt8(ascii: "P"): return string(&s, from: i + 2, label: "^[P…")
        case UInt8(ascii: "X"): return string(&s, from: i + 2, label: "^[X…")
        case UInt8(ascii: "^"): return string(&s, from: i + 2, label: "^[^…")
        case UInt8(ascii: "_"): return string(&s, from: i + 2, label: "^[_…")
        case 0x20...0x2F:
            // nF escape (charset designation such as `ESC ( B`, DECALN `ESC # 8`): drop quietly.
            var j = i + 1
            while j < n, p[j] >= 0x20, p[j] <= 0x2F { j += 1 }
            if j < n, p[j] >= 0x30, p[j] <= 0x7E { j += 1 }
            return j
        case 0x30...0x7E:
            // Two-byte escapes (ESC 7, ESC 8, ESC c = full reset, ESC M…): show which one.
            if s.options.showEscapes { s.out.placeholder("^[" + String(UnicodeScalar(b))) }
            return i + 2
        default:
            // A lone ESC before a control or non-ASCII byte: show it and rescan what follows.
            s.out.placeholder("^[")
            return i + 1
        }
    }

    /// An 8-bit C1 control (decoded from UTF-8) whose bytes end at `next`.
    static func c1(_ s: inout Scanner, _ v: UInt32, after next: Int) -> Int {
        switch v {
        case 0x9B: return csi(&s, from: next)
        case 0x9D: return osc(&s, from: next)
        case 0x90: return string(&s, from: next, label: "^[P…")
        case 0x98: return string(&s, from: next, label: "^[X…")
        case 0x9E: return string(&s, from: next, label: "^[^…")
        case 0x9F: return string(&s, from: next, label: "^[_…")
        default:
            // Shown as its 7-bit equivalent: U+0085 NEL is `ESC E`, so `^[E`.
            s.out.placeholder("^[" + String(UnicodeScalar(UInt8(v - 0x40))))
            return next
        }
    }

    /// Control Sequence: parameters 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E.
    static func csi(_ s: inout Scanner, from start: Int) -> Int {
        let p = s.p, n = s.n
        var j = start
        while j < n, p[j] >= 0x30, p[j] <= 0x3F { j += 1 }
        let paramsEnd = j
        while j < n, p[j] >= 0x20, p[j] <= 0x2F { j += 1 }
        guard j < n, p[j] >= 0x40, p[j] <= 0x7E else {
            // Unterminated or broken by a control: terminals abort it; we show what we consumed.
            if s.options.showEscapes { s.out.placeholder("^[[" + printable(p, start, j)) }
            return j
        }
        let final = p[j]
        if final == UInt8(ascii: "m") && paramsEnd == j {
            if s.options.parseSGR {
                let params = Array(UnsafeBufferPointer(rebasing: p[start..<paramsEnd]))[...]
                s.out.setStyle(SGR.apply(parameters: params, to: s.out.style, base: s.base))
            }
            return j + 1
        }
        if s.options.showEscapes { s.out.placeholder("^[[" + printable(p, start, j + 1)) }
        return j + 1
    }

    /// Operating System Command: ends at BEL or ST; unterminated runs to the end of the input.
    static func osc(_ s: inout Scanner, from start: Int) -> Int {
        let p = s.p
        var ps = ""
        var j = start
        while j < s.n, ps.count < 4, p[j] >= UInt8(ascii: "0"), p[j] <= UInt8(ascii: "9") {
            ps.append(Character(UnicodeScalar(p[j]))); j += 1
        }
        let end = stringEnd(p, from: start, n: s.n, belEnds: true)
        // OSC 8 hyperlinks wrap ordinary text: drop the markers, keep the text between them.
        if ps != "8" && s.options.showEscapes { s.out.placeholder("^[]" + ps + "…") }
        return end
    }

    /// DCS / SOS / PM / APC strings: consumed whole.
    static func string(_ s: inout Scanner, from start: Int, label: String) -> Int {
        let end = stringEnd(s.p, from: start, n: s.n, belEnds: true)
        if s.options.showEscapes { s.out.placeholder(label) }
        return end
    }

    /// Index after the terminator (BEL, ESC \, C1 ST, CAN, SUB); an ESC starting anything else
    /// aborts the string and is left to be scanned as a new sequence.
    static func stringEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int, n: Int, belEnds: Bool) -> Int {
        var j = start
        while j < n {
            let b = p[j]
            if b == bel && belEnds || b == can || b == sub { return j + 1 }
            if b == esc { return j + 1 < n && p[j + 1] == UInt8(ascii: "\\") ? j + 2 : j }
            if b == 0xC2, j + 1 < n, p[j + 1] == 0x9C { return j + 2 }  // ST as UTF-8 C1
            if b == 0x9C { return j + 1 }                                 // raw 8-bit ST
            j += 1
        }
        return n
    }

    /// Printable ASCII of a sequence body, shortened: enough to tell what it was.
    static func printable(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        var bytes: [UInt8] = []
        let len = to - from
        let limit = 12
        for k in from..<to where len <= limit || k < from + limit - 2 || k == to - 1 {
            let b = p[k]
            bytes.append(b >= 0x20 && b < 0x7F ? b : UInt8(ascii: "?"))
            if len > limit && k == from + limit - 3 { bytes.append(contentsOf: Array("…".utf8)) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
