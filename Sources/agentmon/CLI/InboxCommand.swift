import Foundation
import ArgumentParser
import Core
import Storage

/// The dashboard's inbox for scripts: what waits for a person, and answering it.
struct InboxCommand: ParsableCommand {
    static let idHelp = "An inbox id as 'inbox list' prints it: c<number> for a tool call waiting for confirmation, a<number> for a run waiting for approval."

    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "What waits for a person: tool calls to confirm and runs to approve.",
        discussion: """
            Each item has an id that names its kind: c12 is tool call 12 waiting for a confirmation (kind confirm), \
            a7 is execution 7 waiting for approval (kind approve). 'inbox approve' and 'inbox deny' take the id as 'inbox list' prints it.
            """,
        subcommands: [List.self, Approve.self, Deny.self, History.self])

    static func ref(_ text: String) throws -> InboxRef {
        guard let r = InboxRef(text) else {
            throw CLIError("'\(Printable.cell(text))' is not an inbox id (expected c<number> or a<number>, as 'agentmon inbox list' prints)")
        }
        return r
    }

    /// A JSON input on one line for the table (the stored text is pretty-printed); other text as it is.
    static func oneLine(_ s: String) -> String {
        guard s.first == "{", let v = JSONParser.parse(Array(s.utf8)) else { return s }
        return v.jsonString
    }

    static func json(_ e: InboxEntry) -> JSONValue {
        .object(["id": .string(e.ref.description), "kind": .string(e.ref.kind.rawValue), "execution_id": JSONOutput.id(e.executionId),
                 "session_id": JSONOutput.id(e.sessionId), "agent": .string(e.agent), "tool_name": .string(e.toolName),
                 "input": .string(e.input), "danger": JSONOutput.int(e.danger), "created_at": JSONOutput.time(e.createdAt)])
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Everything waiting for a person, oldest first.",
                                                        discussion: InboxCommand.idHelp)
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON: id, kind, execution_id, session_id, agent, tool_name, input, danger, created_at.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let entries = try store.inbox.entries()
            if json { JSONOutput.print(.array(entries.map(InboxCommand.json))); return }
            TextTable.print(header: ["ID", "KIND", "EXEC", "SESSION", "AGENT", "TOOL", "DANGER", "CREATED", "INPUT"], rows: entries.map { e in
                [e.ref.description, e.ref.kind.rawValue, e.executionId.map { "#\($0)" } ?? "-", e.sessionId.map { "#\($0)" } ?? "-",
                 e.agent, e.toolName, e.danger.map(String.init) ?? "-", SQLTime.format(e.createdAt), InboxCommand.oneLine(e.input)]
            })
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "Answered permission requests, newest first, with who decided (a person, or rule #N).")
        @OptionGroup var global: GlobalOptions
        @Option(parsing: .unconditional, help: "At most this many.", transform: { try NumberArgument.int($0, "--limit", 1...10_000) })
        var limit: Int = 20
        @Flag(help: "Print JSON: tool_call_id, execution_id, agent, tool_name, input, decision, decided_by, reason, decided_at.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let decisions = try store.inbox.history(limit: limit)
            if json {
                JSONOutput.print(.array(decisions.map { d in
                    .object(["tool_call_id": JSONOutput.id(d.toolCallId), "execution_id": JSONOutput.id(d.executionId), "agent": .string(d.agent),
                             "tool_name": .string(d.toolName), "input": .string(d.input), "decision": .string(d.allowed ? "allow" : "deny"),
                             "decided_by": .string(d.decidedBy), "reason": d.reason.map(JSONValue.string) ?? .null,
                             "decided_at": JSONOutput.time(d.decidedAt)])
                }))
                return
            }
            TextTable.print(header: ["CALL", "EXEC", "AGENT", "TOOL", "DECISION", "BY", "WHEN", "REASON"], rows: decisions.map { d in
                ["c\(d.toolCallId)", d.executionId.map { "#\($0)" } ?? "-", d.agent, d.toolName, d.allowed ? "allow" : "deny", d.decidedBy,
                 SQLTime.format(d.decidedAt), d.reason ?? ""]
            })
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve an item: the tool call may run, or the run may start. Recorded as decided by $USER.",
                                                        discussion: InboxCommand.idHelp)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Inbox id (c12, a7).") var id: String

        func run() throws {
            let ref = try InboxCommand.ref(id)
            let store = try global.openStore()
            defer { store.close() }
            try store.inbox.approve(ref, by: ExecJSON.user)
            Console.line("approved \(ref)")
        }
    }

    struct Deny: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "deny", abstract: "Deny an item: the tool call ends denied, or the queued run is cancelled. Recorded as decided by $USER.",
                                                        discussion: InboxCommand.idHelp)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Inbox id (c12, a7).") var id: String
        @Option(help: "Why, recorded with the decision.") var reason: String?

        func run() throws {
            let ref = try InboxCommand.ref(id)
            let store = try global.openStore()
            defer { store.close() }
            try store.inbox.deny(ref, by: ExecJSON.user, reason: reason)
            Console.line("denied \(ref)")
        }
    }
}
