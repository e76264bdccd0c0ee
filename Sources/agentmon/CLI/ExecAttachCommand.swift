import Foundation
import ArgumentParser
import Core
import Storage
import SystemSupport

/// `agentmon exec attach ID`: the user's terminal on a tmux-hosted run's session (agentmon's own tmux
/// socket, on the run's worker's machine). Detaching (prefix d) leaves the run going.
extension ExecCommand {
    struct Attach: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach",
            abstract: "Attach your terminal to a running tmux-hosted agent (detach with C-b d; the run keeps going).",
            discussion: "Only a running run of an agent whose protocol is tmux, on the machine of its worker.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Execution id.") var id: String

        func run() throws {
            let eid = try ExecCommand.id(id)
            let store = try global.openStore()
            let e: Execution, host: String?
            do {
                defer { store.close() }  // no connection held while the user is attached
                e = try store.executions.get(eid)
                host = try e.workerId.flatMap { w in try store.workers.list().first { $0.workerId == w }?.host }
            }
            if let why = AttachRule.refusal(e, workerHost: host, localHost: HostName.current()) { throw CLIError(why) }
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw CLIError("attach needs a terminal: stdin and stdout must be a tty")
            }
            switch TmuxAttach.run(session: e.tmuxSessionName!) {
            case .failure(let why): throw CLIError("cannot attach to run #\(eid): \(why)")
            case .success(let status): if status != 0 { throw ExitCode(status) }
            }
        }
    }
}
