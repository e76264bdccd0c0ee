import Foundation
import Core

/// What to start for one execution: the program, its argv, its working directory and its environment.
/// Built without touching a process, so every rule here is tested as a pure function.
public struct LaunchPlan: Sendable, Equatable {
    public var executable: String
    /// argv[0] is the binary as the agent names it; every other element is exactly one argument.
    public var argv: [String]
    public var workingDirectory: String
    public var environment: [String: String]

    /// The PATH a child gets when the agent does not allowlist PATH, so the binary's own children work.
    public static let minimalPath = "/usr/bin:/bin"

    /// template: `[binary] + baseArgs + rendered command tokens`; prompt: `[binary] + baseArgs + [prompt]`
    /// (without the prompt when the agent's protocol sends it on stdin, `promptInArgv` false).
    /// Values for placeholders: the args schema's defaults, then the task's input-context args, then the
    /// execution's own args. The working directory: the task's, else the agent's, else `cwd`.
    public static func make(execution e: Execution, agent: Agent, capability: Capability, task: TaskItem,
                            workerEnvironment: [String: String], cwd: String, promptInArgv: Bool = true) throws -> LaunchPlan {
        var argv = [agent.binaryPath] + agent.baseArgs + (try resumeArgs(execution: e, agent: agent))
        switch e.mode {
        case .template:
            guard let tokens = capability.commandTokens, !tokens.isEmpty else {
                throw WorkerError("capability '\(capability.key)' has no command tokens")
            }
            var values = ArgsSchema.defaults(capability.argsSchema)
            for (k, v) in task.inputContext.args ?? [:] { values[k] = v }
            for (k, v) in e.args { values[k] = v }
            do { argv += try TemplateRenderer.renderArgv(tokens, values: values) } catch let m as TemplateRenderer.MissingValue {
                throw WorkerError("\(m.description) in capability '\(capability.key)'")
            }
        case .prompt:
            guard let prompt = e.prompt else { throw WorkerError("execution \(e.id) has no resolved prompt") }
            if promptInArgv { argv.append(prompt) }  // else the protocol sends it as the first message
        }
        let dir = task.inputContext.workingDir.flatMap(nonEmpty) ?? agent.workingDir.flatMap(nonEmpty) ?? cwd
        let path = (dir as NSString).expandingTildeInPath
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw WorkerError("working directory \(path) does not exist")
        }
        guard isDir.boolValue else { throw WorkerError("working directory \(path) is not a directory") }
        let env = environment(allowlist: agent.envAllowlist, from: workerEnvironment,
                              overrides: task.inputContext.envOverrides ?? [:])
        let exe = try resolve(agent.binaryPath, searchPath: workerEnvironment["PATH"] ?? minimalPath, cwd: path)
        return LaunchPlan(executable: exe, argv: argv, workingDirectory: path, environment: env)
    }

    /// A continuation (a parent execution and a session ref) resumes its session: the agent's `resumeFlags`
    /// with `{{sessionRef}}` filled in, each token exactly one argument, or nothing when the agent's protocol
    /// resumes it (`resumeMethod`). Other runs get nothing.
    static func resumeArgs(execution e: Execution, agent: Agent) throws -> [String] {
        guard e.parentExecutionId != nil, let ref = e.sessionRef, !ref.isEmpty else { return [] }
        // An agent that resumes by a request of its protocol (codex app-server: thread/resume) takes no flags.
        if agent.sessionConfig?["resumeFlags"] == nil, let m = agent.sessionConfig?["resumeMethod"]?.stringValue, !m.isEmpty { return [] }
        guard let flags = agent.sessionConfig?["resumeFlags"]?.arrayValue?.compactMap(\.stringValue), !flags.isEmpty else {
            throw WorkerError("agent '\(agent.slug)' cannot resume a session (no resumeFlags in its session config)")
        }
        do { return try TemplateRenderer.renderArgv(flags, values: ["sessionRef": ref]) } catch let m as TemplateRenderer.MissingValue {
            throw WorkerError("\(m.description) in the resume flags of agent '\(agent.slug)'")
        }
    }

    /// Only allowlisted names reach the child (a trailing `*` allows a prefix, e.g. `ANTHROPIC_*`), a
    /// minimal PATH unless PATH itself is allowlisted, then the task's overrides.
    public static func environment(allowlist: [String], from worker: [String: String],
                                   overrides: [String: String]) -> [String: String] {
        var env: [String: String] = [:]
        for name in allowlist {
            if name.hasSuffix("*") {
                let prefix = name.dropLast()
                for (k, v) in worker where k.hasPrefix(prefix) { env[k] = v }
            } else if let v = worker[name] {
                env[name] = v
            }
        }
        if env["PATH"] == nil { env["PATH"] = minimalPath }
        for (k, v) in overrides where !k.isEmpty && !k.contains("=") { env[k] = v }
        return env
    }

    /// A binary named with a slash is used as given (relative to the working directory); a bare name is
    /// looked up on the worker's PATH, as the user's shell would when they registered it.
    static func resolve(_ binary: String, searchPath: String, cwd: String) throws -> String {
        let fm = FileManager.default
        if binary.contains("/") {
            let path = binary.hasPrefix("/") ? binary : (cwd as NSString).appendingPathComponent((binary as NSString).expandingTildeInPath)
            guard fm.fileExists(atPath: path) else { throw WorkerError("binary \(binary) does not exist") }
            guard fm.isExecutableFile(atPath: path) else { throw WorkerError("binary \(binary) is not executable") }
            return path
        }
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/" + binary
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw WorkerError("binary '\(binary)' was not found on PATH")
    }

    private static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
}
