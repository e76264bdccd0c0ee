import Foundation
import ArgumentParser
import Core
import Storage

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Add, list, show, move tasks and link their dependencies.",
        subcommands: [Add.self, List.self, Show.self, Move.self, Depend.self])

    static func status(_ s: String) throws -> TaskStatus {
        guard let v = TaskStatus(userInput: s) else {
            throw CLIError("unknown status '\(Printable.cell(s))' (expected one of: \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return v
    }

    static func id(_ s: String, _ what: String = "task") throws -> ID {
        guard let v = ID(s.trimmingCharacters(in: .whitespaces)), v > 0 else {
            throw CLIError("'\(Printable.cell(s))' is not a \(what) id (a positive number)")
        }
        return v
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a task.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Title.") var title: String
        @Option(help: "Description.") var description: String?
        @Option(help: "todo, in_progress, blocked, done or cancelled.") var status: String = "todo"
        @Option(help: "1 (highest) to 5.") var priority: Int = 3
        @Option(help: "Agent slug to assign.") var assignee: String?
        @Option(help: "Parent task id.") var parent: String?
        @Option(help: "Due date, ISO 8601 (2026-12-01 or 2026-12-01T17:00:00Z).") var due: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let st = try TaskCommand.status(status)
            let parentId = try parent.map { try TaskCommand.id($0, "parent task") }
            var dueAt: Date?
            if let due {
                guard let d = SQLTime.parse(due) else { throw CLIError("--due '\(Printable.cell(due))' is not an ISO 8601 date") }
                dueAt = d
            }
            let store = try global.openStore()
            defer { store.close() }
            let assigneeId = try assignee.map { try store.agents.require(slug: $0).id }
            let t = try store.tasks.create(NewTask(title: title, description: description, status: st, priority: priority,
                                                   parentId: parentId, assigneeId: assigneeId, dueAt: dueAt))
            if json { JSONOutput.print(.object(JSONOutput.task(t))) } else { print("created task \(t.id)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tasks by column, then position.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this status.") var status: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let st = try status.map(TaskCommand.status)
            let store = try global.openStore()
            defer { store.close() }
            try Self.printTasks(try store.tasks.list(status: st), json: json)
        }

        static func printTasks(_ tasks: [TaskItem], json: Bool) throws {
            if json { JSONOutput.print(.array(tasks.map { .object(JSONOutput.task($0)) })); return }
            TextTable.print(header: ["ID", "STATUS", "PRI", "ASSIGNEE", "DUE", "TITLE"], rows: tasks.map {
                [String($0.id), $0.status.rawValue, "P\($0.priority)", $0.assigneeSlug ?? "-",
                 $0.dueAt.map { String(SQLTime.format($0).prefix(10)) } ?? "-", $0.title]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a task with its dependencies and audit trail.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let taskId = try TaskCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            let t = try store.tasks.get(taskId)
            let deps = try store.tasks.dependencies(of: taskId)
            let events = try store.tasks.events(taskId: taskId)
            if json { JSONOutput.print(JSONOutput.taskDetail(t, dependsOn: deps, events: events)); return }
            print("#\(t.id) \(Printable.cell(t.title))")
            print("status: \(t.status.rawValue)  priority: P\(t.priority)  assignee: \(t.assigneeSlug ?? "-")  due: \(t.dueAt.map(SQLTime.format) ?? "-")")
            if let p = t.parentId { print("parent: #\(p)") }
            if !deps.isEmpty { print("depends on: " + deps.map { "#\($0)" }.joined(separator: ", ")) }
            if let d = t.description, !d.isEmpty { print("\n" + Printable.text(d)) }
            print("\nevents:")
            for e in events {
                print("  \(SQLTime.format(e.createdAt))  \(e.actorType.rawValue)  \(e.eventType)  \(Printable.cell(e.payload.jsonString))")
            }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a task to a column, at a 0-based position (default: last).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Option(help: "Target status.") var to: String
        @Option(help: "0-based index in the target column.") var position: Int?

        func run() throws {
            let taskId = try TaskCommand.id(id)
            let st = try TaskCommand.status(to)
            if let position, position < 0 { throw CLIError("--position must be 0 or more") }
            let store = try global.openStore()
            defer { store.close() }
            let t = try store.tasks.move(taskId, to: st, position: position)
            print("moved task \(t.id) to \(st.rawValue) at position \(try store.tasks.position(of: t))")
        }
    }

    struct Depend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a task depend on another (cycles are refused).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Option(help: "The task it depends on.") var on: String

        func run() throws {
            let taskId = try TaskCommand.id(id), onId = try TaskCommand.id(on)
            let store = try global.openStore()
            defer { store.close() }
            try store.tasks.addDependency(taskId, on: onId)
            print("task \(taskId) depends on task \(onId)")
        }
    }
}
