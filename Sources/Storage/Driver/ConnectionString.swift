import Foundation
import SystemSupport

/// Choosing and describing a database from `--db`, `DATABASE_URL` or the XDG default.
public enum ConnectionString {
    public enum Target: Equatable, Sendable {
        case sqlite(path: String)
        case postgres(String)
    }

    /// `postgres://` and `postgresql://` URIs and libpq key=value strings select PostgreSQL;
    /// anything else is a SQLite file path.
    public static func target(for value: String) -> Target {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let s = scheme(of: v), s == "postgres" || s == "postgresql" { return .postgres(v) }
        let keys = ["host=", "hostaddr=", "dbname=", "user=", "port=", "service=", "password="]
        if v.contains("="), v.split(separator: " ").allSatisfy({ part in keys.contains { part.hasPrefix($0) } || part.contains("=") }),
           keys.contains(where: { v.hasPrefix($0) || v.contains(" " + $0) }) {
            return .postgres(v)
        }
        if v.hasPrefix("sqlite:") { return .sqlite(path: String(v.dropFirst("sqlite:".count))) }
        return .sqlite(path: (v as NSString).expandingTildeInPath)
    }

    /// `$XDG_DATA_HOME/agentmon/agentmon.db`, falling back to `~/.local/share` (the one XDG rule, `AppPaths`).
    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        AppPaths.databaseFile(environment: env)
    }

    /// The value to use: `--db`, else `DATABASE_URL`, else the default path. An empty `--db ""` or
    /// `DATABASE_URL=` is a mistake (an unset variable in a script), never a silent fall back to the default.
    public static func resolve(flag: String?, environment env: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let f = flag {
            guard !f.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StorageError.invalid("--db is empty; give \(supportedForms)")
            }
            return f
        }
        if let u = env["DATABASE_URL"] {
            guard !u.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StorageError.invalid("DATABASE_URL is set but empty; unset it or give \(supportedForms)")
            }
            return u
        }
        return defaultPath(environment: env)
    }

    public static let supportedForms = "a SQLite file path, postgres://…, postgresql://… or a libpq key=value string (host=… dbname=…)"

    /// Refuses a URL of a scheme agentmon cannot open (`mysql://`, `http://`, `file://`, `postgress://`…) before
    /// anything is created: as a path it would become folders named after the URL, password included.
    /// Only the scheme is named in the message.
    public static func check(_ value: String) throws {
        let v = value.trimmingCharacters(in: .whitespaces)
        guard !v.isEmpty else { throw StorageError.invalid("the database is empty; give \(supportedForms)") }
        guard let scheme = scheme(of: v), scheme != "postgres", scheme != "postgresql" else { return }
        throw StorageError.invalid("unsupported database URL scheme '\(scheme)://'; give \(supportedForms)")
    }

    /// The scheme of `^[A-Za-z][A-Za-z0-9+.-]*://`, lowercased; nil when the value has none.
    static func scheme(of v: String) -> String? {
        guard let r = v.range(of: "://") else { return nil }
        let s = v[..<r.lowerBound]
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              s.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+.-".unicodeScalars.contains($0)) })
        else { return nil }
        return s.lowercased()
    }

    /// The same string with any password replaced by `***`.
    public static func redacted(_ value: String) -> String {
        var s = value
        // URI: scheme://user:password@host
        if let scheme = s.range(of: "://") {
            let rest = s[scheme.upperBound...]
            if let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                s.replaceSubrange(s.index(after: colon)..<at, with: "***")
            }
        }
        // password=… in key=value strings or URI query parameters
        let pattern = #"(password=)('(?:[^'\\]|\\.)*'|[^\s&]*)"#
        if let re = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) {
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$1***")
        }
        return s
    }

    /// Removes a password that a library error message may have echoed.
    static func scrub(_ message: String, from value: String) -> String {
        guard let pw = password(in: value), !pw.isEmpty else { return message }
        return message.replacingOccurrences(of: pw, with: "***")
    }

    static func password(in value: String) -> String? {
        if let scheme = value.range(of: "://") {
            let rest = value[scheme.upperBound...]
            if let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                return String(rest[rest.index(after: colon)..<at]).removingPercentEncoding
            }
        }
        if let r = value.range(of: "password=", options: .caseInsensitive) {
            return String(value[r.upperBound...].prefix { !$0.isWhitespace && $0 != "&" })
        }
        return nil
    }
}

/// Opens the right driver for a connection value.
public enum DatabaseOpener {
    public static func open(_ value: String) throws -> Database {
        try ConnectionString.check(value)
        switch ConnectionString.target(for: value) {
        case .sqlite(let path):
            try SQLiteFileCheck.requireAgentmonOrNew(path)
            return try SQLiteDatabase(path: path)
        case .postgres(let conn): return try PostgresDatabase(connectionString: conn)
        }
    }
}
