import Foundation
import Core
import Render

/// The repository operations a user looks for on the screen of the thing itself (issue 13 item 7): a
/// capability is switched, relabelled and removed in its popup (agents screen), a session renamed and closed
/// on the sessions screen, a message deleted in its transcript, and settings read and written from `:`.
extension Updater {
    /// `space`/`a`, `e`, `d` in the capability popup.
    func capabilityAction(_ s: inout AppState, agent: Int, capability: Int, _ action: Action?) -> [Effect] {
        guard s.agents.rows.indices.contains(agent), s.agents.rows[agent].capabilities.indices.contains(capability) else { return [] }
        let row = s.agents.rows[agent], c = row.capabilities[capability]
        switch action {
        case .toggleActive:
            s.agents.rows[agent].capabilities[capability].isEnabled.toggle()  // optimistic; the reload confirms
            s.pendingWrites += 1
            return [.setCapabilityEnabled(c.id, agentId: row.agent.id, key: c.key, !c.isEnabled)]
        case .edit:
            s.overlays.append(.textPrompt(TextPrompt(.capabilityLabel(c.id), title: "Capability \(row.agent.slug):\(c.key)",
                                                     label: "Label:", note: "The rest: agentmon capability edit \(row.agent.slug):\(c.key) --help",
                                                     text: c.label)))
            return []
        case .delete:
            return [.loadCapabilityRemoval(c.id)]
        default:
            return []
        }
    }

    /// Asks before removing a capability, saying what goes with it; refuses while one of its runs runs.
    func capabilityRemovalLoaded(_ s: inout AppState, _ r: CapabilityRemoval) -> [Effect] {
        guard case .capability? = s.topOverlay else { return [] }  // the popup was closed meanwhile
        if r.running > 0 {
            s.status = StatusMessage("capability '\(r.name)' has \(r.running) running execution\(r.running == 1 ? "" : "s"): cancel them before removing it", .error)
            return []
        }
        s.overlays.append(.confirm(Confirmation(title: "Remove capability '\(r.name)'?", message: r.message, yesLabel: "remove",
                                                popCount: 2, onYes: [.removeCapability(r.capabilityId, name: r.name)])))
        return []
    }

    /// `R` and `x` on the sessions screen.
    func sessionManage(_ s: inout AppState, _ action: Action) -> [Effect] {
        guard let row = s.sessions.selectedRow else { return [] }
        let id = row.session.id
        if action == .rename {
            s.overlays.append(.textPrompt(TextPrompt(.renameSession(id), title: "Rename session #\(id)", label: "Title:",
                                                     note: "Shown on the sessions screen and in search.", text: row.session.title ?? "")))
            return []
        }
        guard row.session.status != .completed else {
            s.status = StatusMessage("session #\(id) is already completed", .refused)
            return []
        }
        if let i = s.sessions.rows.firstIndex(where: { $0.session.id == id }) { s.sessions.rows[i].session.status = .completed }
        s.pendingWrites += 1
        return [.closeSession(id)]
    }

    /// `d` in a transcript: the selected message, after asking.
    func deleteSelectedMessage(_ s: inout AppState) -> [Effect] {
        guard case .message(let id)? = s.transcript.selected,
              let item = s.transcript.page.items.first(where: { $0.message.id == id }) else {
            s.status = StatusMessage("select a message first (a sub-agent is deleted with its session on screen 5)", .refused)
            return []
        }
        let m = item.message
        let preview = String(m.content.prefix(60).map { $0.isNewline ? " " : $0 })  // the dialog sanitises it
        s.overlays.append(.confirm(Confirmation(title: "Delete message #\(m.seq)?",
                                                message: "The \(m.role.rawValue) message \"\(preview)\" leaves the transcript; its tool calls stay.",
                                                yesLabel: "delete", onYes: [.deleteMessage(id)])))
        return []
    }

    func textPromptKey(_ s: inout AppState, _ p: TextPrompt, _ action: Action?, _ key: Key) -> [Effect] {
        if action == .submit, p.editor.string.trimmingCharacters(in: .whitespaces).isEmpty, case .capabilityLabel = p.purpose {
            s.status = StatusMessage("a capability needs a label", .refused)
            return []
        }
        return linePromptKey(&s, p.editor, action, key, rewrap: { var q = p; q.editor = $0; return .textPrompt(q) }, submit: { text in
            let value = text.trimmingCharacters(in: .whitespaces)
            switch p.purpose {
            case .renameSession(let id): return .renameSession(id, title: value)
            case .capabilityLabel(let id): return .setCapabilityLabel(id, label: value)
            }
        })
    }

    /// `:settings`, `:get KEY`, `:set KEY VALUE…`.
    func settingsCommand(_ s: inout AppState, _ words: [String]) -> [Effect] {
        switch words.first {
        case "settings":
            s.overlays.append(.settings(nil, offset: 0))
            return [.loadSettings(only: nil)]
        case "get":
            guard words.count == 2 else { s.status = StatusMessage("usage: :get KEY", .error); return [] }
            return [.loadSettings(only: words[1])]
        default:
            guard words.count >= 3 else { s.status = StatusMessage("usage: :set KEY VALUE (read as JSON, else text)", .error); return [] }
            s.pendingWrites += 1
            return [.setSetting(key: words[1], value: words.dropFirst(2).joined(separator: " "))]
        }
    }

    func settingsLoaded(_ s: inout AppState, _ rows: [SettingRow], only: String?) -> [Effect] {
        if let only {
            s.status = rows.first.map { StatusMessage("\($0.key) = \($0.value)") } ?? StatusMessage("no setting '\(only)'", .error)
            return []
        }
        if case .settings(_, let offset)? = s.topOverlay { s.overlays[s.overlays.count - 1] = .settings(rows, offset: offset) }
        return []
    }
}
