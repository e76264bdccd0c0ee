import Foundation
import Core

/// A worktree run's work against its base, as loaded by the data thread (`Effect.loadDiff`).
public struct DiffLoad: Sendable, Equatable {
    public var executionId: ID
    public var taskId: ID
    public var taskTitle: String
    public var status: ExecutionStatus
    public var branch: String
    public var baseBranch: String?
    public var files: [FileDiff]
    public init(executionId: ID, taskId: ID, taskTitle: String, status: ExecutionStatus, branch: String, baseBranch: String?,
                files: [FileDiff]) {
        self.executionId = executionId; self.taskId = taskId; self.taskTitle = taskTitle; self.status = status
        self.branch = branch; self.baseBranch = baseBranch; self.files = files
    }
}

/// `v` on a card or a run: the diff view. Rows are the file list, then each file's hunks; `n`/`N` jump
/// between hunk headers.
public struct DiffModel: Sendable, Equatable {
    public enum Row: Sendable, Equatable {
        /// A line of the file list: the file's index.
        case fileEntry(Int)
        /// The header of a file's diff.
        case fileHeader(Int)
        case hunkHeader(String)
        case line(DiffLine)
        case blank
    }

    /// What was asked: a task (its newest worktree run) or one run.
    public var taskId: ID?
    public var executionId: ID?
    public var load: DiffLoad?
    public var error: String?
    public private(set) var rows: [Row] = []
    /// Indices in `rows` of hunk headers, in order.
    public private(set) var hunkRows: [Int] = []
    public var offset = 0

    public init(taskId: ID? = nil, executionId: ID? = nil) { self.taskId = taskId; self.executionId = executionId }

    public mutating func loaded(_ l: DiffLoad) {
        load = l; error = nil; offset = 0
        rows = l.files.indices.map { .fileEntry($0) }
        hunkRows = []
        for (i, f) in l.files.enumerated() {
            rows += [.blank, .fileHeader(i)]
            for h in f.hunks {
                hunkRows.append(rows.count)
                rows.append(.hunkHeader(h.header))
                rows += h.lines.map { .line($0) }
            }
        }
    }

    /// The row offset of the next (or previous) hunk from the current one; nil when there is none.
    public func hunk(after forward: Bool) -> Int? {
        forward ? hunkRows.first { $0 > offset } : hunkRows.last { $0 < offset }
    }

    public func asks(taskId t: ID?, executionId e: ID?) -> Bool { taskId == t && executionId == e }
}
