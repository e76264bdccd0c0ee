import Foundation
import Core
import Render

/// Keys while something floats over the screen: it takes them first.
extension Updater {
    /// The popup on top takes the key: its context's binding, refused with the reason when disabled; in an
    /// editing popup a key bound to nothing is typed into the field.
    func handleOverlayKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        guard let top = s.overlays.last else { return [] }
        if case .form(let f) = top, f.saving { return [] }  // waiting for the database: keep the words as they are
        let binding = keymap.binding(for: key, in: KeyContext(top))
        if let binding, let why = binding.disabledReason(s) {
            s.status = StatusMessage(why, .refused)
            return []
        }
        return overlayAction(&s, top, binding?.action, key)
    }

    /// What a popup does with an action (nil: the key is bound to nothing there).
    func overlayAction(_ s: inout AppState, _ top: Overlay, _ action: Action?, _ key: Key) -> [Effect] {
        let index = s.overlays.count - 1
        switch top {
        case .help(let offset):
            if action == .close { s.overlays.removeLast() }
            else { s.overlays[index] = .help(offset: scroll(offset, action)) }
            return []

        case .detail(let id, let detail, let offset):
            switch action {
            case .close: s.overlays.removeLast()
            case .edit: if let d = detail { s.overlays.append(.form(Self.editForm(d.task, autoRun: d.task.autoRunCapabilityId.flatMap { d.capabilityNames[$0] }))) }
            default: s.overlays[index] = .detail(taskId: id, detail, offset: scroll(offset, action))
            }
            return []

        case .capability(let agent, let cap):
            if action == .close { s.overlays.removeLast(); return [] }
            if [.toggleActive, .edit, .delete].contains(action) { return capabilityAction(&s, agent: agent, capability: cap, action) }
            let count = s.agents.rows.indices.contains(agent) ? s.agents.rows[agent].capabilities.count : 0
            var c = cap
            if action == .down { c = min(max(0, count - 1), c + 1) }
            if action == .up { c = max(0, c - 1) }
            s.overlays[index] = .capability(agentIndex: agent, capabilityIndex: c)
            return []

        case .runPicker(let p):
            return runPickerKey(&s, p, action, key)

        case .inbox(let selected):
            return inboxKey(&s, selected: selected, action)

        case .denyReason(let item, var editor):
            switch action {
            case .cancel: s.overlays.removeLast(); return []
            case .submit:
                let reason = editor.string.trimmingCharacters(in: .whitespaces)
                guard !reason.isEmpty else { return [] }  // a denial always says why
                s.overlays.removeLast()
                s.inbox.removeAll { $0 == item }  // leaves the inbox at once; the reload confirms
                s.pendingWrites += 1
                switch item {
                case .toolCall(let t, _, _): return [.decideToolCall(t.id, approve: false, reason: reason)]
                case .execution(let e): return [.denyExecution(e.execution.id, reason: reason)]
                }
            default:
                _ = editor.handle(key)
                s.overlays[index] = .denyReason(item: item, editor)
                return []
            }

        case .searchAll(let m):
            return searchAllKey(&s, m, action, key)
        case .diff(let m):
            return diffKey(&s, m, action)

        case .logSearch(var editor):
            switch action {
            case .cancel: s.overlays.removeLast(); return []
            case .submit where s.screen == .transcript:
                s.overlays.removeLast()
                s.transcript.search = editor.string
                return transcriptSearch(&s, forward: true)
            case .submit:
                s.overlays.removeLast()
                s.log.search = editor.string
                guard !editor.string.isEmpty, let id = s.log.executionId else { return [] }
                let anchor = here(s)
                s.log.follow = false
                s.log.anchor = anchor
                return [loadLog(s, id: id, anchor: anchor, search: LogSearchRequest(.text(editor.string),
                                                                                        from: s.log.rows.first?.offset ?? 0, forward: true))]
            default:
                _ = editor.handle(key)
                s.overlays[index] = .logSearch(editor)
                return []
            }

        case .confirm(let c):
            switch action {
            case .yes:
                s.overlays.removeLast(c.popCount)
                return confirmed(&s, c.onYes)
            case .no:
                s.overlays.removeLast()
            default: break
            }
            return []

        case .form(var form):
            switch action {
            case .cancel:
                if form.isModified {
                    s.overlays.append(.confirm(Confirmation(title: "Discard changes?", message: "What you typed in this form will be lost.",
                                                            yesLabel: "discard", popCount: 2, onYes: [])))
                } else { s.overlays.removeLast() }
                return []
            case .nextField:
                form.focus = TaskForm.Field(rawValue: (form.focus.rawValue + 1) % TaskForm.Field.allCases.count)!
            case .previousField:
                let n = TaskForm.Field.allCases.count
                form.focus = TaskForm.Field(rawValue: (form.focus.rawValue + n - 1) % n)!
            case .submit:
                switch validate(form) {
                case .success(let input):
                    form.saving = true; form.error = nil
                    s.overlays[index] = .form(form)
                    s.pendingWrites += 1
                    return [form.taskId.map { .updateTask($0, input) } ?? .createTask(input)]
                case .failure(let e):
                    form.error = e.message
                }
            default:
                _ = form.fields[form.focus.rawValue].handle(key)
            }
            s.overlays[index] = .form(form)
            return []

        case .commandLine(var editor):
            switch action {
            case .cancel: s.overlays.removeLast(); return []
            case .submit:
                s.overlays.removeLast()
                return runCommand(&s, editor.string)
            default:
                if key == .backspace, editor.text.isEmpty { s.overlays.removeLast(); return [] }
                _ = editor.handle(key)
                s.overlays[index] = .commandLine(editor)
                return []
            }

        case .filter(var editor) where s.screen == .sessions:
            switch action {
            case .cancel:
                s.overlays.removeLast()
                if s.sessions.filter.isEmpty { return [] }
                s.sessions.filter = ""
            case .submit: s.overlays.removeLast(); return []
            default:
                guard editor.handle(key) else { return [] }
                s.overlays[index] = .filter(editor)
                s.sessions.filter = editor.string  // live: the loaded rows at once, the database's answer next
                s.sessions.selected = 0; s.sessions.offset = 0
            }
            return [.loadSessions(filter: s.sessions.filter)]
        case .filter(var editor):
            switch action {
            case .cancel:
                s.overlays.removeLast()
                if s.board.filter.isEmpty { return [] }
                s.board.filter = ""
                return [boardReload(s)]
            case .submit:
                s.overlays.removeLast()
                return []
            default:
                guard editor.handle(key) else { return [] }
                s.overlays[index] = .filter(editor)
                s.board.filter = editor.string  // live: the board narrows as you type
                for i in s.board.columns.indices { s.board.columns[i].selectedId = nil; s.board.columns[i].selected = 0 }
                return [.loadBoard(anchors: Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, WindowAnchor.top) }),
                                   filter: s.board.filter)]
            }

        case .continuePrompt(let id, let editor):
            return continuePromptKey(&s, id, editor, action, key)
        case .messagePrompt(let id, let editor):
            return messagePromptKey(&s, id, editor, action, key)
        case .textPrompt(let p):
            return textPromptKey(&s, p, action, key)
        case .settings(let rows, let offset):
            if action == .close { s.overlays.removeLast() } else { s.overlays[index] = .settings(rows, offset: scroll(offset, action)) }
            return []
        case .discovery:
            switch action {
            case .close: s.overlays.removeLast(); return []
            case .submit:
                s.overlays.removeLast()
                s.pendingWrites += 1
                return [.registerDiscovered]
            default: return []
            }
        }
    }

    /// A confirmation's yes: its effects, with a move made at once in the loaded board as `H`/`L` make it.
    func confirmed(_ s: inout AppState, _ effects: [Effect]) -> [Effect] {
        var out: [Effect] = []
        for e in effects {
            if case .moveTask(let id, let status, let position) = e, let from = s.board.columns.firstIndex(where: { $0.cards.contains { $0.task.id == id } }),
               let card = s.board.columns[from].cards.first(where: { $0.task.id == id }) {
                out += move(&s, card, from: from, toColumn: status.columnIndex, position: position)
                continue
            }
            if e.isWrite { s.pendingWrites += 1 }
            out.append(e)
        }
        return out
    }

    /// The inbox: choose, approve, deny (asks why), close.
    func inboxKey(_ s: inout AppState, selected: Int, _ action: Action?) -> [Effect] {
        let index = s.overlays.count - 1
        var sel = min(selected, max(0, s.inbox.count - 1))
        switch action {
        case .close: s.overlays.removeLast(); return []
        case .down: sel = min(max(0, s.inbox.count - 1), sel + 1)
        case .up: sel = max(0, sel - 1)
        case .approve:
            guard s.inbox.indices.contains(sel) else { return [] }
            let item = s.inbox.remove(at: sel)
            s.overlays[index] = .inbox(selected: min(sel, max(0, s.inbox.count - 1)))
            s.pendingWrites += 1
            switch item {
            case .toolCall(let t, _, _): return [.decideToolCall(t.id, approve: true, reason: nil)]
            case .execution(let e): return [.approveExecution(e.execution.id)]
            }
        case .deny:
            guard s.inbox.indices.contains(sel) else { return [] }
            s.overlays.append(.denyReason(item: s.inbox[sel], LineEditor()))
            return []
        default: break
        }
        s.overlays[index] = .inbox(selected: sel)
        return []
    }

    func scroll(_ offset: Int, _ action: Action?) -> Int {
        switch action {
        case .down: return offset + 1
        case .up: return max(0, offset - 1)
        case .pageDown: return offset + 10
        case .pageUp: return max(0, offset - 10)
        case .top: return 0
        default: return offset
        }
    }

    struct FormError: Error { let message: String }

    func validate(_ f: TaskForm) -> Result<NewTaskInput, FormError> {
        let title = f.value(.title).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { return .failure(FormError(message: "a task needs a title")) }
        guard let p = Int(f.value(.priority).trimmingCharacters(in: .whitespaces)), (1...5).contains(p) else {
            return .failure(FormError(message: "priority must be 1 to 5"))
        }
        let dueText = f.value(.due).trimmingCharacters(in: .whitespaces)
        var due: Date?
        if !dueText.isEmpty {
            guard let d = SQLTime.parse(dueText) else { return .failure(FormError(message: "due date must look like 2026-12-01")) }
            due = d
        }
        let desc = f.value(.description)
        let assignee = f.value(.assignee).trimmingCharacters(in: .whitespaces)
        let auto = f.value(.autoRun).trimmingCharacters(in: .whitespaces)
        if !auto.isEmpty, auto.split(separator: ":").count != 2 { return .failure(FormError(message: "auto-run must look like agent:key")) }
        return .success(NewTaskInput(title: title, description: desc.isEmpty ? nil : desc,
                                     status: TaskStatus(rawValue: f.status) ?? .todo, priority: p,
                                     assigneeSlug: assignee.isEmpty ? nil : assignee, due: due,
                                     autoRun: auto == f.original[TaskForm.Field.autoRun.rawValue] ? nil : auto))
    }

    /// `:q`, `:theme NAME`, `:board`, `:agents`, `:help`, `:1`…`:5`, `:settings`, `:get KEY`, `:set KEY VALUE`.
    func runCommand(_ s: inout AppState, _ line: String) -> [Effect] {
        let words = line.split(separator: " ").map(String.init)
        guard let cmd = words.first else { return [] }
        switch cmd {
        case "q", "quit", "q!", "qa": return perform(&s, .quit)
        case "theme":
            guard words.count == 2 else { s.status = StatusMessage("usage: :theme NAME", .error); return [] }
            s.themeName = words[1]
            return [.loadTheme(words[1])]
        case "board", "1": return perform(&s, .screenBoard)
        case "agents", "2": return perform(&s, .screenAgents)
        case "executions", "3": return perform(&s, .screenExecutions)
        case "logs", "log", "4": return perform(&s, .screenLogs)
        case "sessions", "5": return perform(&s, .screenSessions)
        case "help", "h": return perform(&s, .help)
        case "settings", "get", "set": return settingsCommand(&s, words)
        case "filter":
            s.board.filter = words.dropFirst().joined(separator: " ")
            return [.loadBoard(anchors: Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, WindowAnchor.top) }), filter: s.board.filter)]
        default:
            s.status = StatusMessage("unknown command :\(cmd)", .error)
            return []
        }
    }
}

extension Effect {
    var isWrite: Bool {
        switch self {
        case .moveTask, .createTask, .updateTask, .deleteTask, .setAgentActive, .removeAgent, .deleteSession, .queueRun, .cancelExecution, .retryExecution,
             .approveExecution, .decideToolCall, .denyExecution: true
        case .continueExecution, .mergeTask: true
        case .renameSession, .closeSession, .deleteMessage, .setCapabilityEnabled, .setCapabilityLabel, .removeCapability, .setSetting: true
        default: false
        }
    }
}
