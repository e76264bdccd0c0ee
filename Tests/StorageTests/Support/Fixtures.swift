import Foundation
import Core
@testable import Storage

/// Small builders so tests read as the behaviour they check.
extension Store {
    @discardableResult
    func makeAgent(_ slug: String = "claude", maxConcurrent: Int = 1, active: Bool = true) throws -> Agent {
        try agents.create(Agent(slug: slug, name: slug.capitalized, toolType: .aiAgent, binaryPath: "/usr/bin/\(slug)",
                                isActive: active, maxConcurrent: maxConcurrent))
    }

    @discardableResult
    func makeCapability(_ agent: Agent, key: String = "run", approval: Bool = false) throws -> Capability {
        try agents.addCapability(Capability(agentId: agent.id, key: key, label: key.capitalized, mode: .template,
                                            commandTokens: ["echo", "{{msg}}"], requiresApproval: approval))
    }

    @discardableResult
    func makeTask(_ title: String, _ status: TaskStatus = .todo) throws -> TaskItem {
        try tasks.create(NewTask(title: title, status: status))
    }

    func titles(_ status: TaskStatus) throws -> [String] { try tasks.list(status: status).map(\.title) }
}
