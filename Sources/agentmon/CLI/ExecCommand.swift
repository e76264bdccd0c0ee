import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon exec`: list, show, cancel, approve, retry executions and print their logs.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "List, show, cancel, approve, retry, continue executions; print their logs; send a running agent a message or an interrupt; attach to a tmux-hosted one.",
        subcommands: [List.self, Show.self, Cancel.self, Approve.self, Retry.self, Logs.self, Continue.self, Send.self, Interrupt.self, Attach.self, Diff.self])

    static func id(_ s: String) throws -> ID {
        guard let v = ID(s.trimmingCharacters(in: .whitespaces)), v > 0 else {
            throw CLIError("'\(Printable.cell(s))' is not an execution id (a positive number)")
        }
        return v
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List executions, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this status (queued, running, cancelling, succeeded, failed, cancelled, timed_out).") var status: String?
        @Option(parsing: .unconditional, help: "At most this many.", transform: { try NumberArgument.int($0, "--limit", 1...Int.max) })
        var limit: Int = 200
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
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one execution.")
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
                Console.line("\(k): \(Printable.cell(text))")
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel: a queued run at once, a running one through its worker.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            switch try store.executions.requestCancel(eid, by: ExecJSON.user) {
            case .cancelled: Console.line("execution \(eid) cancelled")
            default: Console.line("execution \(eid) cancelling (its worker stops it)")
            }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a run that waits for a person.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            try store.executions.approve(eid, by: ExecJSON.user)
            Console.line("execution \(eid) approved")
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry", abstract: "Queue an ended run again as a new attempt; prints the new id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Flag(help: "Print the new execution as JSON.") var json = false

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            let e = try store.executions.retry(eid)
            if json { JSONOutput.print(ExecJSON.execution(e)) } else { Console.line(String(e.id)) }
        }
    }

    struct Continue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "continue",
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
            if json { JSONOutput.print(ExecJSON.execution(e)) } else { Console.line(String(e.id)) }
        }
    }

    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Print a run's log: from its file when readable here and complete, else from the database.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Flag(help: "Keep printing until the run ends.") var follow = false
        @Flag(help: "Write the log's bytes as they are, escape sequences included (the default when stdout is not a terminal).")
        var raw = false

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            defer { store.close() }
            // As git and `less -R` do: bytes to a pipe or file, sanitised lines to a terminal.
            let sink: LogSink = raw || isatty(STDOUT_FILENO) != 1 ? .raw : .sanitised
            try LogPrinter(store: store, id: eid, sink: LogOutput(sink)).run(follow: follow)
        }
    }
}

/// The JSON of an execution: snake_case keys named after the columns.
enum ExecJSON {
    static var user: String { ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "user" }

    static func execution(_ e: Execution) -> JSONValue { EntityJSON.execution(e) }
}
