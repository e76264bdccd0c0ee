import Foundation

/// Many rows' parameters in two flat arrays, for the multi-row INSERTs of an import: every text's UTF-8 in one
/// byte buffer, each value a plain slot. The importing thread packs them; the writing thread (an import's
/// bottleneck) binds each text straight from the buffer (SQLite: `SQLITE_STATIC`, the buffer outliving the
/// statement's run), where `[SQLValue]` cost it a copy, a malloc and a free per text in SQLite and a retain and
/// release per string, and freeing the array afterwards.
public struct PackedParams: Sendable {
    public enum Slot: Sendable, Equatable {
        case null
        case int(Int64)
        case double(Double)
        /// `count` bytes of `bytes` from `start`.
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
    }

    public private(set) var slots: [Slot] = []
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0, bytes: Int = 0) {
        slots.reserveCapacity(capacity)
        self.bytes.reserveCapacity(bytes)
    }

    public var count: Int { slots.count }

    public mutating func append(_ v: SQLValue) {
        switch v {
        case .null: slots.append(.null)
        case .int(let i): slots.append(.int(i))
        case .double(let d): slots.append(.double(d))
        case .text(let s):
            let start = bytes.count
            bytes.append(contentsOf: s.utf8)
            slots.append(.text(start: start, count: bytes.count - start))
        case .blob(let b):
            let start = bytes.count
            bytes.append(contentsOf: b)
            slots.append(.blob(start: start, count: b.count))
        }
    }

    /// The values one by one (drivers without a packed path).
    public var values: [SQLValue] {
        slots.map { slot in
            switch slot {
            case .null: .null
            case .int(let i): .int(i)
            case .double(let d): .double(d)
            case .text(let start, let count): .text(String(decoding: bytes[start..<(start + count)], as: UTF8.self))
            case .blob(let start, let count): .blob(Array(bytes[start..<(start + count)]))
            }
        }
    }
}
