import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon exec`: list, show, cancel, approve, retry executions and print their logs.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "List, show, cancel, approve, retry, continue executions; print their logs.",
        subcommands: [List.self, Show.self, Cancel.self, Approve.self, Retry.self, Logs.self, Continue.self])

    static func id(_ s: String) throws -> ID {
        guard let v = ID(s.trimmingCharacters(in: .whitespaces)), v > 0 else {
            throw CLIError("'\(Printable.cell(s))' is not an execution id (a positive number)")
        }
        return v
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List executions, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this status (queued, running, cancelling, succeeded, failed, cancelled, timed_out).") var status: String?
        @Option(help: "At most this many.") var limit: Int = 200
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let st = try status.map { s in
                guard let v = ExecutionStatus(rawValue: s) else {
                    throw CLIError("unknown status '\(Printable.cell(s))' (expected one of: \(ExecutionStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return v
            }
            if limit < 1 { throw CLIError("--limit must be at least 1") }
            let store = try global.openStore()
            defer { store.close() }
            let list = try store.executions.list(status: st, limit: limit)
            if json { JSONOutput.print(.array(list.map(ExecJSON.execution))); return }
            let agents = Dictionary(try store.agents.list().map { ($0.id, $0.slug) }, uniquingKeysWith: { a, _ in a })
            let caps = Dictionary(try store.agents.capabilities().map { ($0.id, $0.key) }, uniquingKeysWith: { a, _ in a })
            TextTable.print(header: ["ID", "STATUS", "TASK", "CAPABILITY", "ATTEMPT", "WORKER", "EXIT", "STARTED", "ERROR"], rows: list.map { e in
                [String(e.id), e.status.rawValue, "#\(e.taskId)", "\(agents[e.agentId] ?? "?"):\(caps[e.capabilityId] ?? "?")",
                 "\(e.attempt)", e.workerId ?? "-", e.exitCode.map(String.init) ?? "-",
                 e.startedAt.map { String(SQLTime.format($0).prefix(19)) } ?? "-", e.error ?? ""]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one execution.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            let e = try store.executions.get(eid)
            let object = ExecJSON.execution(e)
            if json { JSONOutput.print(object); return }
            for (k, v) in (object.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                let text = v.stringValue ?? (v == .null ? "-" : v.jsonString)
                print("\(k): \(Printable.cell(text))")
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel: a queued run at once, a running one through its worker.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            switch try store.executions.requestCancel(eid, by: ExecJSON.user) {
            case .cancelled: print("execution \(eid) cancelled")
            default: print("execution \(eid) cancelling (its worker stops it)")
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a run that waits for a person.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            try store.executions.approve(eid, by: ExecJSON.user)
            print("execution \(eid) approved")
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue an ended run again as a new attempt; prints the new id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Flag(help: "Print the new execution as JSON.") var json = false

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            let e = try store.executions.retry(eid)
            if json { JSONOutput.print(ExecJSON.execution(e)) } else { print(e.id) }
        }
    }

    struct Continue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a run that resumes an ended run's agent session (its agent needs resumeFlags); prints the new id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Option(help: "What to tell the agent (default: the capability's prompt again).") var prompt: String?
        @Flag(help: "Print the new execution as JSON.") var json = false

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            let e = try store.executions.continuation(of: eid, prompt: prompt, by: ExecJSON.user)
            if json { JSONOutput.print(ExecJSON.execution(e)) } else { print(e.id) }
        }
    }

    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's log bytes: from its file when readable here, else from the database.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Flag(help: "Keep printing until the run ends.") var follow = false

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            try LogPrinter(store: store, id: eid).run(follow: follow)
        }
    }
}

/// Copies a log to stdout as bytes (never decoded: a log may hold anything), following if asked.
struct LogPrinter {
    let store: Store
    let id: ID

    enum Source { case file(FileHandle), database(afterSeq: Int64) }

    func run(follow: Bool) throws {
        var e = try store.executions.get(id)
        var source: Source?
        while true {
            if source == nil { source = pickSource(e) }
            if source != nil { try copy(&source!) }
            // `e` was read before this copy: a run that had ended then had written all of its log.
            if !follow || e.status.isTerminal { return }
            usleep(100_000)
            e = try store.executions.get(id)
        }
    }

    /// The file when this machine can read it; else the chunks in the database. Undecided while a queued
    /// run has no log yet.
    private func pickSource(_ e: Execution) -> Source? {
        // A file cut by a failed write (a full disk) is incomplete; the database chunks hold every byte.
        if !e.logFileIncomplete, let path = e.logFilePath, let h = FileHandle(forReadingAtPath: path) { return .file(h) }
        if e.logFilePath != nil || e.status.isTerminal || e.logByteSize > 0 { return .database(afterSeq: 0) }
        return nil
    }

    private func copy(_ source: inout Source) throws {
        switch source {
        case .file(let h):
            while let data = try h.read(upToCount: 1 << 16), !data.isEmpty { FileHandle.standardOutput.write(data) }
        case .database(let after):
            var seq = after
            while true {
                let chunks = try store.executions.logChunks(id, afterSeq: seq, limit: 200)
                for c in chunks { FileHandle.standardOutput.write(Data(c.data)); seq = c.seq }
                if chunks.count < 200 { break }
            }
            source = .database(afterSeq: seq)
        }
    }
}

/// The JSON of an execution: snake_case keys named after the columns.
enum ExecJSON {
    static var user: String { ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "user" }

    static func execution(_ e: Execution) -> JSONValue {
        .object([
            "id": JSONOutput.id(e.id), "task_id": JSONOutput.id(e.taskId), "agent_id": JSONOutput.id(e.agentId),
            "capability_id": JSONOutput.id(e.capabilityId), "status": .string(e.status.rawValue), "mode": .string(e.mode.rawValue),
            "worker_id": JSONOutput.text(e.workerId), "attempt": JSONOutput.int(e.attempt), "retry_count": JSONOutput.int(e.retryCount),
            "max_retries": JSONOutput.int(e.maxRetries), "retry_of_id": JSONOutput.id(e.retryOf),
            "parent_execution_id": JSONOutput.id(e.parentExecutionId), "exit_code": JSONOutput.int(e.exitCode),
            "error": JSONOutput.text(e.error), "log_file_path": JSONOutput.text(e.logFilePath),
            "log_byte_size": JSONOutput.int(e.logByteSize), "log_line_count": JSONOutput.int(e.logLineCount),
            "log_file_incomplete": .bool(e.logFileIncomplete),
            "pid": JSONOutput.int(e.pid), "started_at": JSONOutput.time(e.startedAt), "ended_at": JSONOutput.time(e.endedAt),
            "heartbeat_at": JSONOutput.time(e.heartbeatAt), "created_at": JSONOutput.time(e.createdAt), "args": .dict(e.args),
            "prompt": JSONOutput.text(e.prompt), "requires_approval": .bool(e.requiresApproval),
            "approved_at": JSONOutput.time(e.approvedAt), "approved_by": JSONOutput.text(e.approvedBy),
            "session_ref": JSONOutput.text(e.sessionRef), "input_tokens": JSONOutput.int(e.inputTokens),
            "output_tokens": JSONOutput.int(e.outputTokens), "cost_usd": .number(e.costUsd),
        ])
    }
}
