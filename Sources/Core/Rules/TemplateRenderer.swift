import Foundation

/// Renders `{{placeholder}}` templates. Command tokens render one token into exactly one argv element:
/// a value is never split or interpreted by a shell, whatever characters it holds.
public enum TemplateRenderer {
    public struct MissingValue: Error, Equatable, CustomStringConvertible {
        public let name: String
        public var description: String { "no value for placeholder {{\(name)}}" }
    }

    /// Replaces each `{{name}}` (whitespace inside the braces allowed). Unknown names throw when `strict`,
    /// else render empty.
    public static func render(_ template: String, values: [String: String], strict: Bool = true) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let v = values[name] { out += v }
            else if strict { throw MissingValue(name: name) }
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// Renders every token; the result has exactly as many elements as `tokens`.
    public static func renderArgv(_ tokens: [String], values: [String: String]) throws -> [String] {
        try tokens.map { try render($0, values: values) }
    }

    /// Placeholder names used by a template, in order of first use.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !names.contains(name) { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }
}
