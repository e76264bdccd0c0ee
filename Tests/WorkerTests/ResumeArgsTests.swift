import Foundation
import Testing
import Core
@testable import Worker

@Suite("Launch plan: resuming a session") struct ResumeArgsTests {
    let cap = Capability(id: 2, agentId: 1, key: "ask", label: "Ask", mode: .prompt, promptTemplate: "hi")
    let task = TaskItem(id: 3, title: "t")

    func agent(_ config: JSONValue?) -> Agent {
        Agent(id: 1, slug: "claude", name: "Claude", binaryPath: "/usr/bin/printf", baseArgs: ["-p"], sessionConfig: config)
    }

    func exec(parent: ID?, ref: String?) -> Execution {
        Execution(id: 9, taskId: 3, agentId: 1, capabilityId: 2, mode: .prompt, args: [:], prompt: "go on", parentExecutionId: parent,
                  sessionRef: ref)
    }

    func argv(_ e: Execution, _ config: JSONValue?) throws -> [String] {
        try LaunchPlan.make(execution: e, agent: agent(config), capability: cap, task: task,
                            workerEnvironment: ["PATH": "/usr/bin:/bin"], cwd: "/").argv
    }

    @Test("a continuation: binary + base args + resume flags with the session ref (one argument) + prompt")
    func continuation() throws {
        let config: JSONValue = ["resumeFlags": ["--resume", "{{sessionRef}}"]]
        for ref in ["sess-1", "x; rm -rf ~", "$(id) two words"] {
            #expect(try argv(exec(parent: 4, ref: ref), config) == ["/usr/bin/printf", "-p", "--resume", ref, "go on"])
        }
        // A first run (no parent) is not resumed, even with a session ref.
        #expect(try argv(exec(parent: nil, ref: "sess-1"), config) == ["/usr/bin/printf", "-p", "go on"])
        #expect(throws: WorkerError("agent 'claude' cannot resume a session (no resumeFlags in its session config)")) {
            try argv(exec(parent: 4, ref: "sess-1"), ["bidirectionalProtocol": "stream-json"])
        }
    }
}
