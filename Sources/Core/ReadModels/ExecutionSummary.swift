import Foundation

/// An execution with the names a list shows, read in one query.
public struct ExecutionSummary: Sendable, Equatable {
    public var execution: Execution
    public var taskTitle: String
    public var agentSlug: String
    public var capabilityKey: String
    public var dangerLevel: Int
    /// The host of the run's worker (from its heartbeat row), when it has one: a tmux-hosted run can only
    /// be attached to from there.
    public var workerHost: String?
    /// The run waits for a person's answer to a permission request (set by the dashboard's loader).
    public var awaitsDecision = false
    public init(execution: Execution, taskTitle: String, agentSlug: String, capabilityKey: String, dangerLevel: Int,
                workerHost: String? = nil) {
        self.execution = execution; self.taskTitle = taskTitle; self.agentSlug = agentSlug
        self.capabilityKey = capabilityKey; self.dangerLevel = dangerLevel; self.workerHost = workerHost
    }
}
