import Foundation
import Core
import Render

/// The executions screen and the run picker: cancel, retry, approve, filter, queue.
extension Updater {
    func executionsAction(_ s: inout AppState, _ action: Action) -> [Effect] {
        if moveInList(&s.executions.selected, count: s.executions.rows.count, action, page: s.boardRows) { return [] }
        switch action {
        case .open:
            guard let r = s.executions.selectedRow else { return [] }
            return openLog(&s, r.execution.id)
        case .statusFilter:
            let all: [ExecutionStatus?] = [nil] + ExecutionStatus.allCases.map { Optional($0) }
            let i = all.firstIndex(of: s.executions.statusFilter) ?? 0
            s.executions.statusFilter = all[(i + 1) % all.count]
            s.executions.selected = 0
            s.executions.rows = []
            s.executions.loaded = false
            return [.loadExecutions(status: s.executions.statusFilter)]
        case .cancelRun:
            guard let r = s.executions.selectedRow, !r.execution.status.isTerminal else { return [] }
            s.overlays.append(.confirm(Confirmation(
                title: "Cancel execution #\(r.execution.id)?",
                message: "\(r.agentSlug):\(r.capabilityKey) on \"\(r.taskTitle)\" is \(r.execution.status.rawValue). "
                    + (r.execution.status == .queued ? "It will not start." : "Its process gets SIGTERM, then SIGKILL."),
                yesLabel: "cancel it", onYes: [.cancelExecution(r.execution.id)])))
        case .retryRun:
            guard let r = s.executions.selectedRow, r.execution.status.isTerminal else { return [] }
            s.pendingWrites += 1
            return [.retryExecution(r.execution.id)]
        case .approveRun:
            guard let r = s.executions.selectedRow, r.execution.status == .queued, r.execution.requiresApproval,
                  r.execution.approvedAt == nil else { return [] }
            s.overlays.append(.confirm(Confirmation(
                title: "Approve execution #\(r.execution.id)?",
                message: "\(r.agentSlug):\(r.capabilityKey) on \"\(r.taskTitle)\" (danger \(r.dangerLevel)) will run when a worker is free.",
                yesLabel: "approve", onYes: [.approveExecution(r.execution.id)])))
        case .viewDiff:
            guard let r = s.executions.selectedRow else { return [] }
            return openDiff(&s, taskId: nil, executionId: r.execution.id)
        case .continueRun:
            guard let r = s.executions.selectedRow else { return [] }
            return continueRun(&s, r.execution.id, status: r.execution.status)
        case .sendMessage, .interruptRun:
            guard let r = s.executions.selectedRow else { return [] }
            return steer(&s, action, r.execution.id, status: r.execution.status)
        case .runTranscript:
            guard let r = s.executions.selectedRow else { return [] }
            return [.findRunTranscript(r.execution.id)]
        case .attachRun:
            guard let r = s.executions.selectedRow, let session = r.execution.tmuxSessionName else { return [] }
            return [.attach(r.execution.id, session: session)]
        default: break
        }
        return []
    }

    /// `r` on a card: pick a capability (the assignee's first), then fill its arguments.
    func runPickerKey(_ s: inout AppState, _ picker: RunPicker, _ action: Action?, _ key: Key) -> [Effect] {
        var p = picker
        let index = s.overlays.count - 1
        if var args = p.arguments {
            switch action {
            case .cancel: p.arguments = nil; p.error = nil
            case .nextField: p.focus = (p.focus + 1) % max(1, args.count)
            case .previousField: p.focus = (p.focus + max(1, args.count) - 1) % max(1, args.count)
            case .submit:
                let missing = args.filter { $0.required && $0.editor.string.trimmingCharacters(in: .whitespaces).isEmpty }.map(\.name)
                if !missing.isEmpty { p.error = "required: " + missing.joined(separator: ", "); break }
                let values = Dictionary(args.filter { !$0.editor.string.isEmpty }.map { ($0.name, $0.editor.string) }, uniquingKeysWith: { $1 })
                s.overlays.removeLast()
                s.pendingWrites += 1
                return [.queueRun(taskId: p.taskId, capabilityId: p.options[p.selected].capability.id, args: values)]
            default:
                if args.indices.contains(p.focus) { _ = args[p.focus].editor.handle(key) }
                p.arguments = args
            }
            s.overlays[index] = .runPicker(p)
            return []
        }
        switch action {
        case .close: s.overlays.removeLast(); return []
        case .down: p.selected = min(max(0, p.options.count - 1), p.selected + 1)
        case .up: p.selected = max(0, p.selected - 1)
        case .submit:
            guard p.options.indices.contains(p.selected) else { return [] }
            let args = Self.arguments(of: p.options[p.selected].capability)
            if args.isEmpty {
                s.overlays.removeLast()
                s.pendingWrites += 1
                return [.queueRun(taskId: p.taskId, capabilityId: p.options[p.selected].capability.id, args: [:])]
            }
            p.arguments = args; p.focus = 0
        default: break
        }
        s.overlays[index] = .runPicker(p)
        return []
    }

    /// Fields from a JSON-schema-like `{"properties": {...}, "required": [...]}`, defaults filled in.
    static func arguments(of c: Capability) -> [RunPicker.Argument] {
        let required = Set(c.argsSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var names = c.argsSchema["properties"]?.objectValue?.keys.sorted() ?? []
        // Placeholders the template uses but the schema forgot are arguments too.
        for p in TemplateRenderer.placeholders(in: (c.commandTokens ?? []).joined(separator: " ") + (c.promptTemplate ?? ""))
        where !names.contains(p) && !p.hasPrefix("task_") && !p.hasPrefix("input_context") { names.append(p) }
        return names.map { name in
            let def = c.argsSchema["properties"]?[name]?["default"]
            let text = def.map { $0.stringValue ?? $0.jsonString } ?? ""
            let inTemplate = (c.commandTokens ?? []).contains { $0.contains("{{\(name)}}") || $0.contains("{{ \(name) }}") }
            return RunPicker.Argument(name: name, required: required.contains(name) || (inTemplate && def == nil), editor: LineEditor(text))
        }
    }
}
