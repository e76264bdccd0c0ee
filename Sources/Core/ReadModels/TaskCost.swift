import Foundation

/// What the sessions of one task cost, for its card and its detail.
public struct TaskCost: Sendable, Equatable {
    public var sessions: Int
    public var tokens: Int64
    public var costUsd: Double
    public init(sessions: Int = 0, tokens: Int64 = 0, costUsd: Double = 0) {
        self.sessions = sessions; self.tokens = tokens; self.costUsd = costUsd
    }
}
