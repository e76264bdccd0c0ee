import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon exec send` and `exec interrupt`: talk to a running agent from any machine that sees the
/// database. The input is queued; the run's worker delivers it in the agent's own format (a user message
/// or interrupt on stream-json, turn/steer or turn/interrupt on app-server, keys in tmux) and stamps it.
extension ExecCommand {
    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Send a message to a running agent (a follow-up turn). Recorded as sent by $USER.",
            discussion: "Waits until the run's worker has delivered it (at most --timeout seconds); a run still queued gets it when it starts.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Argument(help: "The message.") var text: String
        @Option(parsing: .unconditional, help: "Seconds to wait for delivery.", transform: { try NumberArgument.int($0, "--timeout", 0...3600) })
        var timeout: Int = 10

        func run() throws {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw CLIError("the message is empty") }
            if text.utf8.count > AgentInputs.maxMessageBytes {
                throw CLIError("the message is \(text.utf8.count) bytes; at most \(AgentInputs.maxMessageBytes) are sent")
            }
            try ExecCommand.sendInput(global, id: id, kind: .message, body: text, timeout: timeout)
        }
    }

    struct Interrupt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "interrupt",
            abstract: "Interrupt what a running agent is doing; the run stays alive for your next message.",
            discussion: "Waits until the run's worker has delivered it (at most --timeout seconds).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String
        @Option(parsing: .unconditional, help: "Seconds to wait for delivery.", transform: { try NumberArgument.int($0, "--timeout", 0...3600) })
        var timeout: Int = 10

        func run() throws {
            try ExecCommand.sendInput(global, id: id, kind: .interrupt, body: "", timeout: timeout)
        }
    }

    /// Queues the input and waits for its stamp: delivered (exit 0), refused by the worker (its reason), or
    /// not delivered in time (the worker may be down; the input stays queued).
    static func sendInput(_ global: GlobalOptions, id: String, kind: ExecutionInput.Kind, body: String, timeout: Int) throws {
        let eid = try ExecCommand.id(id)
        let store = try global.openStore()
        defer { store.close() }
        let e = try store.executions.get(eid)
        if let why = AgentInputs.refusal(agent: try store.agents.get(e.agentId), executionId: eid) { throw CLIError(why) }
        let input = try store.inputs.enqueue(executionId: eid, kind: kind, body: body, sentBy: ExecJSON.user)
        let what = kind == .message ? "message" : "interrupt"
        if e.status == .queued || timeout == 0 {
            Console.line("queued \(what) \(input.id) for run #\(eid)" + (e.status == .queued ? "; it is delivered when the run starts" : ""))
            return
        }
        let end = Date().addingTimeInterval(Double(timeout))
        while true {
            let now = try store.inputs.get(input.id)
            if now.deliveredAt != nil { Console.line("delivered \(what) \(input.id) to run #\(eid)"); return }
            if let error = now.error { throw CLIError("\(what) \(input.id) to run #\(eid) was not delivered: \(error)") }
            if Date() >= end {
                throw CLIError("\(what) \(input.id) is queued for run #\(eid) but was not delivered within \(timeout) s (is its worker running?)")
            }
            usleep(20_000)
        }
    }
}
