import Foundation
import Core

/// One line on the log screen: raw bytes (sanitised when drawn), where it is, and when it arrived.
public struct LogRow: Sendable, Equatable {
    public var offset: Int64
    public var end: Int64
    public var bytes: [UInt8]
    public var lineNumber: Int?
    public var at: Date?
    public init(offset: Int64, end: Int64, bytes: [UInt8], lineNumber: Int?, at: Date?) {
        self.offset = offset; self.end = end; self.bytes = bytes; self.lineNumber = lineNumber; self.at = at
    }
}

/// Where the log screen's page starts.
public enum LogAnchor: Sendable, Equatable {
    case tail
    case from(Int64)
    /// `n` lines above the line at this offset (scrolling up).
    case up(from: Int64, lines: Int)
}

/// The log tail screen: a page of lines around an anchor, following the end unless the user scrolled.
public struct LogModel: Sendable, Equatable {
    public var executionId: ID?
    public var title = ""
    public var status: ExecutionStatus?
    public var rows: [LogRow] = []
    public var size: Int64 = 0
    public var totalLines: Int?
    public var follow = true
    public var wrap = false
    public var timestamps = false
    public var anchor: LogAnchor = .tail
    public var search = ""
    public var searchHit: Int64?
    public var source = ""
    public var notice: String?
    public var loaded = false
    public init() {}
}

/// A page as the data thread read it.
public struct LogPage: Sendable, Equatable {
    public var executionId: ID
    public var title: String
    public var status: ExecutionStatus
    public var rows: [LogRow]
    public var size: Int64
    public var totalLines: Int?
    public var anchor: LogAnchor
    public var source: String
    public var notice: String?
    public var searchHit: Int64?
    public init(executionId: ID, title: String, status: ExecutionStatus, rows: [LogRow], size: Int64, totalLines: Int?,
                anchor: LogAnchor, source: String, notice: String? = nil, searchHit: Int64? = nil) {
        self.executionId = executionId; self.title = title; self.status = status; self.rows = rows; self.size = size
        self.totalLines = totalLines; self.anchor = anchor; self.source = source; self.notice = notice; self.searchHit = searchHit
    }
}
