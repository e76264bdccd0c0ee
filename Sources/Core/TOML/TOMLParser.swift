/// A TOML 1.0 parser (https://toml.io/en/v1.0.0) that reports, never traps: every problem is a
/// `TOMLError` with a message and a line. It reads bytes and does no I/O. Nesting (arrays, inline
/// tables, dotted keys, headers) deeper than `TOMLNode.maxDepth` is an error, so hostile input cannot
/// exhaust the stack.
///
/// Public API:
///   TOML.parse(_ text: String) throws(TOMLError) -> TOMLTable
///   TOML.parse(bytes:) throws(TOMLError) -> TOMLTable        (checks the bytes are UTF-8 first)
//   TOML.show(key:) -> String                                (a key path, printable, for messages)
//   TOML.printable(_:) -> String                             (control characters as \uXXXX)
public enum TOML {
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try parse(bytes: Array(text.utf8))
    }

    /// A key path as messages show it: bare keys plain, others quoted, control characters escaped, shortened.
    public static func show(key path: [String]) -> String { TOMLNode.show(path) }

    /// Text from a file made safe for a one-line message: control characters become `\uXXXX`.
    public static func printable(_ text: String) -> String { TOMLNode.printable(text) }

    public static func parse(bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var p = TOMLParser(bytes)
        do throws(TOMLParser.Failure) {
            if let bad = UTF8Check.firstInvalidByte(in: bytes) {
                throw TOMLParser.Failure("invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))", at: bad)
            }
            try p.document()
        } catch {
            throw TOMLError(error.message, line: p.line(at: error.offset))
        }
        return p.root.value().table ?? TOMLTable()
    }
}

struct TOMLParser {
    struct Failure: Error {
        var message: String
        var offset: Int
        init(_ message: String, at offset: Int) { self.message = message; self.offset = offset }
    }

    let bytes: [UInt8]
    var i = 0
    let root = TOMLNode(.table(.header), depth: 0)
    private var current: TOMLNode

    /// Offsets of every LF, so a key's line costs a binary search, not a rescan.
    private let newlines: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var newlines: [Int] = []
        for k in bytes.indices where bytes[k] == 0x0A { newlines.append(k) }
        self.newlines = newlines
        current = root
    }

    // MARK: - Cursor

    func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    func fail(_ message: String) -> Failure { Failure(message, at: i) }

    /// What is at the cursor, for "expected X, found Y" messages.
    func found() -> String {
        guard let c = peek() else { return "the end of the file" }
        switch c {
        case 0x0A, 0x0D: return "the end of the line"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(c)))'"
        case 0x20: return "a space"
        case 0x09: return "a tab"
        default: return c < 0x80 ? "control character 0x\(String(c, radix: 16, uppercase: true))" : "'\(peekScalar())'"
        }
    }

    private func peekScalar() -> String {
        let end = min(bytes.count, i + 4)
        return String(decoding: bytes[i..<end], as: UTF8.self).prefix(1).description
    }

    /// 1-based line of a byte offset: one more than the newlines before it (binary search).
    func line(at offset: Int) -> Int {
        var lo = 0, hi = newlines.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if newlines[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo + 1
    }

    static func isBare(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    /// Control characters TOML allows nowhere but as escapes (tab is fine).
    static func isControl(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    mutating func skipSpaces() {
        while let c = peek(), c == 0x20 || c == 0x09 { i += 1 }
    }

    /// A `#` comment up to (not including) the end of the line.
    mutating func comment() throws(Failure) {
        i += 1
        while i < bytes.count {
            let c = bytes[i]
            if (c >= 0x20 && c != 0x7F) || c == 0x09 { i += 1; continue }
            if c == 0x0A || (c == 0x0D && peek(1) == 0x0A) { return }
            throw fail("control character 0x\(String(c, radix: 16, uppercase: true)) in a comment")
        }
    }

    /// A newline (LF or CRLF) at the cursor, consumed; false when there is none.
    mutating func newline() -> Bool {
        if peek() == 0x0A { i += 1; return true }
        if peek() == 0x0D && peek(1) == 0x0A { i += 2; return true }
        return false
    }

    /// Spaces, newlines and comments (between the elements of an array).
    mutating func skipBlank() throws(Failure) {
        while true {
            skipSpaces()
            if peek() == UInt8(ascii: "#") { try comment() }
            if !newline() { return }
        }
    }

    // MARK: - Document

    mutating func document() throws(Failure) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while true {
            skipSpaces()
            guard let c = peek() else { return }
            if c == UInt8(ascii: "[") {
                try header()
            } else if c != UInt8(ascii: "#") && c != 0x0A && c != 0x0D {
                try keyValue(into: current)
            }
            try endOfLine()
        }
    }

    /// After an expression: spaces, an optional comment, then a newline or the end of the file.
    private mutating func endOfLine() throws(Failure) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") { try comment() }
        guard peek() != nil, !newline() else { return }
        if peek() == 0x0D { throw fail("a carriage return must be followed by a newline") }
        throw fail("expected the end of the line, found \(found())")
    }

    /// `[a.b]` or `[[a.b]]`.
    private mutating func header() throws(Failure) {
        let start = i
        i += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { i += 1 }
        skipSpaces()
        let path = try key()
        skipSpaces()
        let close = isArray ? "]]" : "]"
        guard peek() == UInt8(ascii: "]"), !isArray || peek(1) == UInt8(ascii: "]") else {
            throw fail("expected '\(close)' after the table name, found \(found())")
        }
        i += close.count
        do {
            current = isArray ? try root.appendTable(path, line: line(at: start))
                              : try root.defineTable(path, line: line(at: start))
        } catch {
            throw Failure(error.message, at: start)
        }
    }

    /// `key = value` into `table`.
    mutating func keyValue(into table: TOMLNode) throws(Failure) {
        let start = i
        let path = try key()
        skipSpaces()
        guard peek() == UInt8(ascii: "=") else { throw fail("expected '=' after a key, found \(found())") }
        i += 1
        skipSpaces()
        let value = try value(depth: table.depth + path.count)
        do { try table.assign(path, value, line: line(at: start)) } catch { throw Failure(error.message, at: start) }
    }

    /// A bare, quoted or dotted key.
    private mutating func key() throws(Failure) -> [String] {
        var parts = [try simpleKey()]
        while true {
            let save = i
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { i = save; return parts }
            i += 1
            skipSpaces()
            parts.append(try simpleKey())
            if parts.count > TOMLNode.maxDepth { throw fail(TOMLNode.tooDeep) }
        }
    }

    private mutating func simpleKey() throws(Failure) -> String {
        let start = i
        switch peek() {
        case UInt8(ascii: "\"")?:
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") { throw fail("a key cannot be a multi-line string") }
            return try basicString()
        case UInt8(ascii: "'")?:
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") { throw fail("a key cannot be a multi-line string") }
            return try literalString()
        default:
            while let c = peek(), Self.isBare(c) { i += 1 }
            guard i > start else { throw fail("expected a key, found \(found())") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
    }

    // MARK: - Values

    /// A value whose node sits at `depth`.
    private mutating func value(depth: Int) throws(Failure) -> TOMLNode {
        guard depth <= TOMLNode.maxDepth else { throw fail(TOMLNode.tooDeep) }
        func leaf(_ v: TOMLValue) -> TOMLNode { TOMLNode(.value(v), depth: depth) }
        switch peek() {
        case nil: throw fail("expected a value, found the end of the file")
        case UInt8(ascii: "\"")?:
            let multi = peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
            return leaf(.string(multi ? try multilineBasicString() : try basicString()))
        case UInt8(ascii: "'")?:
            let multi = peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'")
            return leaf(.string(multi ? try multilineLiteralString() : try literalString()))
        case UInt8(ascii: "[")?: return try array(depth: depth)
        case UInt8(ascii: "{")?: return try inlineTable(depth: depth)
        default: return leaf(try scalar())
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> TOMLNode {
        i += 1
        let node = TOMLNode(.array, depth: depth)
        while true {
            try skipBlank()
            if peek() == UInt8(ascii: "]") { i += 1; return node }
            node.items.append(try value(depth: depth + 1))
            try skipBlank()
            switch peek() {
            case UInt8(ascii: ",")?: i += 1
            case UInt8(ascii: "]")?: i += 1; return node
            default: throw fail("expected ',' or ']' in an array, found \(found())")
            }
        }
    }

    /// `{ a = 1, b.c = 2 }`: on one line, no trailing comma (TOML 1.0).
    private mutating func inlineTable(depth: Int) throws(Failure) -> TOMLNode {
        i += 1
        let node = TOMLNode(.table(.inline), depth: depth)
        skipSpaces()
        if peek() == UInt8(ascii: "}") { i += 1; return node }
        while true {
            skipSpaces()
            try keyValue(into: node)
            skipSpaces()
            switch peek() {
            case UInt8(ascii: ",")?: i += 1
            case UInt8(ascii: "}")?: i += 1; return node
            default: throw fail("expected ',' or '}' in an inline table, found \(found())")
            }
        }
    }
}
