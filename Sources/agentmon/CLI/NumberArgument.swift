import ArgumentParser

/// Numeric options parse their own value: ArgumentParser reads `-1` as an option name and would answer
/// "Missing value", so these options take the next word unconditionally and say which range they accept.
enum NumberArgument {
    static func int(_ s: String, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let v = Int(s.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
            throw ValidationError("\(name) must be \(describe(range.lowerBound, range.upperBound == Int.max ? nil : range.upperBound))")
        }
        return v
    }

    static func int64(_ s: String, _ name: String, atLeast low: Int64) throws -> Int64 {
        guard let v = Int64(s.trimmingCharacters(in: .whitespaces)), v >= low else {
            throw ValidationError("\(name) must be \(describe(Int(low), nil))")
        }
        return v
    }

    static func describe(_ low: Int, _ high: Int?) -> String {
        if let high { return "\(low) to \(high)" }
        return low == 0 ? "0 or more" : "at least \(low)"
    }
}
