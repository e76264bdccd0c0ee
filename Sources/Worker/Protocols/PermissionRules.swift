import Foundation
import Core
import Storage

/// Approval rules at the moment a permission request arrives (`agentmon rule add`): the first matching
/// rule that says allow or deny decides at once, recorded as `rule #ID`, and the agent never waits for a
/// person; `ask`, or no match, leaves the request in the inbox. Rules are read per request, so a rule added
/// while a run goes on applies to its next request.
enum PermissionRules {
    /// The rule that decided the request (already recorded on the tool call), or nil when a person must.
    static func decide(_ call: ToolCall, agent: Agent, store: Store) -> ApprovalRule? {
        guard let rules = try? store.rules.list(), !rules.isEmpty,
              let rule = ApprovalRules.firstMatch(rules, agentId: agent.id, toolName: call.toolName, input: call.input),
              rule.decision != .ask else { return nil }
        let allow = rule.decision == .allow
        do {
            try store.toolCalls.decide(call.id, approve: allow, by: rule.decider,
                                       reason: allow ? nil : "denied by \(rule.decider)", note: true)
        } catch { return nil }  // decided meanwhile by a person: theirs stands
        return rule
    }
}
