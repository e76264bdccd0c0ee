import Foundation
import TestSupport
import Testing
import Core
import Render
import Terminal
@testable import Dashboard

/// A fixed board and clock so rendered screens are the same on every run.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

    static func task(_ id: ID, _ title: String, _ status: TaskStatus, priority: Int = 3, assignee: String? = nil,
                     dueDays: Double? = nil, order: Int64? = nil) -> TaskItem {
        TaskItem(id: id, title: title, status: status, priority: priority, sortOrder: order ?? id * 1000,
                 assigneeSlug: assignee, dueAt: dueDays.map { now.addingTimeInterval($0 * 86_400) },
                 createdAt: now, updatedAt: now)
    }

    static var snapshot: BoardSnapshot {
        let cards: [TaskStatus: [CardInfo]] = [
            .todo: [CardInfo(task: task(1, "Rate limit the public search API", .todo, priority: 2, assignee: "codex", dueDays: 5)),
                    CardInfo(task: task(2, "Dark mode for the settings page", .todo, priority: 4)),
                    CardInfo(task: task(3, "Evil \u{1B}]0;pwned\u{07}\u{1B}[2J title", .todo), unmetDependencies: 1)],
            .inProgress: [CardInfo(task: task(4, "Replace session cookies with signed tokens", .inProgress, priority: 1, assignee: "claude", dueDays: -1),
                                   subtasksDone: 1, subtasksTotal: 3, latestExecution: .running)],
            .blocked: [CardInfo(task: task(5, "Upgrade staging to PostgreSQL 16", .blocked, priority: 2), unmetDependencies: 2)],
            .done: [CardInfo(task: task(6, "Cache rendered markdown previews", .done), latestExecution: .succeeded, costUsd: 0.42),
                    CardInfo(task: task(7, "日本語のタイトル and emoji 🎉", .done, priority: 5))],
            .cancelled: [],
        ]
        return BoardSnapshot(columns: TaskStatus.allCases.map {
            BoardSnapshot.Column(status: $0, cards: cards[$0]!, windowStart: 0, total: cards[$0]!.count, selectIndex: nil)
        }, filter: "")
    }

    static func state(width: Int = 80, height: Int = 24) -> AppState {
        var s = AppState()
        s.width = width; s.height = height; s.now = now
        s.databaseName = "sqlite:/tmp/board.db"
        _ = Updater().update(&s, .boardLoaded(snapshot))
        return s
    }

    static let theme = Theme.builtinDefault
}

/// Compares a rendered buffer with a stored snapshot of its text and styles; `RECORD_SNAPSHOTS=1` writes it instead.
func expectSnapshot(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let text = StyledSnapshot.text(buffer, framed: false)
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try text.write(to: source, atomically: true, encoding: .utf8)
        return
    }
    guard let stored = try? String(contentsOf: source, encoding: .utf8) else {
        Issue.record("no snapshot \(name); run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    if stored != text {
        let a = stored.split(separator: "\n", omittingEmptySubsequences: false), b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let diff = zip(a.indices, zip(a, b)).filter { $1.0 != $1.1 }.prefix(6).map { "line \($0 + 1):\n  stored: \($1.0)\n  now:    \($1.1)" }
        Issue.record("snapshot \(name) differs:\n\(diff.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}

extension Updater {
    /// Sends keys by name, returning all effects.
    mutating func keys(_ s: inout AppState, _ names: String...) -> [Effect] {
        names.flatMap { update(&s, .key(Key(name: $0)!)) }
    }
}
