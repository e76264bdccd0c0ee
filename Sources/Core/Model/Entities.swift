import Foundation

// Plain values mirroring the tables of DESIGN.md §2. Ids are database integers: short enough to type
// in a terminal (`agentmon task move 12 --to done`), ordered for keyset paging.

public typealias ID = Int64

public struct Agent: Sendable, Equatable, Codable {
    public var id: ID
    public var slug: String
    public var name: String
    public var kind: AgentKind
    public var toolType: ToolType
    public var binaryPath: String
    public var baseArgs: [String]
    public var workingDir: String?
    public var envAllowlist: [String]
    public var isActive: Bool
    public var maxConcurrent: Int
    public var discoveryMethod: DiscoveryMethod
    public var version: String?
    public var model: String?
    public var instructions: String?
    public var permissionMode: String?
    public var maxSteps: Int?
    public var sessionConfig: JSONValue?
    public var metadata: JSONValue
    /// Its runs get agentmon's MCP server (`agentmon mcp`) in the configuration their CLI reads.
    public var mcpEnabled: Bool
    /// No run of the agent is claimed before this: its provider's rate limit resets then (set by the worker).
    public var limitedUntil: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: ID = 0, slug: String, name: String, kind: AgentKind = .custom, toolType: ToolType = .cliTool,
                binaryPath: String, baseArgs: [String] = [], workingDir: String? = nil, envAllowlist: [String] = [],
                isActive: Bool = true, maxConcurrent: Int = 1, discoveryMethod: DiscoveryMethod = .manual,
                version: String? = nil, model: String? = nil, instructions: String? = nil,
                permissionMode: String? = nil, maxSteps: Int? = nil, sessionConfig: JSONValue? = nil,
                metadata: JSONValue = .object([:]), mcpEnabled: Bool = false, createdAt: Date = Date(), updatedAt: Date = Date(),
                limitedUntil: Date? = nil) {
        self.limitedUntil = limitedUntil
        self.id = id; self.slug = slug; self.name = name; self.kind = kind; self.toolType = toolType
        self.binaryPath = binaryPath; self.baseArgs = baseArgs; self.workingDir = workingDir
        self.envAllowlist = envAllowlist; self.isActive = isActive; self.maxConcurrent = maxConcurrent
        self.discoveryMethod = discoveryMethod; self.version = version; self.model = model
        self.instructions = instructions; self.permissionMode = permissionMode; self.maxSteps = maxSteps
        self.sessionConfig = sessionConfig; self.metadata = metadata; self.mcpEnabled = mcpEnabled
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

public struct Capability: Sendable, Equatable, Codable {
    public var id: ID
    public var agentId: ID
    public var key: String
    public var label: String
    public var description: String?
    public var source: CapabilitySource
    public var mode: InteractionMode
    public var commandTokens: [String]?
    public var promptTemplate: String?
    public var argsSchema: JSONValue
    public var requiresApproval: Bool
    public var isEnabled: Bool
    public var dangerLevel: Int
    public var timeoutSec: Int
    public var maxOutputBytes: Int64
    public var isolation: Isolation
    public var createdAt: Date

    public init(id: ID = 0, agentId: ID, key: String, label: String, description: String? = nil,
                source: CapabilitySource = .manual, mode: InteractionMode, commandTokens: [String]? = nil,
                promptTemplate: String? = nil, argsSchema: JSONValue = .object([:]), requiresApproval: Bool = false,
                isEnabled: Bool = true, dangerLevel: Int = 0, timeoutSec: Int = 300,
                maxOutputBytes: Int64 = 10 * 1024 * 1024, isolation: Isolation = .none, createdAt: Date = Date()) {
        self.id = id; self.agentId = agentId; self.key = key; self.label = label; self.description = description
        self.isolation = isolation
        self.source = source; self.mode = mode; self.commandTokens = commandTokens; self.promptTemplate = promptTemplate
        self.argsSchema = argsSchema; self.requiresApproval = requiresApproval; self.isEnabled = isEnabled
        self.dangerLevel = dangerLevel; self.timeoutSec = timeoutSec; self.maxOutputBytes = maxOutputBytes
        self.createdAt = createdAt
    }
}

/// tasks.input_context
public struct TaskInputContext: Sendable, Equatable, Codable {
    public var workingDir: String?
    public var envOverrides: [String: String]?
    public var args: [String: String]?
    public var promptAdditions: String?
    public init(workingDir: String? = nil, envOverrides: [String: String]? = nil, args: [String: String]? = nil,
                promptAdditions: String? = nil) {
        self.workingDir = workingDir; self.envOverrides = envOverrides; self.args = args
        self.promptAdditions = promptAdditions
    }
    public var isEmpty: Bool { workingDir == nil && envOverrides == nil && args == nil && promptAdditions == nil }
}

/// A Kanban card (`Task` would clash with Swift concurrency's Task).
public struct TaskItem: Sendable, Equatable, Codable {
    public var id: ID
    public var title: String
    public var description: String?
    public var status: TaskStatus
    public var priority: Int
    public var sortOrder: Int64
    public var parentId: ID?
    public var assigneeId: ID?
    public var assigneeSlug: String?
    public var inputContext: TaskInputContext
    public var dueAt: Date?
    /// nil: the capability's isolation decides.
    public var isolation: Isolation?
    public var createdAt: Date
    public var updatedAt: Date
    /// The capability queued, once, when the task's last unmet dependency moves to Done.
    public var autoRunCapabilityId: ID?
    /// The run auto-run queued (set: it will not be queued again until auto-run is set anew).
    public var autoRunExecutionId: ID?

    public init(id: ID = 0, title: String, description: String? = nil, status: TaskStatus = .todo, priority: Int = 3,
                sortOrder: Int64 = 0, parentId: ID? = nil, assigneeId: ID? = nil, assigneeSlug: String? = nil,
                inputContext: TaskInputContext = .init(), dueAt: Date? = nil, isolation: Isolation? = nil,
                createdAt: Date = Date(), updatedAt: Date = Date(), autoRunCapabilityId: ID? = nil, autoRunExecutionId: ID? = nil) {
        self.isolation = isolation
        self.autoRunCapabilityId = autoRunCapabilityId; self.autoRunExecutionId = autoRunExecutionId
        self.id = id; self.title = title; self.description = description; self.status = status
        self.priority = priority; self.sortOrder = sortOrder; self.parentId = parentId; self.assigneeId = assigneeId
        self.assigneeSlug = assigneeSlug; self.inputContext = inputContext; self.dueAt = dueAt
        self.createdAt = createdAt; self.updatedAt = updatedAt
    }
}

public struct TaskEvent: Sendable, Equatable, Codable {
    public var id: ID
    public var taskId: ID
    public var actorType: ActorType
    public var actorId: String?
    public var eventType: String
    public var payload: JSONValue
    public var createdAt: Date
    public init(id: ID, taskId: ID, actorType: ActorType, actorId: String?, eventType: String, payload: JSONValue,
                createdAt: Date) {
        self.id = id; self.taskId = taskId; self.actorType = actorType; self.actorId = actorId
        self.eventType = eventType; self.payload = payload; self.createdAt = createdAt
    }
}

/// Who made a change, recorded on every task event.
public struct Actor: Sendable, Equatable {
    public var type: ActorType
    public var id: String?
    public init(_ type: ActorType, id: String? = nil) { self.type = type; self.id = id }
    public static let user = Actor(.user)
    public static let system = Actor(.system)
}

public struct Execution: Sendable, Equatable, Codable {
    public var id: ID
    public var taskId: ID
    public var agentId: ID
    public var capabilityId: ID
    public var status: ExecutionStatus
    public var mode: InteractionMode
    public var args: [String: String]
    public var prompt: String?
    public var requiresApproval: Bool
    public var approvedAt: Date?
    public var approvedBy: String?
    public var pid: Int?
    public var workerId: String?
    public var heartbeatAt: Date?
    public var attempt: Int
    public var retryCount: Int
    public var maxRetries: Int
    public var retryOf: ID?
    public var parentExecutionId: ID?
    public var sessionRef: String?
    /// The tmux session hosting the run's program (protocol `tmux`), on agentmon's own tmux socket of the
    /// worker's host; nil for a run the worker started itself.
    public var tmuxSessionName: String?
    /// Not claimed before this: the run waits for a provider's rate limit to reset (it is requeued, its
    /// attempt unchanged).
    public var notBefore: Date?
    public var startedAt: Date?
    public var endedAt: Date?
    public var exitCode: Int?
    public var error: String?
    public var logFilePath: String?
    public var logByteSize: Int64
    public var logLineCount: Int64
    public var logUpdatedAt: Date?
    /// The log file lacks bytes the program wrote (a write failed); the database chunks are complete.
    public var logFileIncomplete: Bool
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var cacheReadTokens: Int64
    public var cacheWriteTokens: Int64
    public var costUsd: Double
    public var createdAt: Date

    public init(id: ID = 0, taskId: ID, agentId: ID, capabilityId: ID, status: ExecutionStatus = .queued,
                mode: InteractionMode = .template, args: [String: String] = [:], prompt: String? = nil,
                requiresApproval: Bool = false, approvedAt: Date? = nil, approvedBy: String? = nil, pid: Int? = nil,
                workerId: String? = nil, heartbeatAt: Date? = nil, attempt: Int = 1, retryCount: Int = 0,
                maxRetries: Int = 0, retryOf: ID? = nil, parentExecutionId: ID? = nil, sessionRef: String? = nil,
                startedAt: Date? = nil, endedAt: Date? = nil, exitCode: Int? = nil, error: String? = nil,
                logFilePath: String? = nil, logByteSize: Int64 = 0, logLineCount: Int64 = 0,
                logUpdatedAt: Date? = nil, logFileIncomplete: Bool = false, inputTokens: Int64 = 0, outputTokens: Int64 = 0,
                cacheReadTokens: Int64 = 0, cacheWriteTokens: Int64 = 0, costUsd: Double = 0,
                createdAt: Date = Date(), tmuxSessionName: String? = nil, notBefore: Date? = nil) {
        self.id = id; self.taskId = taskId; self.agentId = agentId; self.capabilityId = capabilityId
        self.notBefore = notBefore
        self.status = status; self.mode = mode; self.args = args; self.prompt = prompt
        self.requiresApproval = requiresApproval; self.approvedAt = approvedAt; self.approvedBy = approvedBy
        self.pid = pid; self.workerId = workerId; self.heartbeatAt = heartbeatAt; self.attempt = attempt
        self.retryCount = retryCount; self.maxRetries = maxRetries; self.retryOf = retryOf
        self.parentExecutionId = parentExecutionId; self.sessionRef = sessionRef; self.startedAt = startedAt
        self.endedAt = endedAt; self.exitCode = exitCode; self.error = error; self.logFilePath = logFilePath
        self.logByteSize = logByteSize; self.logLineCount = logLineCount; self.logUpdatedAt = logUpdatedAt
        self.logFileIncomplete = logFileIncomplete
        self.inputTokens = inputTokens; self.outputTokens = outputTokens; self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens; self.costUsd = costUsd; self.createdAt = createdAt
        self.tmuxSessionName = tmuxSessionName
    }
}

public struct LogChunk: Sendable, Equatable {
    public var executionId: ID
    public var seq: Int64
    public var offset: Int64
    public var data: [UInt8]
    public var createdAt: Date
    public init(executionId: ID, seq: Int64, offset: Int64, data: [UInt8], createdAt: Date = Date()) {
        self.executionId = executionId; self.seq = seq; self.offset = offset; self.data = data; self.createdAt = createdAt
    }
}

/// Per-session overrides of agent settings: nil means "inherit from the agent".
public struct SessionOverrides: Sendable, Equatable, Codable {
    public var model: String?
    public var instructions: String?
    public var permissionMode: String?
    public var maxSteps: Int?
    public init(model: String? = nil, instructions: String? = nil, permissionMode: String? = nil, maxSteps: Int? = nil) {
        self.model = model; self.instructions = instructions; self.permissionMode = permissionMode; self.maxSteps = maxSteps
    }
}

public struct Session: Sendable, Equatable, Codable {
    public var id: ID
    public var title: String?
    public var agentId: ID
    public var subAgentIds: [ID]
    public var userGoal: String?
    public var status: SessionStatus
    public var externalSessionId: String?
    public var executionId: ID?
    public var taskId: ID?
    public var overrides: SessionOverrides
    public var metadata: JSONValue
    public var inputTokens: Int64
    public var outputTokens: Int64
    public var cacheReadTokens: Int64
    public var cacheWriteTokens: Int64
    public var costUsd: Double
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: ID = 0, title: String? = nil, agentId: ID, subAgentIds: [ID] = [], userGoal: String? = nil,
                status: SessionStatus = .idle, externalSessionId: String? = nil, executionId: ID? = nil,
                taskId: ID? = nil, overrides: SessionOverrides = .init(), metadata: JSONValue = .object([:]),
                inputTokens: Int64 = 0, outputTokens: Int64 = 0, cacheReadTokens: Int64 = 0,
                cacheWriteTokens: Int64 = 0, costUsd: Double = 0, createdAt: Date = Date(), updatedAt: Date = Date()) {
        self.id = id; self.title = title; self.agentId = agentId; self.subAgentIds = subAgentIds
        self.userGoal = userGoal; self.status = status; self.externalSessionId = externalSessionId
        self.executionId = executionId; self.taskId = taskId; self.overrides = overrides; self.metadata = metadata
        self.inputTokens = inputTokens; self.outputTokens = outputTokens; self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens; self.costUsd = costUsd; self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct Message: Sendable, Equatable, Codable {
    public var id: ID
    public var sessionId: ID
    public var parentId: ID?
    public var seq: Int64
    public var role: MessageRole
    public var kind: MessageKind
    public var content: String
    public var metadata: JSONValue
    public var externalId: String?
    public var inputTokens: Int64
    public var outputTokens: Int64
    /// Usage of the API call this message records (on the first message of a call only): `inputTokens` counts
    /// every input token, these the cached parts of it (`cacheWrite1hTokens` the 1-hour tier of the writes).
    public var cacheReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var cacheWrite1hTokens: Int64 = 0
    public var model: String?
    /// The cost the transcript recorded for the call (Claude Code's `costUSD`), when it did.
    public var costUsd: Double?
    /// A failed tool result or a failed turn (`e`/`E` in the transcript jump between them).
    public var isError: Bool
    public var createdAt: Date

    public init(id: ID = 0, sessionId: ID, parentId: ID? = nil, seq: Int64 = 0, role: MessageRole,
                kind: MessageKind = .message, content: String, metadata: JSONValue = .object([:]),
                externalId: String? = nil, inputTokens: Int64 = 0, outputTokens: Int64 = 0, cacheReadTokens: Int64 = 0,
                cacheWriteTokens: Int64 = 0, cacheWrite1hTokens: Int64 = 0, model: String? = nil, costUsd: Double? = nil,
                isError: Bool? = nil, createdAt: Date = Date()) {
        self.isError = isError ?? (metadata["is_error"]?.boolValue == true)
        self.id = id; self.sessionId = sessionId; self.parentId = parentId; self.seq = seq; self.role = role
        self.kind = kind; self.content = content; self.metadata = metadata; self.externalId = externalId
        self.inputTokens = inputTokens; self.outputTokens = outputTokens; self.createdAt = createdAt
        self.cacheReadTokens = cacheReadTokens; self.cacheWriteTokens = cacheWriteTokens; self.cacheWrite1hTokens = cacheWrite1hTokens
        self.model = model; self.costUsd = costUsd
    }
}

public struct ToolCall: Sendable, Equatable, Codable {
    public var id: ID
    public var sessionId: ID
    public var messageId: ID?
    public var externalId: String?
    public var toolName: String
    public var input: String
    public var output: String?
    public var status: ToolCallStatus
    public var durationMs: Int64?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionReason: String?
    /// Waiting for a person (a pending confirmation) until decided.
    public var requiresConfirmation: Bool
    /// What the agent said when it asked (the seed's `userMessage`).
    public var confirmationMessage: String?
    public var createdAt: Date

    public init(id: ID = 0, sessionId: ID, messageId: ID? = nil, externalId: String? = nil, toolName: String,
                input: String, output: String? = nil, status: ToolCallStatus = .pending, durationMs: Int64? = nil,
                decidedBy: String? = nil, decidedAt: Date? = nil, decisionReason: String? = nil,
                requiresConfirmation: Bool = false, confirmationMessage: String? = nil, createdAt: Date = Date()) {
        self.requiresConfirmation = requiresConfirmation; self.confirmationMessage = confirmationMessage
        self.id = id; self.sessionId = sessionId; self.messageId = messageId; self.externalId = externalId
        self.toolName = toolName; self.input = input; self.output = output; self.status = status
        self.durationMs = durationMs; self.decidedBy = decidedBy; self.decidedAt = decidedAt
        self.decisionReason = decisionReason; self.createdAt = createdAt
    }
}

public struct WorkerInfo: Sendable, Equatable, Codable {
    public var workerId: String
    public var host: String
    public var pid: Int
    public var lastSeenAt: Date
    public var currentExecutions: Int
    public var startedAt: Date
    public init(workerId: String, host: String, pid: Int, lastSeenAt: Date, currentExecutions: Int, startedAt: Date) {
        self.workerId = workerId; self.host = host; self.pid = pid; self.lastSeenAt = lastSeenAt
        self.currentExecutions = currentExecutions; self.startedAt = startedAt
    }
}
