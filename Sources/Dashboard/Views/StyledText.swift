import Foundation
import Render

/// Styled runs for the views: untrusted text always goes through the sanitiser, the dashboard's own
/// words do not need to.
enum Styled {
    /// Untrusted text as one safe run (escapes made visible, control characters shown).
    static func untrusted(_ text: String, _ style: Style) -> [StyledRun] { Sanitizer.runs(text, style: style) }
    /// Trusted text the dashboard wrote itself.
    static func literal(_ text: String, _ style: Style) -> StyledRun { StyledRun(text, style: style) }
    /// Untrusted multi-line text, one line per element, wrapped to `width`.
    static func paragraph(_ text: String, _ style: Style, width: Int) -> [StyledLine] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [StyledLine] in
            let runs = Sanitizer.runs(String(line), style: style, options: Sanitizer.Options(tabStop: 4))
            return runs.isEmpty ? [[]] : TextLayout.wrap(runs, width: max(10, width))
        }
    }
}
