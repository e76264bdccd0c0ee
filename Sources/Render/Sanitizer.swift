// Turns untrusted text (log bytes, task titles, transcripts) into display-safe styled runs.
//
// Public API:
//   struct Sanitizer(style: Style = .plain, options: Options = .init())
//     mutating sanitize(_ text: String) -> [StyledRun]
//     mutating sanitize(bytes: [UInt8]) / sanitize(data: Data) / sanitize(buffer: UnsafeBufferPointer<UInt8>)
//     currentStyle — SGR state carried from one line to the next (logs colour across lines)
//   Sanitizer.Options — parseSGR, tabStop, showEscapes, maxColumns, trimTrailingCR
//   Sanitizer.runs(_ text:style:options:) / runs(bytes:style:options:) — one-shot
//   Sanitizer.lines(_ text:style:options:) -> [[StyledRun]] — split on "\n", SGR carried over
//   Sanitizer.plain(_ text:) -> String — placeholders as text, no styles (titles, status lines)
//
// Guarantee: the output contains no C0/C1 control, no DEL, no ESC, no bidi override or isolate,
// and only valid UTF-8. Controls become dim caret placeholders (`^[`, `^M`, `^H`, `^?`, C1 as
// `^[` + its 7-bit letter), escape sequences are consumed whole and shown as a short dim
// placeholder (`^[[2J`, `^[]52…`, `^[P…`) or dropped (SGR when not parsed, OSC 8 hyperlinks,
// charset designations), bidi controls show as `<U+202E>`, invalid UTF-8 becomes U+FFFD.
// One pass over the bytes: linear in the input, so 1 MB lines are fine.

import Foundation

public struct Sanitizer: Sendable {
    public struct Options: Sendable {
        /// Map SGR colours/attributes into styles; when false SGR sequences are silently dropped.
        public var parseSGR: Bool
        /// Expand tabs to the next multiple of this column; nil turns a tab into one space.
        public var tabStop: Int?
        /// Show a dim placeholder for escape sequences other than SGR; false drops them.
        public var showEscapes: Bool
        /// Stop after this many columns (a viewport only needs its width of a 1 MB line).
        public var maxColumns: Int?
        /// Drop one `\r` at the very end (CRLF files split on `\n`).
        public var trimTrailingCR: Bool

        public init(parseSGR: Bool = false, tabStop: Int? = nil, showEscapes: Bool = true,
                    maxColumns: Int? = nil, trimTrailingCR: Bool = true) {
            self.parseSGR = parseSGR; self.tabStop = tabStop; self.showEscapes = showEscapes
            self.maxColumns = maxColumns; self.trimTrailingCR = trimTrailingCR
        }
        public static let `default` = Options()
        /// For log lines: colours kept, tabs expanded to 8.
        public static let log = Options(parseSGR: true, tabStop: 8)
    }

    public var options: Options
    /// The style text starts in; SGR reset returns here.
    public var baseStyle: Style
    /// Current SGR style, carried across calls.
    public var currentStyle: Style

    public init(style: Style = .plain, options: Options = .default) {
        self.options = options
        self.baseStyle = style
        self.currentStyle = style
    }

    // MARK: - Entry points

    public mutating func sanitize(_ text: String) -> [StyledRun] {
        // Fast path: printable ASCII needs no copy.
        if currentStyle == baseStyle, options.maxColumns == nil, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text.isEmpty ? [] : [StyledRun(text, style: currentStyle)]
        }
        var t = text
        return t.withUTF8 { sanitize(buffer: $0) }
    }

    public mutating func sanitize(bytes: [UInt8]) -> [StyledRun] {
        bytes.withUnsafeBufferPointer { sanitize(buffer: $0) }
    }

    public mutating func sanitize(data: Data) -> [StyledRun] {
        data.withUnsafeBytes { sanitize(buffer: $0.bindMemory(to: UInt8.self)) }
    }

    public mutating func sanitize(buffer: UnsafeBufferPointer<UInt8>) -> [StyledRun] {
        var scanner = Scanner(input: buffer, options: options, base: baseStyle, style: currentStyle)
        scanner.run()
        currentStyle = scanner.out.style
        scanner.out.flush()
        return scanner.out.runs
    }

    public static func runs(_ text: String, style: Style = .plain, options: Options = .default) -> [StyledRun] {
        var s = Sanitizer(style: style, options: options)
        return s.sanitize(text)
    }

    public static func runs(bytes: [UInt8], style: Style = .plain, options: Options = .default) -> [StyledRun] {
        var s = Sanitizer(style: style, options: options)
        return s.sanitize(bytes: bytes)
    }

    /// Splits on `\n` and sanitises each line, carrying SGR state from line to line.
    public static func lines(_ text: String, style: Style = .plain, options: Options = .log) -> [[StyledRun]] {
        var s = Sanitizer(style: style, options: options)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { s.sanitize(String($0)) }
    }

    /// Display-safe text without styles (placeholders included as plain text).
    public static func plain(_ text: String, options: Options = .default) -> String {
        runs(text, options: options).plainText
    }
}

// MARK: - Output accumulator

struct RunBuilder {
    var runs: [StyledRun] = []
    var bytes: [UInt8] = []
    var style: Style
    var column = 0
    var maxColumns: Int
    var full: Bool { column >= maxColumns }

    init(style: Style, maxColumns: Int?) {
        self.style = style
        self.maxColumns = maxColumns ?? Int.max
    }

    mutating func setStyle(_ s: Style) {
        if s != style { flush(); style = s }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        runs.append(StyledRun(String(decoding: bytes, as: UTF8.self), style: style))
        bytes.removeAll(keepingCapacity: true)
    }

    /// Printable ASCII bytes, cut at maxColumns.
    mutating func appendASCII(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) {
        let room = maxColumns - column
        let end = room >= to - from ? to : from + room
        guard end > from else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[from..<end]))
        column += end - from
    }

    /// One already-validated scalar's bytes.
    mutating func appendScalar(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ len: Int, width: Int) {
        if width > 0 && column + width > maxColumns { column = maxColumns; return }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[from..<(from + len)]))
        column += width
    }

    mutating func appendText(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        column += DisplayWidth.of(s)
    }

    /// A dim marker for something that was in the input but must not reach the terminal.
    mutating func placeholder(_ s: String) {
        guard !full else { return }
        let saved = style
        setStyle(saved.with(dim: true))
        let room = maxColumns - column
        appendText(s.count <= room ? s : String(s.prefix(room)))
        setStyle(saved)
    }
}

// MARK: - Scanner

struct Scanner {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    let options: Sanitizer.Options
    let base: Style
    var out: RunBuilder
    var combining = 0  // consecutive combining marks on the current base (caps "zalgo" stacks)

    init(input: UnsafeBufferPointer<UInt8>, options: Sanitizer.Options, base: Style, style: Style) {
        p = input
        var count = input.count
        if options.trimTrailingCR, count > 0, input[count - 1] == 0x0D { count -= 1 }
        n = count
        self.options = options
        self.base = base
        out = RunBuilder(style: style, maxColumns: options.maxColumns)
    }

    mutating func run() {
        var i = 0
        while i < n && !out.full {
            let b = p[i]
            if b >= 0x20 && b < 0x7F {
                var j = i + 1
                while j < n, p[j] >= 0x20, p[j] < 0x7F { j += 1 }
                out.appendASCII(p, i, j)
                combining = 0
                i = j
                continue
            }
            if b < 0x80 {
                i = control(b, at: i)
                continue
            }
            guard let (v, len) = UTF8Decode.scalar(p, i, n) else {
                out.appendText("\u{FFFD}")
                combining = 0
                i += UTF8Decode.invalidLength(p, i, n)
                continue
            }
            i = scalar(v, at: i, len: len)
        }
    }

    /// C0 controls and DEL. Returns the next index.
    mutating func control(_ b: UInt8, at i: Int) -> Int {
        combining = 0
        switch b {
        case 0x1B:
            return Escapes.escape(&self, at: i)
        case 0x09:
            if let stop = options.tabStop, stop > 0 {
                let spaces = stop - out.column % stop
                out.appendText(String(repeating: " ", count: spaces))
            } else {
                out.appendText(" ")
            }
        case 0x7F:
            out.placeholder("^?")
        default:
            out.placeholder("^" + String(UnicodeScalar(b + 0x40)))
        }
        return i + 1
    }

    /// A decoded non-ASCII scalar. Returns the next index.
    mutating func scalar(_ v: UInt32, at i: Int, len: Int) -> Int {
        if v < 0xA0 {  // C1 controls in their UTF-8 form: some terminals act on them
            combining = 0
            return Escapes.c1(&self, v, after: i + len)
        }
        if Self.isBidiOrSeparator(v) {
            combining = 0
            out.placeholder("<U+" + String(v, radix: 16, uppercase: true) + ">")
            return i + len
        }
        let w = DisplayWidth.of(Unicode.Scalar(v)!)
        if w == 0 {
            let props = Unicode.Scalar(v)!.properties
            if props.generalCategory == .format && v != 0x200C && v != 0x200D {
                return i + len  // invisible format characters (ZWSP, BOM, tags…) are dropped
            }
            combining += 1
            if combining > 4 { return i + len }
        } else {
            combining = 0
        }
        out.appendScalar(p, i, len, width: w)
        return i + len
    }

    static func isBidiOrSeparator(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            || v == 0x061C || v == 0x2028 || v == 0x2029
    }
}

// MARK: - UTF-8 decoding

enum UTF8Decode {
    /// Decodes one well-formed scalar at i; nil when ill-formed.
    @inline(__always)
    static func scalar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int)? {
        let b0 = p[i]
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> UInt32? {
            guard i + k < n else { return nil }
            let b = p[i + k]
            return b >= lo && b <= hi ? UInt32(b & 0x3F) : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return nil }
            return (UInt32(b0 & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80, hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard let c1 = cont(1, lo, hi), let c2 = cont(2) else { return nil }
            return (UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
        case 0xF0...0xF4:
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80, hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard let c1 = cont(1, lo, hi), let c2 = cont(2), let c3 = cont(3) else { return nil }
            return (UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
        default:
            return nil
        }
    }

    /// Length of the maximal ill-formed subpart at i (one U+FFFD per subpart, as Unicode advises).
    static func invalidLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let b0 = p[i]
        let need: Int, lo: UInt8, hi: UInt8
        switch b0 {
        case 0xC2...0xDF: need = 1; lo = 0x80; hi = 0xBF
        case 0xE0: need = 2; lo = 0xA0; hi = 0xBF
        case 0xED: need = 2; lo = 0x80; hi = 0x9F
        case 0xE1...0xEF: need = 2; lo = 0x80; hi = 0xBF
        case 0xF0: need = 3; lo = 0x90; hi = 0xBF
        case 0xF4: need = 3; lo = 0x80; hi = 0x8F
        case 0xF1...0xF3: need = 3; lo = 0x80; hi = 0xBF
        default: return 1
        }
        var k = 1
        while k <= need, i + k < n {
            let b = p[i + k]
            let ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF)
            if !ok { break }
            k += 1
        }
        return k
    }
}
