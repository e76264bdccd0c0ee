import Foundation
import ArgumentParser
import Core
import Storage

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Add, list, show, edit, move and delete tasks and link their dependencies.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Move.self, Depend.self, Undepend.self, Delete.self, Merge.self])

    static func status(_ s: String) throws -> TaskStatus {
        guard let v = TaskStatus(userInput: s) else {
            throw CLIError("unknown status '\(Printable.cell(s))' (expected one of: \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return v
    }

    /// A date option: refused with the accepted forms (2026-13-45 is not quietly 2027-02-14).
    static func date(_ s: String, _ option: String) throws -> Date {
        guard let d = SQLTime.parse(s.trimmingCharacters(in: .whitespaces)) else {
            throw CLIError("\(option) '\(Printable.cell(s))' is not an ISO 8601 date; use \(SQLTime.acceptedForms)")
        }
        return d
    }

    static func id(_ s: String, _ what: String = "task") throws -> ID {
        guard let v = ID(s.trimmingCharacters(in: .whitespaces)), v > 0 else {
            throw CLIError("'\(Printable.cell(s))' is not a \(what) id (a positive number)")
        }
        return v
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a task.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Title.") var title: String
        @Option(help: "Description.") var description: String?
        @Option(help: "todo, in_progress, blocked, done or cancelled.") var status: String = "todo"
        @Option(parsing: .unconditional, help: "1 (highest) to 5.", transform: { try NumberArgument.int($0, "--priority", 1...5) })
        var priority: Int = 3
        @Option(help: "Agent slug to assign.") var assignee: String?
        @Option(help: "Parent task id.") var parent: String?
        @Option(help: "Due date, ISO 8601 (2026-12-01 or 2026-12-01T17:00:00Z).") var due: String?
        @Flag(help: "Print JSON.") var json = false

        /// Checked while parsing, before any database is opened.
        func validate() throws {
            _ = try TaskCommand.status(status)
            _ = try parent.map { try TaskCommand.id($0, "parent task") }
            _ = try due.map { try TaskCommand.date($0, "--due") }
        }

        func run() throws {
            let st = try TaskCommand.status(status)
            let parentId = try parent.map { try TaskCommand.id($0, "parent task") }
            let dueAt = try due.map { try TaskCommand.date($0, "--due") }
            let store = try global.openStore()
            defer { store.close() }
            let assigneeId = try assignee.map { try store.agents.require(slug: $0).id }
            let t = try store.tasks.create(NewTask(title: title, description: description, status: st, priority: priority,
                                                   parentId: parentId, assigneeId: assigneeId, dueAt: dueAt))
            if json { JSONOutput.print(.object(JSONOutput.task(t))) } else { Console.line("created task \(t.id)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tasks by column, then position.")
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
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a task with its dependencies and audit trail.")
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
            Console.line("#\(t.id) \(Printable.cell(t.title))")
            Console.line("status: \(t.status.rawValue)  priority: P\(t.priority)  assignee: \(t.assigneeSlug ?? "-")  due: \(t.dueAt.map(SQLTime.format) ?? "-")")
            if let p = t.parentId { Console.line("parent: #\(p)") }
            if !deps.isEmpty { Console.line("depends on: " + deps.map { "#\($0)" }.joined(separator: ", ")) }
            if let cap = t.autoRunCapabilityId {
                let c = try? store.agents.capability(cap), a = c.flatMap { try? store.agents.get($0.agentId) }
                let name = c.map { "\(a?.slug ?? "?"):\($0.key)" } ?? "capability #\(cap)"
                Console.line("auto-run: \(Printable.cell(name))" + (t.autoRunExecutionId.map { " (queued as execution #\($0))" } ?? " (when its dependencies are done)"))
            }
            if let i = t.isolation { Console.line("isolation: \(i.rawValue)") }
            if let d = t.description, !d.isEmpty { Console.line("\n" + Printable.text(d)) }
            Console.line("\nevents:")
            for e in events {
                Console.line("  \(SQLTime.format(e.createdAt))  \(e.actorType.rawValue)  \(e.eventType)  \(Printable.cell(e.payload.jsonString))")
            }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "move", abstract: "Move a task to a column, at a 0-based position (default: last).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Option(help: "Target status.") var to: String
        @Option(parsing: .unconditional, help: "0-based index in the target column.",
                transform: { try NumberArgument.int($0, "--position", 0...Int.max) })
        var position: Int?

        func run() throws {
            let taskId = try TaskCommand.id(id)
            let st = try TaskCommand.status(to)
            if let position, position < 0 { throw CLIError("--position must be 0 or more") }
            let store = try global.openStore()
            defer { store.close() }
            let t = try store.tasks.move(taskId, to: st, position: position)
            Console.line("moved task \(t.id) to \(st.rawValue) at position \(try store.tasks.position(of: t))")
        }
    }

    struct Depend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "depend", abstract: "Make a task depend on another (cycles are refused).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id.") var id: String
        @Option(help: "The task it depends on.") var on: String

        func run() throws {
            let taskId = try TaskCommand.id(id), onId = try TaskCommand.id(on)
            let store = try global.openStore()
            defer { store.close() }
            try store.tasks.addDependency(taskId, on: onId)
            Console.line("task \(taskId) depends on task \(onId)")
        }
    }
}
