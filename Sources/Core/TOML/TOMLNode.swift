/// The document while it is being parsed: a tree of reference nodes, so a `[a.b]` header can reopen a
/// table and keys can be added to it. Each table remembers how it came to be, which is what TOML's
/// rules against defining a table twice are about.
final class TOMLNode {
    enum Kind {
        case value(TOMLValue)
        case array
        case table(Origin)
        case tableArray
    }

    enum Origin: Equatable {
        /// Made on the way to a deeper `[a.b.c]` header; a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` (or an element of an `[[array]]`).
        case header
        /// Made by a dotted key `a.b = 1`.
        case dotted
        /// `{ … }`: closed once written.
        case inline
    }

    struct Conflict: Error { var message: String }

    /// Deeper than this is refused: it keeps the parser's (and the conversion's) recursion bounded.
    static let maxDepth = 100

    var kind: Kind
    let depth: Int
    private(set) var keys: [String] = []
    private(set) var children: [String: TOMLNode] = [:]
    private var lines: [String: Int] = [:]
    var items: [TOMLNode] = []

    init(_ kind: Kind, depth: Int) { self.kind = kind; self.depth = depth }

    @discardableResult
    func add(_ key: String, _ node: TOMLNode, line: Int) throws(Conflict) -> TOMLNode {
        guard node.depth <= Self.maxDepth else { throw Conflict(message: Self.tooDeep) }
        keys.append(key)
        children[key] = node
        lines[key] = line
        return node
    }

    static let tooDeep = "nesting deeper than \(maxDepth) levels"

    /// `a.b.c = value` in this table. `a` and `b` may be missing (then they are made) or tables that
    /// dotted keys made; anything else was defined already.
    func assign(_ path: [String], _ value: TOMLNode, line: Int) throws(Conflict) {
        var table = self
        for (n, key) in path.dropLast().enumerated() {
            guard let next = table.children[key] else {
                table = try table.add(key, TOMLNode(.table(.dotted), depth: table.depth + 1), line: line)
                continue
            }
            guard case .table(let origin) = next.kind, origin == .dotted || origin == .implicit else {
                throw Conflict(message: "\(Self.show(path.prefix(n + 1))) is already defined; a dotted key cannot add to it")
            }
            next.kind = .table(.dotted)  // now defined: a later [header] for it is a redefinition
            table = next
        }
        guard let last = path.last else { return }
        guard table.children[last] == nil else { throw Conflict(message: "duplicate key \(Self.show(path[...]))") }
        try table.add(last, value, line: line)
    }

    /// `[a.b.c]`: the table it opens. Defining one table twice is an error.
    func defineTable(_ path: [String], line: Int) throws(Conflict) -> TOMLNode {
        let parent = try walk(path.dropLast(), line: line)
        guard let key = path.last else { return parent }
        guard let existing = parent.children[key] else {
            return try parent.add(key, TOMLNode(.table(.header), depth: parent.depth + 1), line: line)
        }
        guard case .table(.implicit) = existing.kind else {
            throw Conflict(message: "table [\(Self.show(path[...]))] is already defined")
        }
        existing.kind = .table(.header)
        return existing
    }

    /// `[[a.b.c]]`: a new table at the end of the array of tables (made if missing).
    func appendTable(_ path: [String], line: Int) throws(Conflict) -> TOMLNode {
        let parent = try walk(path.dropLast(), line: line)
        guard let key = path.last else { return parent }
        let element = TOMLNode(.table(.header), depth: parent.depth + 2)
        guard element.depth <= Self.maxDepth else { throw Conflict(message: Self.tooDeep) }
        if let existing = parent.children[key] {
            guard case .tableArray = existing.kind else {
                throw Conflict(message: "\(Self.show(path[...])) is already defined and is not an array of tables")
            }
            existing.items.append(element)
        } else {
            try parent.add(key, TOMLNode(.tableArray, depth: parent.depth + 1), line: line).items.append(element)
        }
        return element
    }

    /// Follows a header's path: through tables (made where missing) and into the last table of arrays of tables.
    private func walk(_ path: ArraySlice<String>, line: Int) throws(Conflict) -> TOMLNode {
        var table = self
        for (n, key) in path.enumerated() {
            guard let next = table.children[key] else {
                table = try table.add(key, TOMLNode(.table(.implicit), depth: table.depth + 1), line: line)
                continue
            }
            let shown = Self.show(path.prefix(n + 1))
            switch next.kind {
            case .table(.inline): throw Conflict(message: "\(shown) is an inline table; it cannot be extended")
            case .table: table = next
            case .tableArray:
                guard let last = next.items.last else { throw Conflict(message: "\(shown) is an empty array") }
                table = last
            case .value, .array: throw Conflict(message: "\(shown) is already a value, not a table")
            }
        }
        return table
    }

    /// The finished value (recursion is bounded by `maxDepth`).
    func value() -> TOMLValue {
        switch kind {
        case .value(let v): return v
        case .array, .tableArray: return .array(items.map { $0.value() })
        case .table:
            var t = TOMLTable()
            for k in keys { if let c = children[k] { t.set(k, c.value(), line: lines[k] ?? 0) } }
            return .table(t)
        }
    }

    /// A key path as a message shows it: bare keys plain, others quoted with control characters escaped.
    static func show<S: Sequence>(_ path: S) -> String where S.Element == String {
        let text = path.map { key -> String in
            let bare = !key.isEmpty && key.utf8.allSatisfy { TOMLParser.isBare($0) }
            return bare ? key : "\"" + printable(key, escaping: "\"") + "\""
        }.joined(separator: ".")
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    /// The text with control characters as `\uXXXX` (and `quote` and backslash escaped when a quote is given).
    static func printable(_ text: String, escaping quote: Character? = nil) -> String {
        var s = ""
        for u in text.unicodeScalars {
            switch u.value {
            case 0x5C where quote != nil: s += "\\\\"
            case _ where quote.map({ Character(u) == $0 }) ?? false: s += "\\" + String(u)
            case 0..<0x20, 0x7F...0x9F:
                let hex = String(u.value, radix: 16, uppercase: true)
                s += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: s.unicodeScalars.append(u)
            }
        }
        return s
    }
}
