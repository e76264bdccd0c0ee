import Foundation
import Core
import Render

/// `v` on a card or a run: the diff of its worktree against its base. `n`/`N` walk the hunks, `c` sends a
/// review comment (a message to a live run, else a continuation), `M` merges the branch (asks first).
extension Updater {
    func openDiff(_ s: inout AppState, taskId: ID?, executionId: ID?) -> [Effect] {
        s.overlays.append(.diff(DiffModel(taskId: taskId, executionId: executionId)))
        return [.loadDiff(taskId: taskId, executionId: executionId)]
    }

    func diffKey(_ s: inout AppState, _ model: DiffModel, _ action: Action?) -> [Effect] {
        var m = model
        let index = s.overlays.count - 1
        switch action {
        case .close:
            s.overlays.removeLast(); return []
        case .nextMatch, .previousMatch:
            guard let row = m.hunk(after: action == .nextMatch) else {
                s.status = StatusMessage(m.hunkRows.isEmpty ? "no hunks" : action == .nextMatch ? "no later hunk" : "no earlier hunk", .refused)
                return []
            }
            m.offset = row
        case .continueRun:
            guard let l = m.load else { return [] }
            // A live run takes the comment as a message now; an ended one as the prompt of its continuation.
            let prompt: Overlay = l.status == .running || l.status == .queued
                ? .messagePrompt(executionId: l.executionId, LineEditor()) : .continuePrompt(executionId: l.executionId, LineEditor())
            s.overlays.append(prompt)
            return []
        case .merge:
            guard let l = m.load else { return [] }
            s.overlays.append(.confirm(Confirmation(
                title: "Merge task #\(l.taskId)?",
                message: "git merge --no-ff \(l.branch) into \(l.baseBranch ?? "its base branch") in the task's repository. "
                    + "What the run left uncommitted is committed on its branch first.",
                yesLabel: "merge", popCount: 2, onYes: [.mergeTask(l.taskId)])))  // the view closes: the status line says how it went
            return []
        case .bottom:
            m.offset = max(0, m.rows.count - 1)
        default:
            m.offset = min(max(0, m.rows.count - 1), scroll(m.offset, action))
        }
        s.overlays[index] = .diff(m)
        return []
    }

    func diffLoaded(_ s: inout AppState, taskId: ID?, executionId: ID?, _ load: DiffLoad?, error: String?) {
        guard let i = s.overlays.lastIndex(where: { if case .diff(let m) = $0 { return m.asks(taskId: taskId, executionId: executionId) }; return false }),
              case .diff(var m) = s.overlays[i] else { return }
        if let load { m.loaded(load) } else { m.error = error ?? "no diff" }
        s.overlays[i] = .diff(m)
    }
}
