import Foundation
import Testing
import Core
@testable import Worker

@Suite("Launch plan: argv, working directory, environment") struct LaunchPlanTests {
    let agent = Agent(id: 1, slug: "git", name: "Git", binaryPath: "/usr/bin/printf", baseArgs: ["--"], envAllowlist: ["HOME", "LANG"])
    let cap = Capability(id: 2, agentId: 1, key: "say", label: "Say", mode: .template, commandTokens: ["%s|", "{{msg}}", "n={{n}}"],
                         argsSchema: ["properties": ["n": ["type": "integer", "default": 20]], "required": ["n"]])
    let task = TaskItem(id: 3, title: "t")

    func plan(_ e: Execution, agent: Agent? = nil, cap: Capability? = nil, task: TaskItem? = nil,
              env: [String: String] = ["PATH": "/usr/bin:/bin", "HOME": "/root", "SECRET": "s3cr3t"]) throws -> LaunchPlan {
        try LaunchPlan.make(execution: e, agent: agent ?? self.agent, capability: cap ?? self.cap, task: task ?? self.task,
                            workerEnvironment: env, cwd: "/")
    }

    func exec(_ args: [String: String], mode: InteractionMode = .template, prompt: String? = nil) -> Execution {
        Execution(id: 9, taskId: 3, agentId: 1, capabilityId: 2, mode: mode, args: args, prompt: prompt)
    }

    @Test("template: [binary] + base args + rendered tokens; a value is one argument whatever it holds")
    func template() throws {
        for hostile in ["x; rm -rf ~", "$(id)", "a b\tc\nd", "`id`", "'\"", "--flag", "", "{{n}}"] {
            let p = try plan(exec(["msg": hostile]))
            #expect(p.argv == ["/usr/bin/printf", "--", "%s|", hostile, "n=20"])
            #expect(p.executable == "/usr/bin/printf")
        }
    }

    @Test("values: schema defaults, then the task's args, then the run's; a missing one fails the run")
    func values() throws {
        let t = TaskItem(id: 3, title: "t", inputContext: .init(args: ["msg": "from task", "n": "5"]))
        #expect(try plan(exec([:]), task: t).argv.suffix(2) == ["from task", "n=5"])
        #expect(try plan(exec(["n": "7"]), task: t).argv.suffix(2) == ["from task", "n=7"])
        #expect(throws: WorkerError("no value for placeholder {{msg}} in capability 'say'")) { try plan(exec([:])) }
    }

    @Test("prompt: the resolved prompt is one argument after the base args")
    func prompt() throws {
        let c = Capability(id: 2, agentId: 1, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "{{x}}")
        let p = try plan(exec([:], mode: .prompt, prompt: "fix it; then `rm -rf /`\nplease"), cap: c)
        #expect(p.argv == ["/usr/bin/printf", "--", "fix it; then `rm -rf /`\nplease"])
        #expect(throws: WorkerError.self) { try plan(exec([:], mode: .prompt), cap: c) }
    }

    @Test("working directory: the task's, else the agent's, else the worker's; a missing one is an error")
    func workingDirectory() throws {
        let tmp = FileManager.default.temporaryDirectory.path
        var a = agent
        #expect(try plan(exec(["msg": "x"])).workingDirectory == "/")
        a.workingDir = "/usr"
        #expect(try plan(exec(["msg": "x"]), agent: a).workingDirectory == "/usr")
        let t = TaskItem(id: 3, title: "t", inputContext: .init(workingDir: tmp))
        #expect(try plan(exec(["msg": "x"]), agent: a, task: t).workingDirectory == tmp)
        a.workingDir = "/no/such/dir"
        #expect(throws: WorkerError("working directory /no/such/dir does not exist")) { try plan(exec(["msg": "x"]), agent: a) }
        a.workingDir = "/usr/bin/printf"
        #expect(throws: WorkerError("working directory /usr/bin/printf is not a directory")) { try plan(exec(["msg": "x"]), agent: a) }
    }

    @Test("environment: only the allowlist, a minimal PATH unless allowlisted, then the task's overrides")
    func environment() throws {
        let worker = ["PATH": "/opt/bin:/usr/bin", "HOME": "/root", "SECRET": "s3cr3t", "ANTHROPIC_API_KEY": "k", "ANTHROPIC_MODEL": "m"]
        #expect(LaunchPlan.environment(allowlist: ["HOME", "NOT_SET"], from: worker, overrides: [:]) == ["HOME": "/root", "PATH": "/usr/bin:/bin"])
        #expect(LaunchPlan.environment(allowlist: ["PATH"], from: worker, overrides: [:]) == ["PATH": "/opt/bin:/usr/bin"])
        #expect(LaunchPlan.environment(allowlist: ["ANTHROPIC_*"], from: worker, overrides: ["DEBUG": "1", "BAD=": "x"])
                == ["ANTHROPIC_API_KEY": "k", "ANTHROPIC_MODEL": "m", "PATH": "/usr/bin:/bin", "DEBUG": "1"])
        let t = TaskItem(id: 3, title: "t", inputContext: .init(envOverrides: ["PATH": "/custom", "X": "y"]))
        #expect(try plan(exec(["msg": "x"]), task: t).environment == ["HOME": "/root", "PATH": "/custom", "X": "y"])
    }

    @Test("binary: a path as given, a bare name from the worker's PATH, else a clear error")
    func binary() throws {
        var a = agent
        a.binaryPath = "printf"
        #expect(try plan(exec(["msg": "x"]), agent: a).executable == "/usr/bin/printf")
        #expect(try plan(exec(["msg": "x"]), agent: a).argv[0] == "printf")
        a.binaryPath = "no-such-binary-here"
        #expect(throws: WorkerError("binary 'no-such-binary-here' was not found on PATH")) { try plan(exec(["msg": "x"]), agent: a) }
        a.binaryPath = "/no/such/binary"
        #expect(throws: WorkerError("binary /no/such/binary does not exist")) { try plan(exec(["msg": "x"]), agent: a) }
    }

    @Test("args schema: defaults and required")
    func schema() {
        let s: JSONValue = ["properties": ["a": ["default": "x"], "b": ["default": 2], "c": ["default": true], "d": [:]],
                            "required": ["a", "d", "e"]]
        #expect(ArgsSchema.defaults(s) == ["a": "x", "b": "2", "c": "true"])
        #expect(ArgsSchema.missing(s, args: ["e": "1"]) == ["d"])
        #expect(ArgsSchema.missing(.object([:]), args: [:]).isEmpty)
    }
}
