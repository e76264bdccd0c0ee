import Foundation
import Core
import Render

/// `s` and `i` on a run (executions and log screens): a message for the running agent, typed in a one-line
/// popup, or an interrupt. Whether the agent can take input and whether the run is still going are checked
/// again where the input is queued; their one-line refusal comes back as the status message.
extension Updater {
    func steer(_ s: inout AppState, _ action: Action, _ id: ID, status: ExecutionStatus?) -> [Effect] {
        guard let status, status == .running || status == .queued else {
            let what = action == .sendMessage ? "send a message to" : "interrupt"
            s.status = StatusMessage("cannot \(what) run #\(id): it is \(status?.rawValue ?? "not loaded yet")", .error)
            return []
        }
        if action == .interruptRun {
            s.pendingWrites += 1
            return [.sendInput(id, .interrupt, body: "")]
        }
        s.overlays.append(.messagePrompt(executionId: id, LineEditor()))
        return []
    }

    func messagePromptKey(_ s: inout AppState, _ id: ID, _ editor: LineEditor, _ action: Action?, _ key: Key) -> [Effect] {
        switch action {
        case .cancel:
            s.overlays.removeLast()
            return []
        case .submit:
            s.overlays.removeLast()
            s.pendingWrites += 1
            return [.sendInput(id, .message, body: editor.string)]
        default:
            var e = editor
            _ = e.handle(key)
            s.overlays[s.overlays.count - 1] = .messagePrompt(executionId: id, e)
            return []
        }
    }
}
