import Foundation
import Core
import Testing
import TestSupport
@testable import Storage

/// Migration 017 (Schema017ClaimPath.swift): the claim's plan, not only its result. The claim tests
/// (ExecutionClaimTests, ExecutionRepositoryTests) hold the results, the skipping looks included.
@Suite("Claim path (migration 017)") struct ClaimPathMigrationTests {
    @Test func theCommonLookIsDerivedFrom015() {
        let text = Schema.claimStepCommonLook
        #expect(!text.isEmpty, "015's candidate query is no longer where 017 looks for it")
        #expect(text.components(separatedBy: Schema.claimCandidateWithSkips).count == 2, "the skipping look stays, once")
        #expect(text.contains("IF cardinality(p_skip_agents) = 0 AND cardinality(p_skip_capabilities) = 0 THEN"))
        #expect(text.contains("AND (e.not_before IS NULL OR e.not_before <= now())"), "015's rate-limit waits stay")
        #expect(text.contains("AND (a.limited_until IS NULL OR a.limited_until <= now());"))
    }

    @Test("the claim's candidate is read in index order, with no sort and no heartbeat index", arguments: Backend.allCases)
    func candidateNeedsNoSort(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let store = try tdb.store()
            defer { store.close() }
            let a = try store.agents.create(Agent(slug: "plan", name: "Plan", binaryPath: "/bin/true", maxConcurrent: 100))
            let cap = try store.agents.addCapability(Capability(agentId: a.id, key: "noop", label: "No-op", mode: .template, commandTokens: ["x"]))
            let task = try store.tasks.create(NewTask(title: "plan"))
            for _ in 0..<300 { try store.executions.queue(.init(taskId: task.id, capabilityId: cap.id)) }
            let candidate = """
                SELECT e.id FROM executions e WHERE e.status = 'queued' AND (e.requires_approval = false OR e.approved_at IS NOT NULL)
                ORDER BY e.created_at, e.id LIMIT 1
                """
            let plan: String
            switch store.db.dialect {
            case .sqlite:
                plan = try store.db.query("EXPLAIN QUERY PLAN " + candidate).map { $0.string("detail") }.joined(separator: "\n")
                #expect(try store.db.query("PRAGMA index_info(idx_executions_queue)").map { $0.string("name") } == ["status", "created_at", "id"])
                #expect(try store.db.query("SELECT name FROM sqlite_master WHERE name = 'idx_executions_stale'").isEmpty)
            case .postgres:
                try store.db.executeScript("ANALYZE executions")
                plan = try store.db.query("EXPLAIN " + candidate).map { $0.string("QUERY PLAN") }.joined(separator: "\n")
                let def = try store.db.queryOne("SELECT indexdef AS d FROM pg_indexes WHERE indexname = 'idx_executions_queue'")?.string("d") ?? ""
                #expect(def.hasSuffix("(status, created_at, id)"), "\(def)")
                #expect(try store.db.queryOne("SELECT 1 AS x FROM pg_indexes WHERE indexname = 'idx_executions_stale'") == nil)
            }
            #expect(plan.contains("idx_executions_queue"), "\(plan)")
            #expect(!plan.localizedCaseInsensitiveContains("sort") && !plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    @Test("PostgreSQL: the function has the common look; the change triggers skip a counted transaction")
    func postgresFunctionAndTriggers() throws {
        try withDatabase(.postgres) { tdb in
            let store = try tdb.store()
            defer { store.close() }
            let src = try store.db.queryOne("SELECT prosrc AS s FROM pg_proc WHERE proname = 'agentmon_claim_step'")?.string("s") ?? ""
            #expect(src.contains("IF cardinality(p_skip_agents) = 0 AND cardinality(p_skip_capabilities) = 0 THEN"))
            let triggers = try store.db.query("""
                SELECT pg_get_triggerdef(t.oid) AS d FROM pg_trigger t
                WHERE t.tgname LIKE 'agentmon_notify_%' AND t.tgname <> 'agentmon_notify_input'
                """).map { $0.string("d") }
            #expect(triggers.count == Schema.changeCountedTables.count)
            #expect(triggers.allSatisfy { $0.contains("WHEN ((current_setting('agentmon.counted'") }, "\(triggers)")
            // The token still moves once for a transaction that writes two counted tables.
            let before = try store.db.changeToken()
            try store.db.transaction(.immediate) {
                _ = try store.tasks.create(NewTask(title: "counted"))
                _ = try store.agents.create(Agent(slug: "counted", name: "Counted", binaryPath: "/bin/true"))
            }
            #expect(try store.db.changeToken() == before + 1)
        }
    }
}
