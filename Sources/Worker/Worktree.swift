import Foundation
import Core
import Storage
import Git

extension LaunchPlan {
    /// The isolation that applies to a run: the task's when it has one, else its capability's.
    public static func isolation(task: TaskItem, capability: Capability) -> Isolation { task.isolation ?? capability.isolation }

    /// A run with `isolation = worktree` works in its task's git worktree (made from the repository of its
    /// working directory, Git/Worktrees); other runs are left as they are.
    func isolated(execution e: Execution, task: TaskItem, capability: Capability, store: Store, options: WorkerOptions) throws -> LaunchPlan {
        guard Self.isolation(task: task, capability: capability) == .worktree else { return self }
        let worktrees = Worktrees(store: store, git: try Git(environment: options.environment))
        let (_, dir) = try worktrees.prepare(execution: e, task: task, directory: workingDirectory,
                                             worktreesFolder: WorkerOptions.worktreesFolder(logDirectory: options.logDirectory))
        var plan = self
        plan.workingDirectory = dir
        return plan
    }
}

extension WorkerOptions {
    /// Next to the worker's log folder: `<data>/agentmon/worktrees` by default.
    public static func worktreesFolder(logDirectory: String) -> String {
        (PathText.parent(of: logDirectory) as NSString).appendingPathComponent("worktrees")
    }
}
