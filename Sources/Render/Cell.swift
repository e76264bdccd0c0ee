// One terminal cell and runs of styled text.
//
// Public API:
//   struct Cell      — grapheme (String) + style; `Cell.blank`, `Cell.continuation(style)`,
//                      `isContinuation`, `width`
//   struct StyledRun — text + style, the unit that sanitised text travels in
//   [StyledRun].displayWidth / .plainText

import Foundation

/// One column of the screen. A wide (2-column) grapheme lives in its cell and the cell to its
/// right holds a continuation marker (empty grapheme) that the backend never draws.
///
/// Plain data (no reference inside): a frame's buffers are copied, shifted and compared as bytes, without
/// reference counting. A String grapheme made every cell copy a retain and a release, a fifth of a frame's CPU.
public struct Cell: Hashable, Sendable {
    var glyph: Glyph
    public var style: Style

    public init(_ grapheme: String = " ", style: Style = .plain) {
        self.glyph = Glyph(grapheme)
        self.style = style
    }

    public var grapheme: String {
        get { glyph.string }
        set { glyph = Glyph(newValue) }
    }

    public static let blank = Cell(" ")

    /// The right half of a wide grapheme.
    public static func continuation(_ style: Style = .plain) -> Cell { Cell("", style: style) }

    public var isContinuation: Bool { glyph.isEmpty }

    /// Columns this cell's grapheme covers (0 for a continuation).
    public var width: Int {
        if let b = glyph.ascii { return b >= 0x20 && b < 0x7F ? 1 : max(1, DisplayWidth.of(grapheme)) }
        return glyph.isEmpty ? 0 : max(1, DisplayWidth.of(grapheme))
    }

    /// The grapheme's one byte when it is a single ASCII character (most cells).
    public var asciiByte: UInt8? { glyph.ascii }
}

/// A grapheme in 16 bytes: up to 15 UTF-8 bytes in place, the count in the last byte; a longer one (an emoji
/// sequence, a letter with several marks) as its number in `LongGraphemes`, marked by 0xFF there. One
/// grapheme has one encoding, so equal bits are equal graphemes.
struct Glyph: Hashable, Sendable {
    var lo: UInt64
    var hi: UInt64

    static let long: UInt64 = 0xFF << 56

    init(_ s: String) {
        var s = s
        let n = s.utf8.count
        if n <= 15 {
            var lo: UInt64 = 0, hi: UInt64 = 0
            s.withUTF8 { u in
                for i in 0..<min(n, 8) { lo |= UInt64(u[i]) << (8 * UInt64(i)) }
                for i in 8..<max(8, n) { hi |= UInt64(u[i]) << (8 * UInt64(i - 8)) }
            }
            self.lo = lo; self.hi = hi | UInt64(n) << 56
        } else if let index = LongGraphemes.shared.index(of: s) {
            lo = UInt64(index); hi = Self.long
        } else {
            lo = 0xBD_BF_EF; hi = 3 << 56  // U+FFFD: the table is full (text made to fill it)
        }
    }

    var isEmpty: Bool { lo == 0 && hi == 0 }

    var ascii: UInt8? { hi == 1 << 56 && lo < 0x80 ? UInt8(lo) : nil }

    var string: String {
        if hi == Self.long { return LongGraphemes.shared.grapheme(Int(lo)) }
        let n = Int(hi >> 56)
        if n == 0 { return "" }
        return withUnsafeBytes(of: (lo, hi)) { String(decoding: $0.prefix(n), as: UTF8.self) }
    }
}

/// The graphemes too long for a cell's 15 bytes, each kept once for the life of the process. Bounded: past
/// `limit` different ones (text made to fill it) a cell shows U+FFFD instead.
final class LongGraphemes: @unchecked Sendable {
    static let shared = LongGraphemes(limit: 1 << 16)
    let limit: Int
    private let lock = NSLock()
    private var list: [String] = []
    private var numbers: [String: Int] = [:]

    init(limit: Int) { self.limit = limit }

    func index(of s: String) -> Int? {
        lock.lock(); defer { lock.unlock() }
        if let i = numbers[s] { return i }
        guard list.count < limit else { return nil }
        list.append(s)
        numbers[s] = list.count - 1
        return list.count - 1
    }

    func grapheme(_ i: Int) -> String {
        lock.lock(); defer { lock.unlock() }
        return i < list.count ? list[i] : "\u{FFFD}"
    }
}

/// A piece of display-safe text with one style. Produced by `Sanitizer`; widgets take arrays of
/// them as "lines".
public struct StyledRun: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

extension Array where Element == StyledRun {
    /// Total column width of the runs.
    public var displayWidth: Int { reduce(0) { $0 + DisplayWidth.of($1.text) } }

    /// The text without styles.
    public var plainText: String { map(\.text).joined() }

    /// The same runs with every style replaced (used for selected rows: always readable).
    public func restyled(_ style: Style) -> [StyledRun] { map { StyledRun($0.text, style: style) } }
}

/// One line of styled text (what lists, tables and text views draw per row).
public typealias StyledLine = [StyledRun]
