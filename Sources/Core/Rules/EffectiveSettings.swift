/// A session's effective settings: the session's override where set, else the agent's value.
public struct EffectiveSettings: Sendable, Equatable {
    public var model: String?
    public var instructions: String?
    public var permissionMode: String?
    public var maxSteps: Int?

    public init(agent: Agent, overrides: SessionOverrides) {
        model = overrides.model ?? agent.model
        instructions = overrides.instructions ?? agent.instructions
        permissionMode = overrides.permissionMode ?? agent.permissionMode
        maxSteps = overrides.maxSteps ?? agent.maxSteps
    }
}
