import Foundation
import Core

/// A value bound to or read from SQL. Both drivers convert to and from these.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public static func bool(_ b: Bool) -> SQLValue { .int(b ? 1 : 0) }
    public static func date(_ d: Date) -> SQLValue { .text(SQLTime.format(d)) }
    public static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    public static func optional(_ i: Int64?) -> SQLValue { i.map { .int($0) } ?? .null }
    public static func optional(_ i: Int?) -> SQLValue { i.map { .int(Int64($0)) } ?? .null }
    public static func optional(_ d: Date?) -> SQLValue { d.map { .date($0) } ?? .null }
    public static func optional(_ d: Double?) -> SQLValue { d.map { .double($0) } ?? .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }
}
