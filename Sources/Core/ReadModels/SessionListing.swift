import Foundation

/// A session as the sessions screen lists it: with its agent's slug, its task's title and its message count.
public struct SessionListing: Sendable, Equatable {
    public var session: Session
    public var agentSlug: String
    public var taskTitle: String?
    public var messageCount: Int
    public init(session: Session, agentSlug: String, taskTitle: String?, messageCount: Int) {
        self.session = session; self.agentSlug = agentSlug; self.taskTitle = taskTitle; self.messageCount = messageCount
    }
}
