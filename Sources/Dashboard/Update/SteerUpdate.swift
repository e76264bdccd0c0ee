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
        linePromptKey(&s, editor, action, key, rewrap: { .messagePrompt(executionId: id, $0) },
                      submit: { .sendInput(id, .message, body: $0) })
    }

    /// A one-line popup that writes something (`c`, `s`): Esc closes, Enter closes and queues the write,
    /// other keys edit the line.
    func linePromptKey(_ s: inout AppState, _ editor: LineEditor, _ action: Action?, _ key: Key,
                       rewrap: (LineEditor) -> Overlay, submit: (String) -> Effect) -> [Effect] {
        switch action {
        case .cancel:
            s.overlays.removeLast()
            return []
        case .submit:
            s.overlays.removeLast()
            s.pendingWrites += 1
            return [submit(editor.string)]
        default:
            var e = editor
            _ = e.handle(key)
            s.overlays[s.overlays.count - 1] = rewrap(e)
            return []
        }
    }
}
