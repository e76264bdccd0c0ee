/// The one rule for agent slugs, shared by the CLI, the repository and any other caller: 1 to 64 of
/// `a-z 0-9 . _ -`. Slugs are printed everywhere (lists, errors, `AGENT:KEY` references, log folders), so
/// they hold nothing a terminal or a path could act on.
public enum AgentSlug {
    public static let maxLength = 64
    public static let rule = "1 to 64 characters of a-z, 0-9, '.', '_' and '-'"

    public static func isValid(_ slug: String) -> Bool {
        let u = slug.utf8
        return !u.isEmpty && u.count <= maxLength && u.allSatisfy { b in
            (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2E || b == 0x5F || b == 0x2D
        }
    }

    /// Throws `AgentSlug.Invalid` naming the rule.
    public static func validate(_ slug: String) throws {
        guard isValid(slug) else { throw Invalid(slug: slug) }
    }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let slug: String
        public init(slug: String) { self.slug = slug }
        /// The slug may be hostile: whoever prints this sanitises it (the CLI and the dashboard both do).
        public var description: String {
            let shown = slug.count > 80 ? String(slug.prefix(80)) + "…" : slug
            return "invalid agent slug '\(shown)': use \(AgentSlug.rule)"
        }
    }
}
