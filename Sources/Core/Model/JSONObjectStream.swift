import Foundation

/// A live program's output as JSON-object lines, in any chunking: complete lines are parsed at once, a line
/// over `maxLineBytes` is dropped unread and counted, a line that is not a JSON object is counted, blank
/// lines are skipped. Shared by Claude's live transcript, the Codex app-server client and the MCP server
/// (which answers each rejected line, so it is told why: `Rejection`).
public struct JSONObjectStream {
    public enum Rejection: Sendable, Equatable {
        /// Not JSON at all (or cut).
        case notJSON
        /// JSON, but not an object (an array, a number…).
        case notObject
        /// Longer than `maxLineBytes`; dropped unread.
        case oversized
    }

    public let maxLineBytes: Int
    private var partial: [UInt8] = []
    private var overlong = false
    /// Lines that were not JSON objects.
    public private(set) var badLines = 0
    /// Lines over the cap, dropped.
    public private(set) var oversizedLines = 0

    public init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    /// Feeds bytes; `object` gets each complete line's object, in order.
    public mutating func feed<C: Collection>(_ bytes: C, _ object: (JSONValue) -> Void) where C.Element == UInt8 {
        feed(bytes, object, rejected: { _ in })
    }

    /// Feeds bytes; `object` gets each complete line's object and `rejected` each other non-blank line, in order.
    public mutating func feed<C: Collection>(_ bytes: C, _ object: (JSONValue) -> Void,
                                             rejected: (Rejection) -> Void) where C.Element == UInt8 {
        var rest = bytes[...]
        while let nl = rest.firstIndex(of: 0x0A) {
            append(rest[..<nl])
            endLine(object, rejected)
            rest = rest[rest.index(after: nl)...]
        }
        append(rest)
    }

    /// Output was lost before reaching here: the line it cut is dropped.
    public mutating func gap() { overlong = true; partial = [] }

    /// The output ended: a last unterminated line is handled.
    public mutating func flush(_ object: (JSONValue) -> Void, rejected: (Rejection) -> Void = { _ in }) {
        if !partial.isEmpty || overlong { endLine(object, rejected) }
    }

    /// A line that parsed but could not be used (its handler failed): counted with the bad ones.
    public mutating func countBad() { badLines += 1 }

    private mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard !overlong, !bytes.isEmpty else { return }
        if partial.count + bytes.count > maxLineBytes { overlong = true; partial = []; return }
        partial.append(contentsOf: bytes)
    }

    private mutating func endLine(_ object: (JSONValue) -> Void, _ rejected: (Rejection) -> Void) {
        defer { partial.removeAll(keepingCapacity: partial.capacity <= 1 << 20); overlong = false }
        if overlong { oversizedLines += 1; rejected(.oversized); return }
        guard let first = partial.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }  // blank
        guard first == UInt8(ascii: "{"), let v = JSONParser.parse(partial), case .object = v else {
            badLines += 1
            rejected(JSONParser.parse(partial) == nil ? .notJSON : .notObject)  // parsed twice only when refused
            return
        }
        object(v)
    }
}
