import Foundation

/// Ordered approval rules applied to one permission request: the first rule whose every set field
/// matches decides. A pure function, so the worker and `agentmon rule test`-style checks agree.
public enum ApprovalRules {
    /// A regex that does not compile (only possible if the database was edited by hand) matches nothing.
    public static func firstMatch(_ rules: [ApprovalRule], agentId: ID, toolName: String, input: String) -> ApprovalRule? {
        let subjects = Self.subjects(input)
        return rules.sorted { ($0.position, $0.id) < ($1.position, $1.id) }.first { rule in
            if let a = rule.agentId, a != agentId { return false }
            if let t = rule.toolName, t.caseInsensitiveCompare(toolName) != .orderedSame { return false }
            if let pattern = rule.match {
                guard let re = compile(pattern) else { return false }
                return subjects.contains { re.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
            }
            return true
        }
    }

    /// Whether `pattern` is a usable rule pattern; the reason when not.
    public static func validate(_ pattern: String) -> String? {
        if pattern.isEmpty { return "the pattern is empty" }
        if pattern.utf8.count > 4096 { return "the pattern is longer than 4096 bytes" }
        do { _ = try NSRegularExpression(pattern: pattern) } catch { return "not a valid regular expression" }
        return nil
    }

    static func compile(_ pattern: String) -> NSRegularExpression? {
        validate(pattern) == nil ? try? NSRegularExpression(pattern: pattern) : nil
    }

    /// The input's JSON text, and every string inside it decoded (so `rm -rf` matches a Bash command
    /// whose JSON escapes slashes or quotes).
    static func subjects(_ input: String) -> [String] {
        var out = [input]
        func walk(_ v: JSONValue) {
            switch v {
            case .string(let s): out.append(s)
            case .array(let a): a.forEach(walk)
            case .object(let o): o.values.forEach(walk)
            default: break
            }
        }
        if let v = JSONParser.parse(Array(input.utf8)) { walk(v) }
        return out
    }
}
