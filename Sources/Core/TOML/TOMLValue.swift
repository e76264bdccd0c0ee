/// The values of a parsed TOML 1.0 document (https://toml.io/en/v1.0.0).
///
/// Tables keep their keys in file order and remember the line each key was defined on, so a caller
/// that finds a bad value (a wrong type, an unknown colour) can name the line to the user.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case dateTime(TOMLDateTime)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var integer: Int64? { if case .integer(let n) = self { n } else { nil } }
    /// The integer, when it fits an `Int`.
    public var int: Int? { integer.flatMap { Int(exactly: $0) } }
    public var double: Double? { if case .float(let d) = self { d } else { nil } }
    public var bool: Bool? { if case .boolean(let b) = self { b } else { nil } }
    public var dateTime: TOMLDateTime? { if case .dateTime(let d) = self { d } else { nil } }
    public var array: [TOMLValue]? { if case .array(let a) = self { a } else { nil } }
    public var table: TOMLTable? { if case .table(let t) = self { t } else { nil } }

    /// The type's name as a message to a user says it ("must be a string, not an integer").
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .dateTime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A table: keys in the order the file defined them.
public struct TOMLTable: Sendable, Equatable, Sequence {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }
    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The 1-based line the key was defined on (for a table made by a `[header]`, the header's line).
    public func line(of key: String) -> Int? { lines[key] }

    /// Adds or replaces a key (a replaced key keeps its place).
    public mutating func set(_ key: String, _ value: TOMLValue, line: Int = 0) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = line
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: TOMLValue)> {
        var i = keys.makeIterator()
        let values = values
        return AnyIterator {
            while let k = i.next() { if let v = values[k] { return (k, v) } }
            return nil
        }
    }

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool { a.keys == b.keys && a.values == b.values }
}

/// An offset date-time, a local date-time, a local date or a local time: whichever parts the file wrote.
public struct TOMLDateTime: Sendable, Equatable, CustomStringConvertible {
    public struct LocalDate: Sendable, Equatable { public var year, month, day: Int }
    public struct LocalTime: Sendable, Equatable { public var hour, minute, second, nanosecond: Int }

    public var date: LocalDate?
    public var time: LocalTime?
    /// Minutes east of UTC; nil for local date-times, dates and times.
    public var offsetMinutes: Int?

    public init(date: LocalDate?, time: LocalTime?, offsetMinutes: Int?) {
        self.date = date; self.time = time; self.offsetMinutes = offsetMinutes
    }

    /// RFC 3339 text: `1979-05-27T07:32:00.5-07:00`, `1979-05-27`, `07:32:00`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var parts: [String] = []
        if let d = date { parts.append("\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))") }
        if let t = time {
            var s = "\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2))"
            if t.nanosecond > 0 {
                var frac = pad(t.nanosecond, 9)
                while frac.hasSuffix("0") { frac.removeLast() }
                s += "." + frac
            }
            if let off = offsetMinutes {
                s += off == 0 ? "Z" : (off < 0 ? "-" : "+") + "\(pad(abs(off) / 60, 2)):\(pad(abs(off) % 60, 2))"
            }
            parts.append(s)
        }
        return parts.joined(separator: "T")
    }
}

/// Why a document is not TOML: one line of text and the 1-based line it was found on.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int

    public init(_ message: String, line: Int) { self.message = message; self.line = line }

    public var description: String { "line \(line): \(message)" }
}
