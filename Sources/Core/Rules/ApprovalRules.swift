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

    /// Whether `pattern` is a usable rule pattern; the reason when not. Rules run inside the worker on text an
    /// agent wrote, and the regex engine backtracks: a repetition inside a repeated group (`(a+)+`, `(\\w*)*`)
    /// can take exponential time on a crafted input, so such patterns are refused up front, and the text a
    /// rule searches is bounded (`maxSubjectBytes`).
    public static func validate(_ pattern: String) -> String? {
        if pattern.isEmpty { return "the pattern is empty" }
        if pattern.utf8.count > 4096 { return "the pattern is longer than 4096 bytes" }
        do { _ = try NSRegularExpression(pattern: pattern) } catch { return "not a valid regular expression" }
        if hasNestedRepetition(pattern) {
            return "a repeated group that itself repeats (like (a+)+) can take exponential time; simplify the pattern"
        }
        return nil
    }

    /// Each searched string is cut to this many bytes.
    public static let maxSubjectBytes = 64 * 1024

    /// A group containing `*`, `+` or `{n,…}` that is followed by one of those.
    static func hasNestedRepetition(_ pattern: String) -> Bool {
        let c = Array(pattern.unicodeScalars)
        var stack: [Bool] = []  // per open group: does it contain a repetition?
        var i = 0, inClass = false
        func repeats(at j: Int) -> Bool { j < c.count && (c[j] == "*" || c[j] == "+" || (c[j] == "{" && j + 1 < c.count && c[j + 1].properties.numericType != nil)) }
        while i < c.count {
            let ch = c[i]
            if ch == "\\" { i += 2; continue }
            if inClass { if ch == "]" { inClass = false }; i += 1; continue }
            switch ch {
            case "[": inClass = true
            case "(": stack.append(false)
            case ")":
                let inner = stack.popLast() ?? false
                if inner && repeats(at: i + 1) { return true }
                if inner || repeats(at: i + 1), !stack.isEmpty { stack[stack.count - 1] = true }
            default:
                if repeats(at: i), !stack.isEmpty { stack[stack.count - 1] = true }
            }
            i += 1
        }
        return false
    }

    static func compile(_ pattern: String) -> NSRegularExpression? {
        validate(pattern) == nil ? try? NSRegularExpression(pattern: pattern) : nil
    }

    /// The input's JSON text, and every string inside it decoded (so `rm -rf` matches a Bash command
    /// whose JSON escapes slashes or quotes).
    static func subjects(_ input: String) -> [String] {
        var out = [bounded(input)]
        func walk(_ v: JSONValue) {
            switch v {
            case .string(let s): out.append(bounded(s))
            case .array(let a): a.forEach(walk)
            case .object(let o): o.values.forEach(walk)
            default: break
            }
        }
        if let v = JSONParser.parse(Array(input.utf8)) { walk(v) }
        return out
    }

    static func bounded(_ s: String) -> String {
        s.utf8.count <= maxSubjectBytes ? s : String(decoding: s.utf8.prefix(maxSubjectBytes), as: UTF8.self)
    }
}
