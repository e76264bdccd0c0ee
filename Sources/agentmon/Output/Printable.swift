import Render

/// Untrusted text on its way to a terminal through plain stdout: escape and control sequences are made
/// visible by the same sanitiser the dashboard uses. Sanitising twice changes nothing (placeholders are
/// printable ASCII), so a line built from sanitised cells may go through `text` again.
enum Printable {
    /// One cell or one line: a newline becomes a space.
    static func cell(_ s: String) -> String { Sanitizer.plain(s.replacingOccurrences(of: "\n", with: " ")) }
    /// Text of many lines: each line sanitised, the newlines kept.
    static func text(_ s: String) -> String {
        guard s.contains("\n") else { return Sanitizer.plain(s) }
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitizer.plain(String($0)) }.joined(separator: "\n")
    }
}
