import Foundation
import Core

extension DataService {
    /// A write as the status bar names it while it waits for the database to come back.
    static func describe(_ e: Effect) -> String {
        switch e {
        case .moveTask(let id, let status, _): "move task #\(id) to \(status.rawValue)"
        case .createTask(let t): "create task '\(t.title)'"
        case .updateTask(let id, _): "edit task #\(id)"
        case .deleteTask(let id): "delete task #\(id)"
        case .removeAgent(_, let slug): "remove agent \(slug)"
        case .deleteSession(let id): "delete session #\(id)"
        case .setAgentActive(let id, let on): "\(on ? "enable" : "disable") agent #\(id)"
        case .queueRun(let task, _, _): "queue a run on task #\(task)"
        case .cancelExecution(let id): "cancel execution #\(id)"
        case .retryExecution(let id): "retry execution #\(id)"
        case .approveExecution(let id): "approve execution #\(id)"
        case .decideToolCall(let id, let approve, _): "\(approve ? "approve" : "deny") tool call #\(id)"
        case .denyExecution(let id, _): "deny execution #\(id)"
        case .continueExecution(let id, _): "continue execution #\(id)"
        case .sendInput(let id, let kind, _): "\(kind == .message ? "send a message to" : "interrupt") run #\(id)"
        case .registerDiscovered: "register the discovered agents"
        case .renameSession(let id, _): "rename session #\(id)"
        case .closeSession(let id): "close session #\(id)"
        case .deleteMessage(let id): "delete message #\(id)"
        case .setCapabilityEnabled(_, _, let key, let on): "\(on ? "enable" : "disable") capability \(key)"
        case .setCapabilityLabel(let id, _): "relabel capability #\(id)"
        case .removeCapability(_, let name): "remove capability \(name)"
        case .setSetting(let key, _): "set \(key)"
        default: "\(e)"
        }
    }
}
