import Foundation
import Core

/// Approval rules (`agentmon rule add/list/remove`): ordered by position, first match wins (`ApprovalRules`).
public struct RuleRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    static let select = """
        SELECT r.id, r.position, r.agent_id, a.slug AS agent_slug, r.tool_name, r.match_regex, r.decision, r.created_by, r.created_at
        FROM approval_rules r LEFT JOIN agents a ON a.id = r.agent_id
        """

    /// Adds a rule after the others. The pattern is checked here, so a rule that cannot match is never stored.
    @discardableResult
    public func add(agentId: ID?, toolName: String?, match: String?, decision: ApprovalRule.Decision, by: String = "user") throws -> ApprovalRule {
        if let m = match, let problem = ApprovalRules.validate(m) { throw StorageError.invalid("--match: \(problem)") }
        if let t = toolName, t.isEmpty { throw StorageError.invalid("--tool: the tool name is empty") }
        return try db.transaction(.immediate) {
            let last = try db.queryOne("SELECT max(position) AS p FROM approval_rules")?.optInt("p") ?? 0
            let id = try db.insert("""
                INSERT INTO approval_rules (position, agent_id, tool_name, match_regex, decision, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, \(db.dialect.now))
                """, [.int(last + 1), .optional(agentId), .optional(toolName), .optional(match), .text(decision.rawValue), .text(by)])
            return try get(id)
        }
    }

    public func get(_ id: ID) throws -> ApprovalRule {
        guard let r = try db.queryOne(Self.select + " WHERE r.id = ?", .int(id)) else {
            throw StorageError.notFound("no rule with id \(id)")
        }
        return r.approvalRule
    }

    /// Every rule in the order they are applied.
    public func list() throws -> [ApprovalRule] {
        try db.query(Self.select + " ORDER BY r.position, r.id").map(\.approvalRule)
    }

    public func remove(_ id: ID) throws {
        guard try db.execute("DELETE FROM approval_rules WHERE id = ?", .int(id)) == 1 else {
            throw StorageError.notFound("no rule with id \(id)")
        }
    }
}

extension Row {
    var approvalRule: ApprovalRule {
        ApprovalRule(id: int("id"), position: int("position"), agentId: optInt("agent_id"), agentSlug: optString("agent_slug"),
                     toolName: optString("tool_name"), match: optString("match_regex"), decision: enumValue("decision", default: .ask),
                     createdBy: string("created_by"), createdAt: date("created_at"))
    }
}
