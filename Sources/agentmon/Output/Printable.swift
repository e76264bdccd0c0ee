import Render

/// Untrusted text on its way to a terminal through plain stdout: escape and control sequences are made
/// visible by the same sanitiser the dashboard uses.
enum Printable {
    static func cell(_ s: String) -> String { Sanitizer.plain(s).replacingOccurrences(of: "\n", with: " ") }
    static func text(_ s: String) -> String { Sanitizer.plain(s) }
}
