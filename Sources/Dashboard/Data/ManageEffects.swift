import Foundation
import Core
import Storage

/// The data thread's side of the capability, session, message and settings operations (ManageUpdate.swift):
/// loads answer with a message, writes with the status line's text. nil: not one of these effects.
extension DataService {
    static func manageLoad(_ effect: Effect, _ store: Store) throws -> Msg? {
        switch effect {
        case .loadCapabilityRemoval(let id):
            let c = try store.agents.capability(id), a = try store.agents.get(c.agentId)
            let e = try store.agents.capabilityExecutions(id)
            return .capabilityRemovalLoaded(CapabilityRemoval(capabilityId: id, name: "\(a.slug):\(c.key)", executions: e.all, running: e.running))
        case .loadSettings(let only):
            let all = try store.settings.all()
            let keys = only.map { all[$0] == nil ? [] : [$0] } ?? all.keys.sorted()
            return .settingsLoaded(keys.map { SettingRow(key: $0, value: all[$0]!.jsonString) }, only: only)
        case .loadDiff(let taskId, let executionId):
            return try loadDiff(taskId: taskId, executionId: executionId, store)
        case .findRunTranscript(let id):
            let run = try store.executions.get(id)
            return .runTranscriptFound(id, sessionId: try store.sessions.forRun(id, sessionRef: run.sessionRef)?.id)
        default:
            return nil
        }
    }

    static func manageWrite(_ effect: Effect, _ store: Store) throws -> String? {
        switch effect {
        case .renameSession(let id, let title):
            try store.sessions.setTitle(id, title.isEmpty ? nil : title)
            return title.isEmpty ? "cleared the title of session #\(id)" : "renamed session #\(id)"
        case .closeSession(let id):
            try store.sessions.close(id)
            return "closed session #\(id)"
        case .deleteMessage(let id):
            try store.messages.delete(id)
            return "deleted message #\(id)"
        case .setCapabilityEnabled(_, let agentId, let key, let on):
            try store.agents.setCapabilityEnabled(agentId: agentId, key: key, on)
            return "\(on ? "enabled" : "disabled") capability \(key)" + (on ? "" : ": its queued runs wait")
        case .setCapabilityLabel(let id, let label):
            var c = try store.agents.capability(id)
            c.label = label
            _ = try store.agents.updateCapability(c)
            return "relabelled capability \(c.key)"
        case .removeCapability(let id, let name):
            try store.agents.deleteCapability(id, withExecutions: true)
            return "removed capability \(name)"
        case .mergeTask(let id):
            return try merge(taskId: id, store)
        case .setSetting(let key, let value):
            let v = JSONValue.parse(value) ?? .string(value)
            try store.settings.set(key, v)
            return "\(key) = \(v.jsonString)"
        default:
            return nil
        }
    }

    /// The form's `agent:key` as a capability id: nil leaves it, `.some(nil)` clears it; an unknown one is named.
    static func autoRunCapability(_ text: String?, _ store: Store) throws -> ID?? {
        guard let text else { return nil }
        guard !text.isEmpty else { return .some(nil) }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw StorageError.invalid("auto-run must look like agent:key") }
        return .some(try store.agents.capability(slug: parts[0], key: parts[1]).1.id)
    }
}
