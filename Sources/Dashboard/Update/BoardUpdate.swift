import Foundation
import Core

/// Board keys: selection, optimistic moves (the card moves at once, the write follows), forms and dialogs.
extension Updater {
    static let windowMargin = 20

    func boardAction(_ s: inout AppState, _ action: Action) -> [Effect] {
        let col = s.board.focused
        switch action {
        case .up: return select(&s, s.board.columns[col].selected - 1)
        case .down: return select(&s, s.board.columns[col].selected + 1)
        case .pageUp: return select(&s, s.board.columns[col].selected - s.boardRows / 2)
        case .pageDown: return select(&s, s.board.columns[col].selected + s.boardRows / 2)
        case .top: return select(&s, 0)
        case .bottom: return select(&s, s.board.columns[col].total - 1)
        case .left: s.board.focused = max(0, col - 1); return windowCheck(s, s.board.focused)
        case .right: s.board.focused = min(s.board.columns.count - 1, col + 1); return windowCheck(s, s.board.focused)
        case .moveLeft, .moveRight:
            guard let card = s.board.selectedCard else { return [] }
            let target = col + (action == .moveLeft ? -1 : 1)
            guard s.board.columns.indices.contains(target) else { return [] }
            let status = s.board.columns[target].status
            let position = min(s.board.columns[col].selected, s.board.columns[target].total)
            if status == .inProgress, card.unmetDependencies > 0 {
                let n = card.unmetDependencies
                s.overlays.append(.confirm(Confirmation(
                    title: "Start a blocked task?",
                    message: "\"\(card.task.title)\" depends on \(n) task\(n == 1 ? "" : "s") that \(n == 1 ? "is" : "are") not done. Move it to In Progress anyway?",
                    yesLabel: "move", onYes: [.moveTask(card.task.id, to: status, position: position)])))
                return []
            }
            return move(&s, card, from: col, toColumn: target, position: position)
        case .moveUp, .moveDown:
            guard let card = s.board.selectedCard else { return [] }
            let c = s.board.columns[col]
            let position = c.selected + (action == .moveUp ? -1 : 1)
            guard position >= 0, position < c.total else { return [] }
            return move(&s, card, from: col, toColumn: col, position: position)
        case .open:
            guard let card = s.board.selectedCard else { return [] }
            s.overlays.append(.detail(taskId: card.task.id, nil, offset: 0))
            return [.loadDetail(card.task.id)]
        case .new:
            s.overlays.append(.form(TaskForm(taskId: nil, status: s.board.focusedColumn.status.rawValue)))
            return []
        case .edit:
            guard let t = s.board.selectedCard?.task else { return [] }
            s.overlays.append(.form(Self.editForm(t, autoRun: s.board.focusedColumn.selectedCard?.autoRun)))
            return []
        case .delete:
            guard let card = s.board.selectedCard else { return [] }
            let t = card.task
            s.overlays.append(.confirm(Confirmation(title: "Delete task #\(t.id)?", message: Self.deleteMessage(card),
                                                    yesLabel: "delete", onYes: [.deleteTask(t.id)])))
            return []
        case .filter:
            s.overlays.append(.filter(LineEditor(s.board.filter)))
            return []
        case .viewDiff:
            guard let t = s.board.selectedCard?.task else { return [] }
            return openDiff(&s, taskId: t.id, executionId: nil)
        case .queueRun:
            guard let t = s.board.selectedCard?.task else { return [] }
            s.overlays.append(.runPicker(RunPicker(taskId: t.id, taskTitle: t.title)))
            return [.loadRunChoices(taskId: t.id)]
        default:
            return []
        }
    }

    /// What goes with a task (as `task delete --force` says): its audit trail, its executions with their logs, the
    /// links of tasks depending on it; its subtasks stay, without a parent.
    static func deleteMessage(_ card: CardInfo) -> String {
        let t = card.task
        var text = "\"\(t.title)\" and its audit trail will be deleted"
        text += card.latestExecution != nil ? ", with its executions and their logs." : "."
        if card.subtasksTotal > 0 {
            text += " Its \(card.subtasksTotal) subtask\(card.subtasksTotal == 1 ? " stays" : "s stay") on the board, without a parent."
        }
        return text + " Tasks that depend on it lose that link."
    }

    static func editForm(_ t: TaskItem, autoRun: String?) -> TaskForm {
        TaskForm(taskId: t.id, status: t.status.rawValue, title: t.title, description: t.description ?? "", priority: t.priority,
                 assignee: t.assigneeSlug ?? "", due: t.dueAt.map { String(SQLTime.format($0).prefix(10)) } ?? "", autoRun: autoRun ?? "")
    }

    /// Selects an absolute index in the focused column, asking for a new window near its edges.
    func select(_ s: inout AppState, _ index: Int) -> [Effect] {
        let f = s.board.focused
        s.board.columns[f].select(index)
        return windowCheck(s, f)
    }

    func windowCheck(_ s: AppState, _ column: Int) -> [Effect] {
        let c = s.board.columns[column]
        guard c.needsWindow(around: c.selected, margin: Self.windowMargin) || (c.selectedCard == nil && c.total > 0) else { return [] }
        var anchors: [TaskStatus: WindowAnchor] = [:]
        anchors[c.status] = c.selected >= c.total - 1 ? .bottom : (c.selected == 0 ? .top : .index(c.selected))
        return [.loadBoard(anchors: anchors, filter: s.board.filter)]
    }

    /// Moves the card in the loaded windows at once; the selection follows it; the write goes to the database.
    func move(_ s: inout AppState, _ card: CardInfo, from: Int, toColumn target: Int, position: Int) -> [Effect] {
        var src = s.board.columns[from]
        if let k = src.cards.firstIndex(where: { $0.task.id == card.task.id }) { src.cards.remove(at: k) }
        src.total = max(0, src.total - 1)
        if from != target {
            src.selectedId = nil
            src.select(min(src.selected, max(0, src.total - 1)))
        }
        s.board.columns[from] = src
        var dst = s.board.columns[target]
        var moved = card
        moved.task.status = dst.status
        let local = position - dst.windowStart
        if local >= 0, local <= dst.cards.count { dst.cards.insert(moved, at: local) } else {
            dst.cards = [moved]; dst.windowStart = position  // outside the window: a fresh window starts here
        }
        dst.total += 1
        dst.selected = position
        dst.selectedId = card.task.id
        s.board.columns[target] = dst
        s.board.focused = target
        s.pendingWrites += 1
        return [.moveTask(card.task.id, to: dst.status, position: position)]
    }

    /// n / N with a filter: the next matching card, across columns.
    func nextMatch(_ s: inout AppState, forward: Bool) -> [Effect] {
        let cols = s.board.columns
        var c = s.board.focused
        let sel = cols[c].selected + (forward ? 1 : -1)
        if sel >= 0, sel < cols[c].total { return select(&s, sel) }
        for _ in 0..<cols.count {
            c = (c + (forward ? 1 : cols.count - 1)) % cols.count
            if cols[c].total > 0 {
                s.board.focused = c
                return select(&s, forward ? 0 : cols[c].total - 1)
            }
        }
        return []
    }
}

