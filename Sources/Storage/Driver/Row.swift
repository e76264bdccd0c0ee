import Foundation
import Core

/// One result row. Columns are looked up by name; accessors convert the driver's representation
/// (SQLite's typed values, PostgreSQL's text) into Swift types.
public struct Row: Sendable {
    public let columns: ColumnIndex
    public let values: [SQLValue]

    public init(columns: ColumnIndex, values: [SQLValue]) { self.columns = columns; self.values = values }

    public subscript(_ name: String) -> SQLValue {
        guard let i = columns.index[name] else { preconditionFailure("no column \(name) in \(columns.names)") }
        return values[i]
    }
    public func has(_ name: String) -> Bool { columns.index[name] != nil }

    public func int(_ name: String) -> Int64 { optInt(name) ?? 0 }
    public func optInt(_ name: String) -> Int64? {
        switch self[name] {
        case .int(let v): return v
        case .double(let d): return Int64(exactly: d.rounded(.towardZero))  // 1e300 in a column: nil, not a trap
        case .text(let s): return Int64(s) ?? Double(s).flatMap { Int64(exactly: $0.rounded(.towardZero)) }
        default: return nil
        }
    }
    public func intValue(_ name: String) -> Int { Int(int(name)) }
    public func optIntValue(_ name: String) -> Int? { optInt(name).map { Int($0) } }
    public func double(_ name: String) -> Double {
        switch self[name] {
        case .int(let v): return Double(v)
        case .double(let d): return d
        case .text(let s): return Double(s) ?? 0
        default: return 0
        }
    }
    public func optDouble(_ name: String) -> Double? { self[name] == .null ? nil : double(name) }
    public func string(_ name: String) -> String { optString(name) ?? "" }
    public func optString(_ name: String) -> String? {
        switch self[name] {
        case .text(let s): return s
        case .int(let v): return String(v)
        case .double(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }
    public func bool(_ name: String) -> Bool {
        switch self[name] {
        case .int(let v): return v != 0
        case .text(let s): return s == "t" || s == "true" || s == "1"
        default: return false
        }
    }
    public func date(_ name: String) -> Date { optDate(name) ?? Date(timeIntervalSince1970: 0) }
    public func optDate(_ name: String) -> Date? { optString(name).flatMap(SQLTime.parse) }
    public func bytes(_ name: String) -> [UInt8] {
        switch self[name] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return []
        }
    }
    public func json(_ name: String) -> JSONValue { optString(name).flatMap(JSONValue.parse) ?? .null }
    public func optJSON(_ name: String) -> JSONValue? { optString(name).flatMap(JSONValue.parse) }
    public func strings(_ name: String) -> [String] {
        json(name).arrayValue?.compactMap(\.stringValue) ?? []
    }
    public func stringDict(_ name: String) -> [String: String] {
        json(name).objectValue?.compactMapValues { v in
            if case .string(let s) = v { return s }
            if case .null = v { return nil }
            return v.jsonString
        } ?? [:]
    }
    public func decoded<T: Decodable>(_ type: T.Type, _ name: String) -> T? {
        guard let s = optString(name), let d = s.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(T.self, from: d)
    }
}

/// Column names shared by all rows of one result.
public final class ColumnIndex: Sendable {
    public let names: [String]
    public let index: [String: Int]
    public init(_ names: [String]) {
        self.names = names
        var idx: [String: Int] = [:]
        for (i, n) in names.enumerated() where idx[n] == nil { idx[n] = i }
        self.index = idx
    }
}
