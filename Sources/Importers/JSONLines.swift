import Foundation
import Core

/// One line of a transcript file: its JSON object, or nil when the line is not usable.
struct JSONLine {
    let number: Int
    let object: JSONValue
}

/// Splits a file into JSON-object lines. Lines that are not JSON objects (log noise, a truncated last line,
/// binary garbage, lines over `maxLineBytes`) are counted in `skipped`, never fatal. Blank lines are ignored.
struct JSONLines {
    static let maxLineBytes = 4 * 1024 * 1024

    var lines: [JSONLine] = []
    var skipped = 0

    init(data: Data) {
        var start = data.startIndex, number = 0
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            number += 1
            consume(data[start..<end], number: number)
            start = end < data.endIndex ? data.index(after: end) : end
        }
    }

    private mutating func consume(_ bytes: Data, number: Int) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        guard bytes.count <= Self.maxLineBytes, let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 }), first == UInt8(ascii: "{"),
              let v = JSONParser.parse(bytes), case .object = v else {
            skipped += 1; return
        }
        lines.append(JSONLine(number: number, object: v))
    }
}

extension JSONValue {
    /// Pretty JSON with sorted keys, for tool inputs.
    var prettyJSON: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? String(decoding: enc.encode(self), as: UTF8.self)) ?? "null"
    }

    /// Text of a content field: a string, or the text parts of an array of blocks.
    var flatText: String {
        switch self {
        case .string(let s): return s
        case .array(let a): return a.map { $0["text"]?.stringValue ?? $0.flatText }.filter { !$0.isEmpty }.joined(separator: "\n")
        case .object: return self["text"]?.stringValue ?? self["output"]?.flatText ?? jsonString
        case .null: return ""
        default: return jsonString
        }
    }

    func int(_ key: String) -> Int64 { self[key]?.intValue ?? 0 }
}
