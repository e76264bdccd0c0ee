import Foundation
import Testing
import Core
import Storage
@testable import Worker

/// One run at a time, end to end through the real worker loop (in-process) and real child processes.
@Suite("Worker: running one execution") struct WorkerRunTests {
    @Test("an argument such as `x; rm -rf ~` or `$(id)` reaches the program as that exact text", arguments: Backend.allCases)
    func hostileArguments(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.program("printf", "/usr/bin/printf", ["%s\\n", "{{msg}}"])
            let t = try s.task()
            let messages = ["x; rm -rf ~", "$(id)", "`id` && echo pwned", "a  b\tc", "'quoted' \"double\"", "-n", "*"]
            let ids = try messages.map { try s.queue(cap, task: t, ["msg": $0]).id }
            try tdb.drain()
            for (id, msg) in zip(ids, messages) {
                #expect(try tdb.logBytes(id) == Array((msg + "\n").utf8))
                #expect(try s.executions.get(id).status == .succeeded)
            }
        }
    }

    @Test("only the allowlisted environment (plus a minimal PATH and the task's overrides) reaches the child", arguments: Backend.allCases)
    func environment(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.program("env", "/usr/bin/env", ["-0"], envAllow: ["ALLOWED_VAR", "HOME"])
            let e = try s.queue(cap, task: try s.task(context: .init(envOverrides: ["EXTRA": "from task"])))
            var env = ProcessInfo.processInfo.environment
            env["SECRET_TOKEN"] = "hunter2"
            env["ALLOWED_VAR"] = "yes"
            try tdb.drain(environment: env)
            let vars = Set(try tdb.logBytes(e.id).split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
            #expect(vars.contains("ALLOWED_VAR=yes") && vars.contains("EXTRA=from task") && vars.contains("PATH=/usr/bin:/bin"))
            #expect(!vars.contains { $0.contains("hunter2") || $0.hasPrefix("SECRET_TOKEN") })
            #expect(vars.allSatisfy { ["ALLOWED_VAR", "EXTRA", "PATH", "HOME"].contains($0.split(separator: "=").first.map(String.init) ?? "") })
        }
    }

    @Test("output past max_output_bytes is cut with a marker; the process runs on and exits 0", arguments: Backend.allCases)
    func truncation(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.program("head", "/usr/bin/head", ["-c", "1000000", "/dev/zero"], maxOutput: 1000)
            let e = try s.queue(cap, task: try s.task())
            try tdb.drain()
            let expected = [UInt8](repeating: 0, count: 1000) + LogSink.marker(1000)
            #expect(try tdb.logBytes(e.id) == expected)
            #expect(try s.executions.logChunks(e.id).flatMap(\.data) == expected)
            let done = try s.executions.get(e.id)
            #expect(done.status == .succeeded && done.exitCode == 0)
            #expect(done.logByteSize == Int64(expected.count) && done.logLineCount == 2)
        }
    }

    @Test("stdout and stderr in the order written, any bytes, same in the file and the database", arguments: Backend.allCases)
    func outputOrderAndBytes(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let script = #"printf 'out1\n'; printf 'err1\n' >&2; printf '\377\000\033[2J\303(\n'; printf 'err2' >&2"#
            let cap = try s.program("sh", "/bin/sh", ["-c", script])
            let e = try s.queue(cap, task: try s.task())
            try tdb.drain()
            let expected: [UInt8] = Array("out1\nerr1\n".utf8) + [0xff, 0, 0x1b] + Array("[2J".utf8) + [0xc3, 0x28, 10] + Array("err2".utf8)
            #expect(try tdb.logBytes(e.id) == expected)
            #expect(try s.executions.logChunks(e.id).flatMap(\.data) == expected)
            let done = try s.executions.get(e.id)
            #expect(done.logByteSize == Int64(expected.count) && done.logLineCount == 3)
            #expect(done.logFilePath == LogSink.path(directory: tdb.logDir, executionId: e.id))
            let mode = try FileManager.default.attributesOfItem(atPath: done.logFilePath!)[.posixPermissions] as? Int
            let dirMode = try FileManager.default.attributesOfItem(atPath: tdb.logDir)[.posixPermissions] as? Int
            #expect(mode == 0o600 && dirMode == 0o700)
        }
    }

    @Test("a failed run records its exit code and is retried as a new attempt up to max_retries", arguments: Backend.allCases)
    func failureAndRetry(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.program("sh", "/bin/sh", ["-c", "echo nope; exit 3"])
            let first = try s.queue(cap, task: try s.task(), retries: 1)
            let summary = try tdb.drain()
            #expect(summary.claimed == 2 && summary.byStatus[.failed] == 2)
            let runs = try s.executions.list(limit: 10).sorted { $0.id < $1.id }
            #expect(runs.map(\.attempt) == [1, 2] && runs[1].retryOf == first.id)
            #expect(runs.allSatisfy { $0.status == .failed && $0.exitCode == 3 && $0.error == "exited with code 3" })
        }
    }

    @Test("a missing working directory or binary fails the run with a clear error, nothing started", arguments: Backend.allCases)
    func cannotStart(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let cap = try s.program("true", "/bin/true", ["x"], workingDir: "/no/such/place")
            let e1 = try s.queue(cap, task: try s.task())
            let gone = try s.program("gone", "/no/such/binary", ["x"])
            let e2 = try s.queue(gone, task: try s.task())
            try tdb.drain()
            let r1 = try s.executions.get(e1.id), r2 = try s.executions.get(e2.id)
            #expect(r1.status == .failed && r1.error == "cannot start: working directory /no/such/place does not exist")
            #expect(r2.status == .failed && r2.error == "cannot start: binary /no/such/binary does not exist")
            #expect(String(decoding: try tdb.logBytes(e1.id), as: UTF8.self).contains("[agentmon: cannot start: working directory"))
        }
    }

    @Test("prompt mode hands the resolved prompt to the binary as one argument", arguments: Backend.allCases)
    func promptMode(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let a = try s.agents.create(Agent(slug: "ai", name: "AI", binaryPath: "/usr/bin/printf", baseArgs: ["[%s]"]))
            let cap = try s.agents.addCapability(Capability(agentId: a.id, key: "ask", label: "Ask", mode: .prompt,
                                                            promptTemplate: "Do {{task_title}}; then $(id) {{focus}}"))
            let e = try s.executions.queue(.init(taskId: try s.task("the thing").id, capabilityId: cap.id, args: ["focus": "now"]))
            try tdb.drain()
            #expect(String(decoding: try tdb.logBytes(e.id), as: UTF8.self) == "[Do the thing; then $(id) now]")
        }
    }
}
