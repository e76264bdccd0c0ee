import Foundation
import Core
import Storage

/// The tools' definitions (what tools/list publishes) and what each does. Results use the entities' JSON
/// shapes of `--json` (EntityJSON), so an agent reads the same keys a script does.
enum AgentmonTools {
    typealias P = ToolDefinition.Property
    static let statuses = TaskStatus.allCases.map(\.rawValue)
    static let taskId = P(name: "task_id", kind: .integer(min: 1), description: "The task's id.", required: true)

    static let all: [ToolDefinition] = [
        ToolDefinition(name: "list_tasks", title: "List tasks",
                       description: "Tasks on the board, by column then position, optionally one column or the subtasks of one task.",
                       properties: [
                           P(name: "status", kind: .string(maxBytes: 32, choices: statuses), description: "Only this column.", required: false),
                           P(name: "parent_task_id", kind: .integer(min: 1), description: "Only the subtasks of this task.", required: false),
                           P(name: "limit", kind: .integer(min: 1), description: "At most this many (default 200).", required: false),
                       ], writes: false),
        ToolDefinition(name: "get_task", title: "Get a task",
                       description: "One task with its description, dependencies, subtasks and audit trail (comments included).",
                       properties: [taskId], writes: false),
        ToolDefinition(name: "update_task_status", title: "Move a task",
                       description: "Moves a task to another column (todo, in_progress, blocked, done, cancelled), last in it unless a position is given.",
                       properties: [
                           taskId,
                           P(name: "status", kind: .string(maxBytes: 32, choices: statuses), description: "The new column.", required: true),
                           P(name: "position", kind: .integer(min: 0), description: "0-based place in the column (default: last).", required: false),
                       ], writes: true),
        ToolDefinition(name: "add_subtask", title: "Add a subtask",
                       description: "Creates a task under a parent task, in the todo column.",
                       properties: [
                           P(name: "parent_task_id", kind: .integer(min: 1), description: "The parent task's id.", required: true),
                           P(name: "title", kind: .string(maxBytes: 1000, choices: nil), description: "Title.", required: true),
                           P(name: "description", kind: .string(maxBytes: 64 * 1024, choices: nil), description: "Description.", required: false),
                           P(name: "priority", kind: .integer(min: 1), description: "1 (highest) to 5; default 3.", required: false),
                       ], writes: true),
        ToolDefinition(name: "add_comment", title: "Comment on a task",
                       description: "Adds a comment to a task's activity, shown in its card's detail.",
                       properties: [
                           taskId,
                           P(name: "text", kind: .string(maxBytes: TaskRepository.maxCommentBytes, choices: nil), description: "The comment.", required: true),
                       ], writes: true),
        ToolDefinition(name: "add_dependency", title: "Add a dependency",
                       description: "Makes a task depend on another; a dependency that would close a cycle is refused.",
                       properties: [
                           taskId,
                           P(name: "depends_on_task_id", kind: .integer(min: 1), description: "The task it depends on.", required: true),
                       ], writes: true),
        ToolDefinition(name: "list_agents", title: "List agents",
                       description: "The agents and CLI tools agentmon runs, with their capabilities (what queue_run can start).",
                       properties: [
                           P(name: "active_only", kind: .boolean, description: "Only agents workers run (default false).", required: false),
                       ], writes: false),
        ToolDefinition(name: "queue_run", title: "Queue a run",
                       description: "Queues an execution of an agent's capability on a task, as 'agentmon run' does; a worker starts it.",
                       properties: [
                           taskId,
                           P(name: "agent", kind: .string(maxBytes: 200, choices: nil), description: "The agent's slug.", required: true),
                           P(name: "capability", kind: .string(maxBytes: 200, choices: nil), description: "The capability's key.", required: true),
                           P(name: "args", kind: .stringMap, description: "Values for the capability's placeholders.", required: false),
                           P(name: "max_retries", kind: .integer(min: 0), description: "Attempts after a failure (default 0).", required: false),
                       ], writes: true),
    ]

    static func run(_ name: String, _ a: ToolArguments, store: Store, actor: Actor?) throws -> JSONValue {
        let who = actor ?? .system  // only reading tools come without an actor, and they write nothing
        switch name {
        case "list_tasks":
            let limit = Int(min(a.int("limit") ?? 200, 5000))
            let status = a.string("status").flatMap(TaskStatus.init(rawValue:))
            let tasks = try a.int("parent_task_id").map { try store.tasks.subtasks(of: $0).filter { status == nil || $0.status == status } }
                ?? (try store.tasks.list(status: status))
            return ["tasks": .array(tasks.prefix(limit).map { .object(EntityJSON.task($0)) }), "truncated": .bool(tasks.count > limit)]
        case "get_task":
            let id = try a.id("task_id")
            let t = try store.tasks.get(id)
            guard case .object(var o) = EntityJSON.taskDetail(t, dependsOn: try store.tasks.dependencies(of: id),
                                                              events: try store.tasks.events(taskId: id)) else { return .null }
            o["subtasks"] = .array(try store.tasks.subtasks(of: id).map { .object(EntityJSON.task($0)) })
            return .object(o)
        case "update_task_status":
            let status = try TaskStatus(rawValue: a.string("status") ?? "").orThrow("unknown status")
            let t = try store.tasks.move(try a.id("task_id"), to: status, position: a.int("position").map { Int(clamping: $0) }, actor: who)
            return ["task": .object(EntityJSON.task(t)), "position": .number(Double(try store.tasks.position(of: t)))]
        case "add_subtask":
            let priority = Int(clamping: a.int("priority") ?? 3)
            let t = try store.tasks.create(NewTask(title: a.string("title") ?? "", description: a.string("description"), priority: priority,
                                                   parentId: try a.id("parent_task_id")), actor: who)
            return ["task": .object(EntityJSON.task(t))]
        case "add_comment":
            let e = try store.tasks.addComment(try a.id("task_id"), text: a.string("text") ?? "", actor: who)
            return ["comment": ["id": EntityJSON.id(e.id), "task_id": EntityJSON.id(e.taskId), "actor_type": .string(e.actorType.rawValue),
                                "actor_id": EntityJSON.text(e.actorId), "text": e.payload["text"] ?? .null, "created_at": EntityJSON.time(e.createdAt)]]
        case "add_dependency":
            let id = try a.id("task_id"), on = try a.id("depends_on_task_id")
            try store.tasks.addDependency(id, on: on, actor: who)
            return ["task_id": EntityJSON.id(id), "depends_on": .array(try store.tasks.dependencies(of: id).map { EntityJSON.id($0) })]
        case "list_agents":
            let agents = try store.agents.list(activeOnly: a.bool("active_only") ?? false)
            return ["agents": .array(try agents.map { EntityJSON.agent($0, capabilities: try store.agents.capabilities(agentId: $0.id)) })]
        case "queue_run":
            return try queueRun(a, store: store, actor: who)
        default:
            throw ToolError("unknown tool: \(name)")
        }
    }

    /// `agentmon run` through MCP: the same checks (capability exists, every placeholder has a value).
    static func queueRun(_ a: ToolArguments, store: Store, actor: Actor) throws -> JSONValue {
        let taskId = try a.id("task_id"), slug = a.string("agent") ?? "", key = a.string("capability") ?? ""
        let t = try store.tasks.get(taskId)
        let agent = try store.agents.require(slug: slug)
        guard let cap = try store.agents.capability(agentId: agent.id, key: key) else {
            throw ToolError("agent '\(slug)' has no capability '\(key)' (list_agents shows what each can run)")
        }
        let (args, missing) = ArgsSchema.forRun(cap, values: a.strings("args"), task: t)
        if !missing.isEmpty { throw ToolError("capability \(slug):\(key) needs args: " + missing.joined(separator: ", ")) }
        let e = try store.executions.queue(.init(taskId: taskId, capabilityId: cap.id, args: args,
                                                 maxRetries: Int(clamping: a.int("max_retries") ?? 0),
                                                 requestedBy: actor.id ?? "agent", actor: actor))
        return ["execution": EntityJSON.execution(e)]
    }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let v = self else { throw ToolError(message) }
        return v
    }
}
