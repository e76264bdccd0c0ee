import Foundation
import Core

extension ExecutionRepository {
    /// Queues a continuation of an ended run: same task, capability and agent, `parent_execution_id` = `id`,
    /// and the parent's session ref, which the worker passes through the agent's `resumeFlags` (or its protocol's
    /// `resumeMethod`: codex app-server's thread/resume). The prompt
    /// is `prompt` when given (not empty), else the capability's, rendered as for a first run.
    @discardableResult
    public func continuation(of id: ID, prompt: String?, by: String = "user") throws -> Execution {
        try db.transaction(.immediate) {
            let parent = try get(id)
            guard parent.status.isTerminal else {
                throw StorageError.invalid("execution \(id) is \(parent.status.rawValue); only an ended run can be continued")
            }
            guard let ref = parent.sessionRef, !ref.isEmpty else {
                throw StorageError.invalid("execution \(id) has no session to continue (no session ref)")
            }
            let agent = try AgentRepository(db).get(parent.agentId)
            let flags = agent.sessionConfig?["resumeFlags"]?.arrayValue ?? []
            let method = agent.sessionConfig?["resumeMethod"]?.stringValue ?? ""
            guard !flags.isEmpty || !method.isEmpty else {
                throw StorageError.invalid("agent '\(agent.slug)' cannot resume a session (no resumeFlags or resumeMethod in its session config)")
            }
            let text = prompt.flatMap { $0.isEmpty ? nil : $0 }
            if text != nil, parent.mode != .prompt {
                throw StorageError.invalid("execution \(id) runs a template capability; it takes no prompt")
            }
            var e = try queue(QueueRequest(taskId: parent.taskId, capabilityId: parent.capabilityId, args: parent.args,
                                           requestedBy: by, parentExecutionId: id, sessionRef: ref))
            if let text {
                try db.execute("UPDATE executions SET prompt = ? WHERE id = ?", .text(text), .int(e.id))
                e = try get(e.id)
            }
            return e
        }
    }

    /// The agent's own session id, once a live run has learnt it.
    public func setSessionRef(_ id: ID, _ ref: String) throws {
        try db.execute("UPDATE executions SET session_ref = ? WHERE id = ?", .text(ref), .int(id))
    }
}

extension SessionRepository {
    /// Ties a session to the run that is speaking in it now (a resumed session follows its newest run)
    /// and marks it running.
    public func attachRun(_ id: ID, executionId: ID, taskId: ID) throws {
        let n = try db.execute("UPDATE sessions SET execution_id = ?, task_id = ?, status = 'running', updated_at = \(db.dialect.now) WHERE id = ?",
                               .int(executionId), .int(taskId), .int(id))
        if n == 0 { throw StorageError.notFound("no session with id \(id)") }
    }
}
