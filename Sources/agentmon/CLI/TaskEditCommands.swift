import Foundation
import ArgumentParser
import Core
import Storage

/// "3 executions", "1 execution": counts in the words of a removal's message.
enum Count {
    static func of(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(n) \(n == 1 ? one : many ?? one + "s")" }
    /// "a, b and c"
    static func list(_ parts: [String]) -> String {
        parts.count <= 1 ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
}

extension TaskCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a task's fields.",
            discussion: "Only the options given change. An empty --description, --assignee, --parent or --due clears it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Option(help: "Title.") var title: String?
        @Option(help: "Description (\"\" clears it).") var description: String?
        @Option(parsing: .unconditional, help: "1 (highest) to 5.", transform: { try NumberArgument.int($0, "--priority", 1...5) })
        var priority: Int?
        @Option(help: "Agent slug to assign (\"\" unassigns).") var assignee: String?
        @Option(help: "Parent task id (\"\" clears it).") var parent: String?
        @Option(help: "Due date, ISO 8601 (\"\" clears it).") var due: String?
        @Option(name: .customLong("auto-run"), help: ArgumentHelp(
            "AGENT:KEY queued once, by the system, when the task's last unmet dependency moves to Done (none clears it).",
            valueName: "AGENT:KEY")) var autoRun: String?
        @Option(help: "worktree or none for this task's runs; inherit: the capability's.") var isolation: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let isolation, isolation != "inherit", Isolation(rawValue: isolation) == nil {
                throw CLIError("--isolation must be worktree, none or inherit")
            }
            if let title, title.isEmpty { throw CLIError("--title must not be empty") }
            if let parent, !parent.isEmpty { _ = try TaskCommand.id(parent, "parent task") }
            if let due, !due.isEmpty { _ = try TaskCommand.date(due, "--due") }
        }

        func run() throws {
            let taskId = try TaskCommand.id(id)
            var patch = TaskPatch()
            patch.title = title
            patch.priority = priority
            if let description { patch.description = .some(description.isEmpty ? nil : description) }
            if let parent { patch.parentId = .some(parent.isEmpty ? nil : try TaskCommand.id(parent, "parent task")) }
            if let due { patch.dueAt = .some(due.isEmpty ? nil : try TaskCommand.date(due, "--due")) }
            if let isolation { patch.isolation = .some(Isolation(rawValue: isolation)) }
            if [title, description, assignee, parent, due, autoRun, isolation].allSatisfy({ $0 == nil }), priority == nil {
                throw CLIError("nothing to change: give at least one option (see agentmon task edit --help)")
            }
            let store = try global.openStore()
            defer { store.close() }
            if let assignee { patch.assigneeId = .some(assignee.isEmpty ? nil : try store.agents.require(slug: assignee).id) }
            if let autoRun { patch.autoRunCapabilityId = .some(["", "none"].contains(autoRun) ? nil : try CapabilityCommand.find(store, autoRun).1.id) }
            let before = try store.tasks.get(taskId)
            let t = try store.tasks.update(taskId, patch)
            if json { JSONOutput.print(.object(JSONOutput.task(t))); return }
            Console.line(t.updatedAt == before.updatedAt ? "task \(t.id) unchanged" : "updated task \(t.id)")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a task with its events and dependency links.",
            discussion: """
                A task that has subtasks, dependent tasks or executions is deleted only with --force: its executions \
                (and their logs) go with it, tasks depending on it lose that link, its subtasks stay without a parent. \
                A task with a running execution is never deleted: cancel the run first.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Flag(help: "Delete it even when other rows point at it.") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let taskId = try TaskCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            _ = try store.tasks.get(taskId)
            let d = try store.tasks.removalCounts(of: taskId)
            if !force, d.subtasks + d.dependents + d.executions > 0 {
                var has: [String] = [], effects: [String] = []
                if d.subtasks > 0 { has.append(Count.of(d.subtasks, "subtask")); effects.append("leaves the subtasks without a parent") }
                if d.dependents > 0 {
                    has.append(Count.of(d.dependents, "dependent task")); effects.append("removes the dependents' links to it")
                }
                if d.executions > 0 { has.append(Count.of(d.executions, "execution")); effects.append("deletes the executions and their logs") }
                throw CLIError("task \(taskId) has \(Count.list(has)); --force \(Count.list(effects))")
            }
            try store.tasks.delete(taskId)
            if json {
                JSONOutput.print(.object(["id": JSONOutput.id(taskId), "deleted": .bool(true), "executions": JSONOutput.int(d.executions),
                                          "subtasks_unparented": JSONOutput.int(d.subtasks), "dependents_unlinked": JSONOutput.int(d.dependents)]))
            } else {
                Console.line("deleted task \(taskId)")
            }
        }
    }

    struct Undepend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "undepend", abstract: "Remove a dependency between two tasks.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Option(help: "The task it no longer depends on.") var on: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let taskId = try TaskCommand.id(id), onId = try TaskCommand.id(on)
            let store = try global.openStore()
            defer { store.close() }
            try store.tasks.removeDependency(taskId, on: onId)
            if json {
                JSONOutput.print(.object(["task_id": JSONOutput.id(taskId), "depends_on": .array(try store.tasks.dependencies(of: taskId).map { JSONOutput.id($0) }),
                                          "removed": JSONOutput.id(onId)]))
            } else {
                Console.line("task \(taskId) no longer depends on task \(onId)")
            }
        }
    }
}
