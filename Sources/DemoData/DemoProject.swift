import Foundation
import Core
import Storage

/// A realistic demo project written through the repositories: agents and their capabilities, a board with
/// tasks in every column (dependencies, subtasks, due dates), executions in every state with log files, and
/// agent sessions imported from the transcripts shipped in `Transcripts/`.
public enum DemoProject {
    public struct Summary: Sendable, Equatable {
        public var agents = 0, capabilities = 0, tasks = 0, dependencies = 0, executions = 0, sessions = 0,
                   messages = 0, toolCalls = 0
        public var executionStates: [ExecutionStatus: Int] = [:]
        public var taskStates: [TaskStatus: Int] = [:]
    }

    /// True when the database already holds tasks or agents (the demo then leaves it alone).
    public static func hasData(_ store: Store) throws -> Bool {
        try !store.agents.list().isEmpty || !store.tasks.list().isEmpty
    }

    /// Fills the database; the demo's agent scripts go in `folder/bin`, its logs in `folder/logs`, and
    /// tasks work in `folder/work`.
    @discardableResult
    public static func fill(_ store: Store, folder: String, now: Date = Date()) throws -> Summary {
        let transcripts = try DemoTranscripts.folder()  // before writing anything: a missing folder leaves no half demo
        let logDirectory = (folder as NSString).appendingPathComponent("logs")
        let work = (folder as NSString).appendingPathComponent("work")
        for d in [logDirectory, work] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try DemoAgentScripts.install(in: folder)
        let agents = try DemoAgents.create(store, folder: folder)
        let tasks = try DemoBoard.create(store, agents: agents, now: now, workingDir: work)
        try DemoExecutions.create(store, agents: agents, tasks: tasks, logDirectory: logDirectory)
        try DemoTranscripts.importAll(store, from: transcripts)
        return try summary(store)
    }

    /// The demo's one scripted person: once the queued build of "Garbage-collect orphaned uploads" runs, it
    /// is cancelled after `after` seconds, so a newcomer sees a run go cancelling → cancelled. Returns the
    /// execution it cancelled, or nil when none ran within `timeout` (or the demo data is not there).
    @discardableResult
    public static func showCancel(_ store: Store, after: Double = 1.0, timeout: Double = 60,
                                  stop: () -> Bool = { false }) throws -> ID? {
        guard let task = try store.tasks.list().first(where: { $0.title == DemoBoard.title(DemoExecutions.cancelledWhileRunning) }) else {
            return nil
        }
        let end = Date().addingTimeInterval(timeout)
        while Date() < end, !stop() {
            if let run = try store.executions.list(status: .running, limit: 50).first(where: { $0.taskId == task.id }) {
                usleep(UInt32(after * 1_000_000))
                _ = try store.executions.requestCancel(run.id, by: "demo (showing a cancel)")
                return run.id
            }
            usleep(100_000)
        }
        return nil
    }

    public static func summary(_ store: Store) throws -> Summary {
        var s = Summary()
        let db = store.db
        func count(_ table: String) throws -> Int { try db.queryOne("SELECT count(*) AS n FROM \(table)", [])?.intValue("n") ?? 0 }
        s.agents = try count("agents"); s.capabilities = try count("agent_capabilities"); s.tasks = try count("tasks")
        s.dependencies = try count("task_dependencies"); s.executions = try count("executions"); s.sessions = try count("sessions")
        s.messages = try count("messages"); s.toolCalls = try count("tool_calls")
        s.executionStates = try store.executions.countsByStatus()
        s.taskStates = try store.tasks.counts()
        return s
    }

    /// Where the demo keeps its files: beside a SQLite file, else in the data folder.
    public static func folder(for connection: String) -> String {
        if case .sqlite(let path) = ConnectionString.target(for: connection) {
            let dir = PathText.parent(of: path)
            return dir.isEmpty ? FileManager.default.currentDirectoryPath : dir
        }
        return PathText.parent(of: ConnectionString.defaultPath())
    }
}

/// The agents a newcomer recognises.
enum DemoAgents {
    struct Set { var byslug: [String: Agent] = [:]; var caps: [String: Capability] = [:] }

    static func create(_ store: Store, folder: String) throws -> Set {
        var out = Set()
        func agent(_ a: Agent, _ caps: [Capability]) throws {
            var a = a
            a.binaryPath = DemoAgentScripts.path(a.slug, in: folder)  // the demo's stand-in, so runs really run
            let made = try store.agents.create(a)
            out.byslug[made.slug] = made
            for var c in caps {
                c.agentId = made.id
                out.caps["\(made.slug):\(c.key)"] = try store.agents.addCapability(c)
            }
        }
        let claudeSession: JSONValue = ["sessionIdSource": "json_field", "sessionIdField": "session_id",
                                        "resumeFlags": ["--resume", "{{sessionRef}}"], "continueFlags": ["--continue"],
                                        "bidirectionalProtocol": "stream-json"]
        try agent(Agent(slug: "claude", name: "Claude Code", kind: .builtin, toolType: .aiAgent, binaryPath: "/usr/local/bin/claude",
                        // The preset's print mode reading stream-json: the demo's runs ask permission and wait for it.
                        baseArgs: AgentPresets.claude.baseArgs, envAllowlist: ["HOME", "PATH", "ANTHROPIC_API_KEY"],
                        maxConcurrent: 2, discoveryMethod: .preset, version: "2.0.14", model: "claude-sonnet-4-5",
                        permissionMode: "acceptEdits", maxSteps: 40, sessionConfig: claudeSession,
                        metadata: ["icon": "✻", "color": "#d97757", "description": "Anthropic's coding agent"]), [
            Capability(agentId: 0, key: "implement", label: "Implement the task", mode: .prompt,
                       promptTemplate: "Implement: {{task_title}}\n\n{{task_description}}\n{{input_context.prompt_additions}}",
                       argsSchema: ["type": "object", "properties": ["focus": ["type": "string"]]], dangerLevel: 1, timeoutSec: 1800),
            Capability(agentId: 0, key: "review", label: "Review the diff", mode: .prompt,
                       promptTemplate: "Review the changes for {{task_title}}. Point out bugs first.", timeoutSec: 900),
            Capability(agentId: 0, key: "refactor", label: "Refactor (asks first)", mode: .prompt,
                       promptTemplate: "Refactor {{path}} for {{task_title}}", requiresApproval: true, dangerLevel: 2, timeoutSec: 1800),
        ])
        try agent(Agent(slug: "codex", name: "Codex CLI", kind: .builtin, toolType: .aiAgent, binaryPath: "/usr/local/bin/codex",
                        baseArgs: ["exec", "--json"], envAllowlist: ["HOME", "PATH", "OPENAI_API_KEY"], maxConcurrent: 2,
                        discoveryMethod: .preset, version: "0.46.0", model: "gpt-5-codex",
                        sessionConfig: ["sessionIdSource": "filesystem", "sessionFileGlob": "~/.codex/sessions/**/*.jsonl",
                                        "resumeFlags": ["resume", "{{sessionRef}}"],
                                        // `codex exec --json` prints events and reads nothing: not the app-server protocol.
                                        "bidirectionalProtocol": "none"]), [
            Capability(agentId: 0, key: "implement", label: "Implement the task", mode: .prompt,
                       promptTemplate: "{{task_title}}\n{{task_description}}", dangerLevel: 1, timeoutSec: 1800),
            Capability(agentId: 0, key: "tests", label: "Write missing tests", mode: .prompt,
                       promptTemplate: "Write tests for {{task_title}}", timeoutSec: 1200),
        ])
        try agent(Agent(slug: "gemini", name: "Gemini CLI", kind: .builtin, toolType: .aiAgent, binaryPath: "/usr/local/bin/gemini",
                        envAllowlist: ["HOME", "PATH", "GEMINI_API_KEY"], discoveryMethod: .preset, version: "0.9.0",
                        model: "gemini-2.5-pro", sessionConfig: ["sessionIdSource": "list_command", "bidirectionalProtocol": "tmux"]), [
            Capability(agentId: 0, key: "explain", label: "Explain the code", mode: .prompt, promptTemplate: "Explain {{path}}"),
        ])
        try agent(Agent(slug: "git", name: "git", kind: .builtin, toolType: .cliTool, binaryPath: "/usr/bin/git", maxConcurrent: 4,
                        discoveryMethod: .pathScan, version: "2.39.5"), [
            Capability(agentId: 0, key: "status", label: "Status", mode: .template, commandTokens: ["status", "--short"], timeoutSec: 30),
            Capability(agentId: 0, key: "log", label: "Recent history", mode: .template, commandTokens: ["log", "--oneline", "-n", "{{count}}"],
                       argsSchema: ["type": "object", "properties": ["count": ["type": "integer", "default": 20]], "required": ["count"]],
                       timeoutSec: 30),
            Capability(agentId: 0, key: "push", label: "Push the branch", mode: .template, commandTokens: ["push", "origin", "{{branch}}"],
                       requiresApproval: true, dangerLevel: 2, timeoutSec: 120),
            Capability(agentId: 0, key: "reset-hard", label: "Reset hard", mode: .template, commandTokens: ["reset", "--hard", "{{ref}}"],
                       requiresApproval: true, isEnabled: false, dangerLevel: 3, timeoutSec: 60),
        ])
        try agent(Agent(slug: "make", name: "make", kind: .builtin, toolType: .cliTool, binaryPath: "/usr/bin/make", maxConcurrent: 2,
                        discoveryMethod: .pathScan, version: "4.3"), [
            Capability(agentId: 0, key: "build", label: "Build", mode: .template, commandTokens: ["-j2", "build"], timeoutSec: 900),
            Capability(agentId: 0, key: "test", label: "Run the tests", mode: .template, commandTokens: ["test", "FILTER={{filter}}"], timeoutSec: 1800),
        ])
        try agent(Agent(slug: "pytest", name: "pytest", kind: .custom, toolType: .cliTool, binaryPath: "/usr/bin/python3",
                        baseArgs: ["-m", "pytest"], maxConcurrent: 3, discoveryMethod: .manual, version: "9.0.3"), [
            Capability(agentId: 0, key: "run", label: "Run a test file", mode: .template, commandTokens: ["-q", "{{path}}"], timeoutSec: 600),
        ])
        return out
    }
}
