import Foundation
import Core

/// Agents and their capabilities (the seeds' per-agent "tools" are capabilities: enable/disable by key).
public struct AgentRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    @discardableResult
    public func create(_ a: Agent) throws -> Agent {
        guard AgentSlug.isValid(a.slug) else { throw StorageError.invalid(AgentSlug.Invalid(slug: a.slug).description) }
        guard a.maxConcurrent >= 1 else { throw StorageError.invalid("max concurrent runs must be at least 1") }
        do {
            let id = try db.insert("""
                INSERT INTO agents (slug, name, kind, tool_type, binary_path, base_args, working_dir, env_allowlist,
                    is_active, max_concurrent, discovery_method, version, model, instructions, permission_mode,
                    max_steps, session_config, metadata, mcp_enabled)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(a.slug), .text(a.name), .text(a.kind.rawValue), .text(a.toolType.rawValue),
                      .text(a.binaryPath), .text(a.baseArgs.jsonText), .optional(a.workingDir),
                      .text(a.envAllowlist.jsonText), .bool(a.isActive), .int(Int64(a.maxConcurrent)),
                      .text(a.discoveryMethod.rawValue), .optional(a.version), .optional(a.model),
                      .optional(a.instructions), .optional(a.permissionMode), .optional(a.maxSteps),
                      .optional(a.sessionConfig?.jsonString), .text(a.metadata.jsonString), .bool(a.mcpEnabled)])
            return try get(id)
        } catch StorageError.constraint(let m) where m.contains("slug") || m.contains("unique") || m.contains("UNIQUE") {
            throw StorageError.conflict("an agent with slug '\(a.slug)' already exists")
        }
    }

    public func get(_ id: ID) throws -> Agent {
        guard let r = try db.queryOne("SELECT \(Columns.agent) FROM agents a WHERE a.id = ?", .int(id)) else {
            throw StorageError.notFound("no agent with id \(id)")
        }
        return r.agent
    }

    public func find(slug: String) throws -> Agent? {
        try db.queryOne("SELECT \(Columns.agent) FROM agents a WHERE a.slug = ?", .text(slug))?.agent
    }

    public func require(slug: String) throws -> Agent {
        guard let a = try find(slug: slug) else { throw StorageError.notFound("no agent with slug '\(slug)'") }
        return a
    }

    /// Seed `findByName`.
    public func find(name: String) throws -> Agent? {
        try db.queryOne("SELECT \(Columns.agent) FROM agents a WHERE a.name = ? ORDER BY a.id LIMIT 1", .text(name))?.agent
    }

    public func list(activeOnly: Bool = false) throws -> [Agent] {
        let filter = activeOnly ? " WHERE a.is_active = ?" : ""
        return try db.query("SELECT \(Columns.agent) FROM agents a\(filter) ORDER BY a.slug",
                            activeOnly ? [.bool(true)] : []).map(\.agent)
    }

    /// Writes every editable field of `a` (found by its id; slug, kind, discovery and version stay as they
    /// are) and returns the stored row. Agents have no audit trail (only tasks do); `updated_at` records when.
    @discardableResult
    public func update(_ a: Agent) throws -> Agent {
        guard a.maxConcurrent >= 1 else { throw StorageError.invalid("max concurrent runs must be at least 1") }
        guard !a.name.isEmpty else { throw StorageError.invalid("an agent's name must not be empty") }
        guard !a.binaryPath.isEmpty else { throw StorageError.invalid("an agent's binary must not be empty") }
        let n = try db.execute("""
            UPDATE agents SET name = ?, tool_type = ?, binary_path = ?, base_args = ?, working_dir = ?, env_allowlist = ?,
                is_active = ?, max_concurrent = ?, model = ?, instructions = ?, permission_mode = ?, max_steps = ?,
                session_config = ?, metadata = ?, mcp_enabled = ?, updated_at = \(db.dialect.now)
            WHERE id = ?
            """, [.text(a.name), .text(a.toolType.rawValue), .text(a.binaryPath), .text(a.baseArgs.jsonText),
                  .optional(a.workingDir), .text(a.envAllowlist.jsonText), .bool(a.isActive), .int(Int64(a.maxConcurrent)),
                  .optional(a.model), .optional(a.instructions), .optional(a.permissionMode), .optional(a.maxSteps),
                  .optional(a.sessionConfig?.jsonString), .text(a.metadata.jsonString), .bool(a.mcpEnabled), .int(a.id)])
        if n == 0 { throw StorageError.notFound("no agent with id \(a.id)") }
        return try get(a.id)
    }

    public func setActive(_ id: ID, _ active: Bool) throws {
        let n = try db.execute("UPDATE agents SET is_active = ?, updated_at = \(db.dialect.now) WHERE id = ?", .bool(active), .int(id))
        if n == 0 { throw StorageError.notFound("no agent with id \(id)") }
    }

    public func updateInstructions(_ id: ID, _ instructions: String?) throws {
        let n = try db.execute("UPDATE agents SET instructions = ?, updated_at = \(db.dialect.now) WHERE id = ?",
                               .optional(instructions), .int(id))
        if n == 0 { throw StorageError.notFound("no agent with id \(id)") }
    }

    public func updateVersion(_ id: ID, _ version: String?) throws {
        try db.execute("UPDATE agents SET version = ?, last_scanned_at = \(db.dialect.now), updated_at = \(db.dialect.now) WHERE id = ?",
                       .optional(version), .int(id))
    }

    public func delete(_ id: ID) throws {
        do {
            let n = try db.execute("DELETE FROM agents WHERE id = ?", .int(id))
            if n == 0 { throw StorageError.notFound("no agent with id \(id)") }
        } catch StorageError.constraint {
            throw StorageError.conflict("agent \(id) has executions on record; deactivate it instead")
        }
    }

    /// Running (and cancelling) executions per agent id.
    public func runningCounts() throws -> [ID: Int] {
        var out: [ID: Int] = [:]
        for r in try db.query("SELECT agent_id, count(*) AS n FROM executions WHERE status IN ('running','cancelling') GROUP BY agent_id") {
            out[r.int("agent_id")] = r.intValue("n")
        }
        return out
    }

    // MARK: capabilities

    @discardableResult
    public func addCapability(_ c: Capability) throws -> Capability {
        guard (0...3).contains(c.dangerLevel) else { throw StorageError.invalid("danger level must be 0 to 3") }
        guard c.timeoutSec > 0 else { throw StorageError.invalid("timeout must be positive") }
        guard c.maxOutputBytes > 0 else { throw StorageError.invalid("max output bytes must be positive") }
        if c.mode == .template, (c.commandTokens ?? []).isEmpty {
            throw StorageError.invalid("a template capability needs command tokens")
        }
        if c.mode == .prompt, (c.promptTemplate ?? "").isEmpty {
            throw StorageError.invalid("a prompt capability needs a prompt template")
        }
        do {
            let id = try db.insert("""
                INSERT INTO agent_capabilities (agent_id, key, label, description, source, interaction_mode,
                    command_tokens, prompt_template, args_schema, requires_approval, is_enabled, danger_level,
                    timeout_sec, max_output_bytes, isolation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.int(c.agentId), .text(c.key), .text(c.label), .optional(c.description), .text(c.source.rawValue),
                      .text(c.mode.rawValue), .optional(c.commandTokens?.jsonText), .optional(c.promptTemplate),
                      .text(c.argsSchema.jsonString), .bool(c.requiresApproval), .bool(c.isEnabled),
                      .int(Int64(c.dangerLevel)), .int(Int64(c.timeoutSec)), .int(c.maxOutputBytes),
                      .text(c.isolation.rawValue)])
            return try capability(id)
        } catch StorageError.constraint(let m) {
            if m.lowercased().contains("unique") || m.contains("uq_agent_capability_key") {
                throw StorageError.conflict("agent \(c.agentId) already has a capability '\(c.key)'")
            }
            throw StorageError.invalid("capability refused: \(m)")
        }
    }

    public func capability(_ id: ID) throws -> Capability {
        guard let r = try db.queryOne("SELECT \(Columns.capability) FROM agent_capabilities c WHERE c.id = ?", .int(id)) else {
            throw StorageError.notFound("no capability with id \(id)")
        }
        return r.capability
    }

    public func capability(agentId: ID, key: String) throws -> Capability? {
        try db.queryOne("SELECT \(Columns.capability) FROM agent_capabilities c WHERE c.agent_id = ? AND c.key = ?",
                        .int(agentId), .text(key))?.capability
    }

    /// `agent:key` as people write it (the CLI's AGENT:KEY, the task form's auto-run): both named when missing.
    public func capability(slug: String, key: String) throws -> (Agent, Capability) {
        let a = try require(slug: slug)
        guard let c = try capability(agentId: a.id, key: key) else { throw StorageError.notFound("agent '\(slug)' has no capability '\(key)'") }
        return (a, c)
    }

    public func capabilities(agentId: ID? = nil) throws -> [Capability] {
        if let agentId {
            return try db.query("SELECT \(Columns.capability) FROM agent_capabilities c WHERE c.agent_id = ? ORDER BY c.key",
                                .int(agentId)).map(\.capability)
        }
        return try db.query("SELECT \(Columns.capability) FROM agent_capabilities c ORDER BY c.agent_id, c.key").map(\.capability)
    }

    /// Seed `enableTool` / disable: a capability is switched by its key.
    public func setCapabilityEnabled(agentId: ID, key: String, _ enabled: Bool) throws {
        let n = try db.execute("UPDATE agent_capabilities SET is_enabled = ? WHERE agent_id = ? AND key = ?",
                               .bool(enabled), .int(agentId), .text(key))
        if n == 0 { throw StorageError.notFound("agent \(agentId) has no capability '\(key)'") }
    }

    /// Seed `getTools`: keys of the enabled capabilities.
    public func enabledCapabilityKeys(agentId: ID) throws -> [String] {
        try db.query("SELECT key FROM agent_capabilities WHERE agent_id = ? AND is_enabled = ? ORDER BY key",
                     .int(agentId), .bool(true)).map { $0.string("key") }
    }
}
