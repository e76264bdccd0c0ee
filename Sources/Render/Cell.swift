// One terminal cell and runs of styled text.
//
// Public API:
//   struct Cell      — grapheme (String) + style; `Cell.blank`, `Cell.continuation(style)`,
//                      `isContinuation`, `width`
//   struct StyledRun — text + style, the unit that sanitised text travels in
//   [StyledRun].displayWidth / .plainText

/// One column of the screen. A wide (2-column) grapheme lives in its cell and the cell to its
/// right holds a continuation marker (empty grapheme) that the backend never draws.
public struct Cell: Hashable, Sendable {
    public var grapheme: String
    public var style: Style

    public init(_ grapheme: String = " ", style: Style = .plain) {
        self.grapheme = grapheme
        self.style = style
    }

    public static let blank = Cell(" ")

    /// The right half of a wide grapheme.
    public static func continuation(_ style: Style = .plain) -> Cell { Cell("", style: style) }

    public var isContinuation: Bool { grapheme.isEmpty }

    /// Columns this cell's grapheme covers (0 for a continuation).
    public var width: Int { grapheme.isEmpty ? 0 : max(1, DisplayWidth.of(grapheme)) }
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
