import Foundation

/// A JSON parser straight from UTF-8 bytes to `JSONValue`. Transcripts are millions of small documents, and
/// going through `Decodable` (which tries each type in turn and throws on every miss) made parsing the
/// slowest part of an import. Strict about the grammar (RFC 8259); nesting deeper than `maxDepth` is
/// refused rather than allowed to exhaust the stack.
public struct JSONParser {
    public static let maxDepth = 512

    /// The document in `bytes`, or nil when they are not exactly one JSON value (whitespace around it allowed).
    public static func parse<C: Collection>(_ bytes: C) -> JSONValue? where C.Element == UInt8 {
        if let v = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) { return v }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var p = JSONParser(b: buffer)
        p.skipSpace()
        guard let v = p.value(depth: 0) else { return nil }
        p.skipSpace()
        guard p.i == buffer.count else { return Optional<JSONValue>.none }  // (a bare `nil` here would be JSON null)
        return v
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard i < b.count, depth < Self.maxDepth else { return nil }
        switch b[i] {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    private mutating func literal(_ word: StaticString, _ v: JSONValue) -> JSONValue? {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { return nil }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { return nil }
        i += n
        return v
    }

    private mutating func object(depth: Int) -> JSONValue? {
        i += 1  // {
        var out: [String: JSONValue] = [:]
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard let v = value(depth: depth) else { return nil }
            out[key] = v
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
            return nil
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        i += 1  // [
        var out: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
        while true {
            skipSpace()
            guard let v = value(depth: depth) else { return nil }
            out.append(v)
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
            return nil
        }
    }

    /// A string starting at the opening quote. Runs without escapes are decoded in one piece.
    private mutating func string() -> String? {
        i += 1  // "
        var start = i
        var scalars: String?  // only built once an escape is met
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let tail = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                i += 1
                return scalars.map { $0 + tail } ?? tail
            }
            if c < 0x20 { return nil }  // raw control characters are not allowed in JSON strings
            if c != UInt8(ascii: "\\") { i += 1; continue }
            var s = scalars ?? ""
            s += String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            i += 1
            guard i < b.count else { return nil }
            switch b[i] {
            case UInt8(ascii: "\""): s += "\""
            case UInt8(ascii: "\\"): s += "\\"
            case UInt8(ascii: "/"): s += "/"
            case UInt8(ascii: "b"): s += "\u{08}"
            case UInt8(ascii: "f"): s += "\u{0C}"
            case UInt8(ascii: "n"): s += "\n"
            case UInt8(ascii: "r"): s += "\r"
            case UInt8(ascii: "t"): s += "\t"
            case UInt8(ascii: "u"):
                guard let u = hex4(at: i + 1) else { return nil }
                i += 4
                if (0xD800...0xDBFF).contains(u), i + 6 < b.count, b[i + 1] == UInt8(ascii: "\\"), b[i + 2] == UInt8(ascii: "u"),
                   let low = hex4(at: i + 3), (0xDC00...0xDFFF).contains(low) {
                    i += 6
                    s.unicodeScalars.append(Unicode.Scalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))!)
                } else {
                    s.unicodeScalars.append(Unicode.Scalar(u) ?? "\u{FFFD}")  // a lone surrogate
                }
            default: return nil
            }
            i += 1
            start = i
            scalars = s
        }
        return nil
    }

    private func hex4(at k: Int) -> UInt32? {
        guard k + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            let c = b[j]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() -> JSONValue? {
        let start = i
        func digits() -> Int { let s = i; while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }; return i - s }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { return nil }
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1; guard digits() > 0 else { return nil } }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        return Double(text).map { .number($0) }
    }
}
