/// Errors a user can cause or meet; `description` is one line fit to print after `agentmon: `.
public enum StorageError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(String)
    /// The server cannot be reached now (a lost connection, a restart); the driver reconnects on a later call.
    case unavailable(String)
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
        case .cannotOpen(let m), .unavailable(let m), .notADatabase(let m), .constraint(let m), .busy(let m), .notFound(let m),
             .invalid(let m), .conflict(let m), .migration(let m), .internalError(let m):
            return m
        case .sql(let message, let sql):
            let oneLine = sql.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "database error: \(message) (in: \(oneLine.prefix(120)))"
        }
    }
}

extension Error {
    /// Whether this is a lost or unreachable server: worth waiting out, not a mistake to report and forget.
    public var isUnavailable: Bool {
        if let e = self as? StorageError, case .unavailable = e { return true }
        return false
    }
}
