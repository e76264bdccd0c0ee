import Synchronization
import Foundation
import Core

/// What a card needs besides its task: computed by the loader in the same round trip.
public struct CardInfo: Sendable, Equatable {
    public var task: TaskItem
    public var unmetDependencies: Int
    public var subtasksDone: Int
    public var subtasksTotal: Int
    public var latestExecution: ExecutionStatus?
    public var costUsd: Double
    /// The latest run waits in the queue for a provider's rate limit to reset, until then.
    public var waitsUntil: Date?
    /// `agent:key` that runs by itself when the dependencies are done (shown until it is queued).
    public var autoRun: String?
    /// The latest run waits for a person's answer to a permission request.
    public var awaitsDecision = false
    public init(task: TaskItem, unmetDependencies: Int = 0, subtasksDone: Int = 0, subtasksTotal: Int = 0,
                latestExecution: ExecutionStatus? = nil, costUsd: Double = 0, waitsUntil: Date? = nil, autoRun: String? = nil) {
        self.task = task; self.unmetDependencies = unmetDependencies; self.subtasksDone = subtasksDone
        self.subtasksTotal = subtasksTotal; self.latestExecution = latestExecution; self.costUsd = costUsd
        self.waitsUntil = waitsUntil; self.autoRun = autoRun
    }
}

/// One column: a window of loaded cards (`windowStart` is the absolute index of `cards[0]`), the column's
/// total, and the selection as an absolute index. Thousands of cards never have to be in memory.
public struct ColumnModel: Sendable, Equatable {
    public var status: TaskStatus
    public var cards: [CardInfo] = [] { didSet { cardsRevision = Self.newRevision() } }
    /// A number no other version of any column's cards has (a new one at every change of `cards`): a view
    /// tells unchanged cards by it without comparing them. Not part of equality.
    public private(set) var cardsRevision = ColumnModel.newRevision()
    public var windowStart = 0
    public var total = 0
    public var selected = 0
    public var offset = 0
    /// The selected task's id: after a reload or a move, the selection follows the card.
    public var selectedId: ID?

    public init(status: TaskStatus) { self.status = status }

    private static let revisions = Atomic<Int>(0)
    static func newRevision() -> Int { revisions.wrappingAdd(1, ordering: .relaxed).newValue }

    public static func == (a: ColumnModel, b: ColumnModel) -> Bool {
        a.status == b.status && a.cards == b.cards && a.windowStart == b.windowStart && a.total == b.total
            && a.selected == b.selected && a.offset == b.offset && a.selectedId == b.selectedId
    }

    public var windowEnd: Int { windowStart + cards.count }
    public func card(at index: Int) -> CardInfo? {
        let i = index - windowStart
        return cards.indices.contains(i) ? cards[i] : nil
    }
    public var selectedCard: CardInfo? { card(at: selected) }

    /// Whether a window around `index` must be fetched (within `margin` cards of an unloaded edge).
    public func needsWindow(around index: Int, margin: Int) -> Bool {
        guard total > 0 else { return false }
        let lowMissing = windowStart > 0 && index - windowStart < margin
        let highMissing = windowEnd < total && windowEnd - index <= margin
        return lowMissing || highMissing
    }

    mutating func select(_ index: Int) {
        selected = total == 0 ? 0 : min(max(0, index), total - 1)
        selectedId = selectedCard?.task.id
    }
}

/// Where a column's window should be loaded.
public enum WindowAnchor: Sendable, Equatable {
    case top
    case bottom
    /// Around a task (kept selected), by its sort order.
    case task(ID)
    /// Around an absolute index.
    case index(Int)
}

/// The board: five columns and the focused one.
public struct BoardModel: Sendable, Equatable {
    public var columns: [ColumnModel] = TaskStatus.allCases.map(ColumnModel.init)
    public var focused = 0
    public var filter = ""
    public var loaded = false

    public init() {}

    public var focusedColumn: ColumnModel { columns[focused] }
    public var selectedCard: CardInfo? { columns[focused].selectedCard }

    public func index(of status: TaskStatus) -> Int { status.columnIndex }
}
