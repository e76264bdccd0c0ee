import Foundation
import Core

/// The conversation with a tmux-hosted agent: what people send is typed into its pane. A message is
/// `send-keys -l` (the text literally, never read as key names) followed by Enter; an interrupt is Escape
/// (what Gemini CLI and most interactive agents stop on). The pane's output is the log alone: there is no
/// transcript to parse, and no permission protocol to answer (the agent asks on its own screen).
final class TmuxConversation: AgentConversation {
    let server: TmuxServer
    let session: String

    init(server: TmuxServer, session: String) { self.server = server; self.session = session }

    func started() {}
    func received(_ bytes: ArraySlice<UInt8>) {}
    func ended() {}

    func deliver(_ input: ExecutionInput) -> InputOutcome {
        let pane = TmuxServer.pane(session)
        do {
            switch input.kind {
            case .message:
                if !input.body.isEmpty { try server.run(["send-keys", "-t", pane, "-l", "--", Self.argument(input.body)]) }
                try server.run(["send-keys", "-t", pane, "Enter"])
            case .interrupt:
                try server.run(["send-keys", "-t", pane, "Escape"])
            case .decision:
                return .refused(Self.noPermissions)
            }
            return .delivered
        } catch {
            return .refused("cannot type into the run's tmux session: \(error)")
        }
    }

    func answer(_ answer: PermissionAnswer) -> InputOutcome { .refused(Self.noPermissions) }

    /// tmux reads an argument that ends in `;` as the end of a command; `\;` there stands for a literal `;`.
    static func argument(_ text: String) -> String { text.hasSuffix(";") ? text.dropLast() + "\\;" : text }

    static let noPermissions = "a tmux-hosted agent has no permission protocol"
}
