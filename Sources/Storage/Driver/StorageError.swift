/// Errors a user can cause or meet; `description` is one line fit to print after `agentmon: `.
public enum StorageError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(String)
    case notADatabase(String)
    case sql(message: String, sql: String)
    case constraint(String)
    case busy(String)
    case notFound(String)
    case invalid(String)
    case conflict(String)
    case migration(String)
    case internalError(String)

    public var description: String {
        switch self {
        case .cannotOpen(let m), .notADatabase(let m), .constraint(let m), .busy(let m), .notFound(let m),
             .invalid(let m), .conflict(let m), .migration(let m), .internalError(let m):
            return m
        case .sql(let message, let sql):
            let oneLine = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "database error: \(message) (in: \(oneLine.prefix(120)))"
        }
    }
}
