import Foundation
import CLibPQ

/// A libpq connection. The connection string is a libpq URI or key=value string, so `sslmode`,
/// `PGPASSWORD`, `~/.pgpass` and service files work as usual. Parameters are sent as text (blobs as binary),
/// results come back as text and are typed by column OID. Passwords never appear in errors or names.
public final class PostgresDatabase: Database {
    public let dialect = SQLDialect.postgres
    public let displayName: String
    private var conn: OpaquePointer?
    public private(set) var inTransaction = false
    private var listening = false
    private var notificationCount: Int64 = 0
    /// What this connection knows of each SQL text it ran, found with one lookup per statement (a claim's
    /// texts are kilobytes long: hashing them twice per call showed in profiles): the text with `$n`
    /// placeholders, the server-side prepared statement's name (planning is most of the server's time for
    /// the short statements of a claim, so each distinct statement is planned once per connection), and the
    /// column index of its last result, reused while the result has the same columns.
    private struct Statement {
        let text: String
        var name: String?
        var columns: ColumnIndex?
    }
    private var statements: [String: Statement] = [:]
    private var preparedCount = 0
    static let maxPrepared = 500

    public init(connectionString: String) throws {
        displayName = ConnectionString.redacted(connectionString)
        let c = Self.connect(connectionString)
        guard let c, PQstatus(c) == CONNECTION_OK else {
            let msg = c.map { Self.firstLine(String(cString: PQerrorMessage($0))) } ?? "out of memory"
            PQfinish(c)
            throw StorageError.cannotOpen("cannot connect to PostgreSQL at \(ConnectionString.redacted(connectionString)): \(ConnectionString.scrub(msg, from: connectionString))")
        }
        conn = c
        self.connectionString = connectionString
        try prepareSession()
    }

    /// `connect_timeout` defaults to 5 s so that a server that does not answer cannot hang a caller; a value
    /// in the user's string wins (libpq: later keywords override earlier ones, and `dbname` is expanded).
    private static func connect(_ connectionString: String) -> OpaquePointer? {
        let keys = ["connect_timeout", "dbname"], values = ["5", connectionString]
        let k = keys.map { strdup($0) }, v = values.map { strdup($0) }
        defer { (k + v).forEach { free($0) } }
        var kp: [UnsafePointer<CChar>?] = k.map { UnsafePointer($0) } + [nil]
        var vp: [UnsafePointer<CChar>?] = v.map { UnsafePointer($0) } + [nil]
        return PQconnectdbParams(&kp, &vp, 1)
    }

    /// What every new session needs: server notices silenced, UTC, and LISTEN again if this connection listened.
    private func prepareSession() throws {
        if let c = conn { PQsetNoticeProcessor(c, { _, _ in }, nil) }  // server notices are not the user's business
        try executeScript("SET TimeZone = 'UTC'; SET client_min_messages = warning")
        if listening { try executeScript("LISTEN agentmon_changes") }
        for channel in channels.keys.sorted() { try executeScript("LISTEN \(channel)") }
    }

    /// Channels other than `agentmon_changes` this connection listens on, with payloads not yet taken.
    private var channels: [String: [String]] = [:]

    public func notifications(on channel: String) throws -> [String]? {
        try heal()
        guard let conn else { return [] }
        if channels[channel] == nil {
            guard channel.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw StorageError.invalid("bad channel name \(channel)")
            }
            try executeScript("LISTEN \(channel)")
            channels[channel] = []
        }
        try consumeNotifications(conn)
        defer { channels[channel] = [] }
        return channels[channel]
    }

    public var wakeSocket: Int32 { socket }

    /// Reads what the server sent: `agentmon_changes` moves the change counter, other channels keep payloads.
    private func consumeNotifications(_ conn: OpaquePointer) throws {
        if PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK {
            throw lose(Self.firstLine(String(cString: PQerrorMessage(conn))))
        }
        while let n = PQnotifies(conn) {
            let channel = String(cString: n.pointee.relname)
            if channel == "agentmon_changes" || channels[channel] == nil {
                notificationCount += 1
            } else if channels[channel]!.count < 10_000 {
                channels[channel]!.append(String(cString: n.pointee.extra))
            }
            PQfreemem(n)
        }
    }

    // MARK: healing

    private let connectionString: String
    /// Set while the server is unreachable: when the next reconnect may be tried, and the wait after that.
    private var outage: (message: String, nextTry: Double, backoff: Double)?
    /// Reconnects back off from 0.25 s, doubling, to this cap: a restarted server is found within seconds.
    static let maxBackoff = 2.0

    /// Whether the connection was lost and not yet reopened.
    public var isUnreachable: Bool { outage != nil }

    private func lose(_ message: String) -> StorageError {
        if outage == nil { outage = (message, ProcessInfo.processInfo.systemUptime + 0.25, 0.5) }
        return .unavailable("PostgreSQL unreachable (\(message))")
    }

    /// Reopens a lost connection when its backoff allows: statements are prepared anew (they lived in the old
    /// session), LISTEN resumes, and the change counter moves so that a watcher reloads what it missed. Never
    /// inside a transaction: the statements after a reconnect would run outside it.
    private func heal() throws {
        guard let o = outage else { return }
        let now = ProcessInfo.processInfo.systemUptime
        guard !inTransaction, now >= o.nextTry, let c = conn else { throw StorageError.unavailable("PostgreSQL unreachable (\(o.message))") }
        PQreset(c)
        guard PQstatus(c) == CONNECTION_OK else {
            let msg = ConnectionString.scrub(Self.firstLine(String(cString: PQerrorMessage(c))), from: connectionString)
            outage = (msg.isEmpty ? o.message : msg, now + o.backoff, min(o.backoff * 2, Self.maxBackoff))
            throw StorageError.unavailable("PostgreSQL unreachable (\(outage!.message))")
        }
        outage = nil
        forgetStatements()
        notificationCount += 1
        try prepareSession()
    }

    deinit { close() }

    public func close() {
        if let c = conn { PQfinish(c) }
        conn = nil
    }

    /// The socket, for waiting on LISTEN notifications with poll().
    public var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }

    static func firstLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// Rewrites `?` placeholders to `$1…$n`, skipping quoted text.
    static func numberPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        for ch in sql {
            if let q = quote {
                if ch == q { quote = nil }
                out.append(ch)
            } else if ch == "'" || ch == "\"" {
                quote = ch; out.append(ch)
            } else if ch == "?" {
                n += 1; out += "$\(n)"
            } else { out.append(ch) }
        }
        return out
    }

    /// The statement entry for `sql`, made on first use (not yet prepared).
    /// Past `4 * maxPrepared` texts (generated ones) a new text is neither kept nor prepared: forgetting the
    /// entries would reuse names the server still holds.
    private func statement(_ sql: String) -> Statement {
        if let st = statements[sql] { return st }
        let st = Statement(text: Self.numberPlaceholders(sql))
        if statements.count < 4 * Self.maxPrepared { statements[sql] = st }
        return st
    }

    /// Prepared statements live in the session: after a reconnect or a schema change they are made anew.
    private func forgetStatements() {
        statements.removeAll(keepingCapacity: true)
        preparedCount = 0
    }

    private func fail(_ res: OpaquePointer?, _ sql: String) -> StorageError {
        let state = res.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? ""
        var msg = res.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
            ?? conn.map { Self.firstLine(String(cString: PQerrorMessage($0))) } ?? "connection closed"
        if msg.isEmpty { msg = "connection lost" }
        if state.hasPrefix("23") { return .constraint(msg) }
        if state == "40001" || state == "40P01" || state == "55P03" { return .busy(msg) }
        // Class 57P (operator intervention: a shutdown, a terminated backend) and 08 (connection exception)
        // come before the socket closes; a closed socket is the same news.
        if PQstatus(conn) != CONNECTION_OK || state.hasPrefix("57P") || state.hasPrefix("08") { return lose(msg) }
        return .sql(message: msg, sql: sql)
    }

    /// Runs `sql` (prepared when it can be) and returns its result with the statement's cached column index.
    private func run(_ sql: String, _ params: [SQLValue]) throws -> (OpaquePointer, ColumnIndex?) {
        try heal()
        guard let conn else { throw StorageError.internalError("database is closed") }
        var st = statement(sql)
        if st.name == nil, statements[sql] != nil, let name = prepare(st.text, count: params.count) {
            st.name = name
            statements[sql] = st
        }
        // Every value in one buffer, each text NUL-terminated (blobs are sent with their length, as binary).
        var storage: [UInt8] = []
        var offsets: [Int] = [], lengths: [Int32] = [], formats: [Int32] = []
        offsets.reserveCapacity(params.count); lengths.reserveCapacity(params.count); formats.reserveCapacity(params.count)
        for p in params {
            offsets.append(storage.count)
            switch p {
            case .null: offsets[offsets.count - 1] = -1; lengths.append(0); formats.append(0)
            case .int(let v): storage += String(v).utf8; storage.append(0); lengths.append(0); formats.append(0)
            case .double(let d): storage += String(d).utf8; storage.append(0); lengths.append(0); formats.append(0)
            case .text(let s):
                // NUL cannot travel in PostgreSQL text: make it visible rather than cut the value.
                if s.utf8.contains(0) { storage += s.replacingOccurrences(of: "\0", with: "\u{FFFD}").utf8 } else { storage += s.utf8 }
                storage.append(0); lengths.append(0); formats.append(0)
            case .blob(let b): storage += b; lengths.append(Int32(b.count)); formats.append(1)
            }
        }
        let res: OpaquePointer? = storage.withUnsafeBufferPointer { buf in
            let base = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!)
            var values: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : (base + $0).assumingMemoryBound(to: CChar.self) }
            if let name = st.name {
                return PQexecPrepared(conn, name, Int32(params.count), &values, lengths, formats, 0)
            }
            return PQexecParams(conn, st.text, Int32(params.count), nil, &values, lengths, formats, 0)
        }
        let status = PQresultStatus(res)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let err = fail(res, sql)
            PQclear(res)
            throw err
        }
        return (res!, st.columns)
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue]) throws -> Int {
        let (res, _) = try run(sql, params)
        defer { PQclear(res) }
        return Int(String(cString: PQcmdTuples(res))) ?? 0
    }

    public func query(_ sql: String, _ params: [SQLValue]) throws -> [Row] {
        let (res, cached) = try run(sql, params)
        defer { PQclear(res) }
        let nrows = PQntuples(res), ncols = PQnfields(res)
        let columns: ColumnIndex
        if let cached, cached.names.count == Int(ncols),
           (0..<ncols).allSatisfy({ i in cached.names[Int(i)].withCString { strcmp($0, PQfname(res, i)) == 0 } }) {
            columns = cached
        } else {
            columns = ColumnIndex((0..<ncols).map { String(cString: PQfname(res, $0)) })
            if statements[sql] != nil { statements[sql]!.columns = columns }
        }
        let types = (0..<ncols).map { PQftype(res, $0) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(nrows))
        for r in 0..<nrows {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(ncols))
            for c in 0..<ncols {
                if PQgetisnull(res, r, c) == 1 { values.append(.null); continue }
                let raw = String(cString: PQgetvalue(res, r, c))
                switch types[Int(c)] {
                case 16: values.append(.int(raw == "t" ? 1 : 0))
                case 20, 21, 23, 26: values.append(.int(Int64(raw) ?? 0))
                case 700, 701, 1700: values.append(.double(Double(raw) ?? 0))
                case 17: values.append(.blob(Self.decodeBytea(raw)))
                default: values.append(.text(raw))
                }
            }
            rows.append(Row(columns: columns, values: values))
        }
        return rows
    }

    static func decodeBytea(_ s: String) -> [UInt8] {
        let u = Array(s.utf8)
        guard u.count >= 2, u[0] == 92, u[1] == 120 else { return u }  // "\x" hex format
        func nib(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
        var out = [UInt8]()
        out.reserveCapacity((u.count - 2) / 2)
        var i = 2
        while i + 1 < u.count { out.append(nib(u[i]) << 4 | nib(u[i + 1])); i += 2 }
        return out
    }

    /// Prepares `text` under a new name; nil when it cannot be prepared (the caller then runs it unprepared,
    /// which also reports any error in it) or when this connection holds enough prepared statements.
    private func prepare(_ text: String, count: Int) -> String? {
        guard let conn, preparedCount < Self.maxPrepared, !inFailedTransaction else { return nil }
        let name = "agentmon_\(preparedCount)"
        let r = PQprepare(conn, name, text, Int32(count), nil)
        defer { PQclear(r) }
        guard PQresultStatus(r) == PGRES_COMMAND_OK else { return nil }
        preparedCount += 1
        return name
    }

    private var inFailedTransaction: Bool { conn.map { PQtransactionStatus($0) == PQTRANS_INERROR } ?? true }

    /// Scripts that change the schema can change what a prepared plan returns: forget them all.
    private func forgetPrepared(after sql: String) {
        let head = sql.prefix(12).uppercased()
        guard preparedCount > 0, !["BEGIN", "COMMIT", "ROLLBACK", "SET ", "LISTEN"].contains(where: { head.hasPrefix($0) }) else { return }
        forgetStatements()
        if let conn, PQtransactionStatus(conn) == PQTRANS_IDLE || PQtransactionStatus(conn) == PQTRANS_INTRANS {
            PQclear(PQexec(conn, "DEALLOCATE ALL"))
        }
    }

    public func executeScript(_ sql: String) throws {
        try heal()
        forgetPrepared(after: sql)
        guard let conn else { throw StorageError.internalError("database is closed") }
        let res = PQexec(conn, sql)
        defer { PQclear(res) }
        let status = PQresultStatus(res)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            throw fail(res, sql)
        }
    }

    public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        var attempt = 0
        while true {
            attempt += 1
            try executeScript("BEGIN")
            inTransaction = true
            do {
                let result = try body()
                try executeScript("COMMIT")
                inTransaction = false
                return result
            } catch {
                inTransaction = false
                if outage == nil { try? executeScript("ROLLBACK") }  // a lost session rolled back by itself
                if case StorageError.busy = error, attempt < 8 {
                    usleep(UInt32.random(in: 1_000...(5_000 * UInt32(attempt))))
                    continue
                }
                throw error
            }
        }
    }

    /// Whether the schema has migration 009's change counters (checked until it has).
    private var hasChangeCounts = false

    /// Moves when another connection commits a change: the sum of the change counters the triggers add to
    /// (migration 009, one round trip), plus the NOTIFY messages of a schema from before it (005), plus one per
    /// reconnect. Both parts only grow, so the token moves whenever either does. Listening starts on first call.
    public func changeToken() throws -> Int64 {
        try heal()
        guard let conn else { return 0 }
        if !listening {
            try executeScript("LISTEN agentmon_changes")
            listening = true
        }
        try consumeNotifications(conn)
        if !hasChangeCounts {
            hasChangeCounts = try query("SELECT to_regclass('agentmon_change_counts') IS NOT NULL AS ok", []).first?.bool("ok") ?? false
        }
        guard hasChangeCounts else { return notificationCount }
        do {
            let counted = try query("SELECT coalesce(sum(n), 0)::bigint AS n FROM agentmon_change_counts", []).first?.int("n") ?? 0
            return notificationCount &+ counted
        } catch StorageError.sql {
            hasChangeCounts = false  // rolled back under us: back to NOTIFY, and this counts as a change
            notificationCount += 1
            return notificationCount
        }
    }
}
