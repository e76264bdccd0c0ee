import Foundation
import Core

/// One line of a transcript file: its JSON object, or nil when the line is not usable.
struct JSONLine {
    let number: Int
    let object: JSONValue
}

/// Splits a file into JSON-object lines. Lines that are not JSON objects (log noise, a truncated last line,
/// binary garbage, lines over `maxLineBytes`) are counted in `skipped`, never fatal. Blank lines are ignored.
/// A big file is parsed in parts on all cores (line numbers stay those of the whole file).
struct JSONLines {
    static let maxLineBytes = 4 * 1024 * 1024
    /// Files smaller than this are parsed on the calling thread.
    static let parallelBytes = 2 * 1024 * 1024

    var lines: [JSONLine] = []
    var skipped = 0

    init(data: Data) {
        self = data.withUnsafeBytes { Self(buffer: $0) }
    }

    init(buffer: UnsafeRawBufferPointer, parts: Int? = nil) {
        let parts = parts ?? (buffer.count < Self.parallelBytes ? 1 : max(1, min(8, ProcessInfo.processInfo.activeProcessorCount)))
        guard parts > 1 else { self = Self(buffer, from: 0, to: buffer.count); return }
        // Cut at line ends near equal shares.
        var cuts = [0]
        for k in 1..<parts {
            let at = max(cuts.last!, buffer.count * k / parts)
            guard at < buffer.count, let nl = Self.newline(in: buffer, from: at, to: buffer.count) else { break }
            cuts.append(nl + 1)
        }
        cuts.append(buffer.count)
        let n = cuts.count - 1
        let results = UnsafeMutableBufferPointer<JSONLines>.allocate(capacity: n)
        results.initialize(repeating: JSONLines())
        defer { results.deinitialize(); results.deallocate() }
        // Each part writes only its own slot of `results`; the buffers outlive the parallel loop.
        nonisolated(unsafe) let input = buffer, output = results
        let bounds = cuts
        DispatchQueue.concurrentPerform(iterations: n) { i in
            output[i] = Self(input, from: bounds[i], to: bounds[i + 1])
        }
        var firstNumber = 0
        lines.reserveCapacity(results.reduce(0) { $0 + $1.lines.count })
        for part in results {
            lines += firstNumber == 0 ? part.lines : part.lines.map { JSONLine(number: $0.number + firstNumber, object: $0.object) }
            skipped += part.skipped
            firstNumber += part.lineCount
        }
    }

    /// Lines seen, blank ones included (to number the lines of the next part).
    private var lineCount = 0

    private init() {}

    private init(_ buffer: UnsafeRawBufferPointer, from: Int, to end: Int) {
        var start = from, number = 0
        while start < end {
            let stop = Self.newline(in: buffer, from: start, to: end) ?? end
            number += 1
            consume(UnsafeRawBufferPointer(rebasing: buffer[start..<stop]), number: number)
            start = stop + 1
        }
        lineCount = number
    }

    /// The newlines in `data` (counted a byte at a time, it was a twentieth of a sync pass).
    static func newlines(in data: Data) -> Int {
        data.withUnsafeBytes { buffer in
            var n = 0, at = 0
            while let nl = newline(in: buffer, from: at, to: buffer.count) { n += 1; at = nl + 1 }
            return n
        }
    }

    private static func newline(in buffer: UnsafeRawBufferPointer, from: Int, to end: Int) -> Int? {
        guard from < end, let base = buffer.baseAddress, let p = memchr(base + from, 0x0A, end - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(p))
    }

    private mutating func consume(_ bytes: UnsafeRawBufferPointer, number: Int) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }  // blank
        guard bytes.count <= Self.maxLineBytes, let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 }), first == UInt8(ascii: "{"),
              let v = JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self)), case .object = v else {
            skipped += 1; return
        }
        lines.append(JSONLine(number: number, object: v))
    }
}

extension JSONValue {
    /// Pretty JSON with sorted keys, for tool inputs: exactly what `JSONEncoder` writes with `.sortedKeys,
    /// .prettyPrinted, .withoutEscapingSlashes`, written by hand for the common values (the encoder was a
    /// twentieth of an import); the encoder itself for the rest (fractions, control characters).
    var prettyJSON: String {
        var out = ""
        if Self.pretty(self, into: &out, indent: 0) { return out }
        return encodedPrettyJSON
    }

    private static func pretty(_ v: JSONValue, into out: inout String, indent: Int) -> Bool {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            guard n.rounded() == n, abs(n) < 1e15 else { return false }
            out += String(Int64(n))
        case .string(let s): return quoted(s, into: &out)
        case .array(let a):
            guard !a.isEmpty else { return false }
            out += "[\n"
            for (i, e) in a.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                guard pretty(e, into: &out, indent: indent + 2) else { return false }
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let o):
            guard !o.isEmpty else { return false }
            out += "{\n"
            let keys = o.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, k) in keys.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                guard quoted(k, into: &out) else { return false }
                out += " : "
                guard pretty(o[k]!, into: &out, indent: indent + 2) else { return false }
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
        return true
    }

    private static func quoted(_ s: String, into out: inout String) -> Bool {
        out += "\""
        var plain = true
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { plain = false; break }
        if plain { out += s; out += "\""; return true }
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where ch.value < 0x20: return false
            default: out.unicodeScalars.append(ch)
            }
        }
        out += "\""
        return true
    }

    var encodedPrettyJSON: String {
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
