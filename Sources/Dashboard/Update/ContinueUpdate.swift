import Foundation
import Core
import Render

/// `c` on an ended run (executions and log screens): a one-line prompt, then a continuation is queued
/// that resumes the run's agent session. Whether the run can be continued (a session ref, resume flags)
/// is the repository's call; its one-line refusal comes back as the status message.
extension Updater {
    func continueRun(_ s: inout AppState, _ id: ID, status: ExecutionStatus?) -> [Effect] {
        guard let status, status.isTerminal else {
            s.status = StatusMessage("execution #\(id) has not ended; only an ended run can be continued", .error)
            return []
        }
        s.overlays.append(.continuePrompt(executionId: id, LineEditor()))
        return []
    }

    func continuePromptKey(_ s: inout AppState, _ id: ID, _ editor: LineEditor, _ action: Action?, _ key: Key) -> [Effect] {
        linePromptKey(&s, editor, action, key, rewrap: { .continuePrompt(executionId: id, $0) },
                      submit: { .continueExecution(id, prompt: $0) })
    }
}
