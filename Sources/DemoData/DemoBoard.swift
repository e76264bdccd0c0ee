import Foundation
import Core
import Storage

/// ~40 cards in every column of a believable project, with subtasks, dependencies and due dates.
enum DemoBoard {
    struct Card {
        let key: String, title: String, status: TaskStatus, priority: Int, assignee: String?
        var parent: String? = nil, dueDays: Double? = nil, description: String? = nil
    }

    static let cards: [Card] = [
        Card(key: "auth", title: "Replace session cookies with signed tokens", status: .inProgress, priority: 1, assignee: "claude",
             dueDays: 2, description: "Sessions are stored server-side today. Move to signed, short-lived tokens with refresh.\nKeep the old cookie path working for one release."),
        Card(key: "auth-1", title: "Token signing with key rotation", status: .done, priority: 2, assignee: "claude", parent: "auth"),
        Card(key: "auth-2", title: "Refresh endpoint and revocation list", status: .inProgress, priority: 2, assignee: "codex", parent: "auth"),
        Card(key: "auth-3", title: "Migrate existing sessions on login", status: .todo, priority: 3, assignee: nil, parent: "auth"),
        Card(key: "flaky", title: "Fix flaky test_upload_resume on CI", status: .inProgress, priority: 1, assignee: "pytest", dueDays: -1,
             description: "Fails about 1 run in 20 with a timeout in the chunk retry path."),
        Card(key: "ratelimit", title: "Rate limit the public search API", status: .todo, priority: 2, assignee: "codex", dueDays: 5),
        Card(key: "metrics", title: "Export request latency histograms", status: .todo, priority: 3, assignee: "gemini"),
        Card(key: "dark", title: "Dark mode for the settings page", status: .todo, priority: 4, assignee: nil),
        Card(key: "i18n", title: "Extract UI strings for translation — 日本語 and 한국어 first", status: .todo, priority: 4, assignee: nil),
        Card(key: "pg16", title: "Upgrade staging to PostgreSQL 16", status: .blocked, priority: 2, assignee: "make", dueDays: -3,
             description: "Blocked on the extension audit: pg_partman must be upgraded first."),
        Card(key: "audit", title: "Audit database extensions for PG16", status: .todo, priority: 2, assignee: "gemini"),
        Card(key: "release", title: "Cut release 3.2", status: .blocked, priority: 1, assignee: "git", dueDays: 7,
             description: "Waits for the auth work and the flaky test fix."),
        Card(key: "changelog", title: "Write the 3.2 changelog", status: .todo, priority: 3, assignee: "claude", parent: "release"),
        Card(key: "bump", title: "Bump version numbers", status: .todo, priority: 5, assignee: "git", parent: "release"),
        Card(key: "docs", title: "Document the token format", status: .blocked, priority: 3, assignee: "claude"),
        Card(key: "cache", title: "Cache rendered markdown previews", status: .done, priority: 3, assignee: "codex"),
        Card(key: "n1", title: "Remove N+1 queries on the dashboard endpoint", status: .done, priority: 2, assignee: "claude"),
        Card(key: "ci", title: "Split CI into build and test stages", status: .done, priority: 3, assignee: "make"),
        Card(key: "lint", title: "Turn on strict lint rules in the web app", status: .done, priority: 4, assignee: "codex"),
        Card(key: "deps", title: "Update dependencies (security advisories)", status: .done, priority: 2, assignee: "make"),
        Card(key: "logs", title: "Structured logs for the worker", status: .done, priority: 3, assignee: "claude"),
        Card(key: "backup", title: "Nightly backup verification job", status: .done, priority: 2, assignee: "make"),
        Card(key: "onboard", title: "Onboarding checklist for new contributors", status: .done, priority: 5, assignee: nil),
        Card(key: "search", title: "Typo-tolerant search", status: .todo, priority: 3, assignee: "codex"),
        Card(key: "export", title: "CSV export of invoices", status: .todo, priority: 3, assignee: "claude", dueDays: 10),
        Card(key: "webhook", title: "Retry failed webhooks with backoff", status: .inProgress, priority: 2, assignee: "codex"),
        Card(key: "mobile", title: "Responsive layout for the billing pages", status: .todo, priority: 4, assignee: "gemini"),
        Card(key: "a11y", title: "Keyboard navigation for the file tree", status: .todo, priority: 3, assignee: nil),
        Card(key: "perf", title: "Profile cold start of the worker", status: .inProgress, priority: 3, assignee: "gemini"),
        Card(key: "sso", title: "SAML single sign-on", status: .cancelled, priority: 3, assignee: nil,
             description: "Dropped: customers asked for OIDC instead."),
        Card(key: "oidc", title: "OIDC login", status: .todo, priority: 2, assignee: "claude"),
        Card(key: "legacy", title: "Keep the v1 API alive another year", status: .cancelled, priority: 5, assignee: nil),
        Card(key: "xml", title: "XML import", status: .cancelled, priority: 4, assignee: "codex"),
        Card(key: "tz", title: "Store all timestamps in UTC", status: .done, priority: 2, assignee: "claude"),
        Card(key: "emoji", title: "Emoji reactions on comments 🎉", status: .todo, priority: 5, assignee: nil),
        Card(key: "hostile", title: "Investigate report titled \u{1B}]0;pwned\u{07}\u{1B}[31mRED\u{1B}[0m from fuzzing", status: .blocked,
             priority: 3, assignee: "gemini", description: "The title carries terminal escapes on purpose: the board must show them harmlessly."),
        Card(key: "quota", title: "Per-team storage quotas", status: .todo, priority: 3, assignee: nil, dueDays: 14),
        Card(key: "gc", title: "Garbage-collect orphaned uploads", status: .inProgress, priority: 3, assignee: "make"),
        Card(key: "tracing", title: "Distributed tracing across services", status: .todo, priority: 4, assignee: "gemini"),
        Card(key: "runbook", title: "Runbook for the on-call rotation", status: .done, priority: 4, assignee: nil),
        Card(key: "otp", title: "Two-factor recovery codes", status: .cancelled, priority: 3, assignee: nil),
    ]

    static let dependencies: [(String, String)] = [
        ("release", "auth"), ("release", "flaky"), ("release", "changelog"), ("pg16", "audit"), ("docs", "auth"),
        ("auth-3", "auth-2"), ("auth-2", "auth-1"), ("changelog", "auth"), ("bump", "changelog"), ("oidc", "auth"),
        ("export", "n1"), ("hostile", "logs"),
    ]

    /// A chain waiting on its dependencies: each runs by itself when what it depends on is done.
    static let autoRuns: [(String, String)] = [("changelog", "claude:implement"), ("auth-3", "codex:implement")]

    /// The demo's cards in a database the demo filled, by key (titles are unique on the demo board).
    static func find(_ store: Store) throws -> [String: TaskItem] {
        let byTitle = Dictionary(try store.tasks.list().map { ($0.title, $0) }, uniquingKeysWith: { a, _ in a })
        return Dictionary(uniqueKeysWithValues: cards.compactMap { c in byTitle[c.title].map { (c.key, $0) } })
    }

    /// The title of the card with `key`.
    static func title(_ key: String) -> String { cards.first { $0.key == key }?.title ?? key }

    static func create(_ store: Store, agents: DemoAgents.Set, now: Date, workingDir: String) throws -> [String: TaskItem] {
        var made: [String: TaskItem] = [:]
        try store.db.transaction {
            for c in cards {
                let t = try store.tasks.create(NewTask(
                    title: c.title, description: c.description, status: c.status, priority: c.priority,
                    parentId: c.parent.flatMap { made[$0]?.id }, assigneeId: c.assignee.flatMap { agents.byslug[$0]?.id },
                    inputContext: TaskInputContext(workingDir: workingDir, promptAdditions: c.priority == 1 ? "Keep the change small." : nil),
                    dueAt: c.dueDays.map { now.addingTimeInterval($0 * 86_400) }))
                made[c.key] = t
            }
            for (task, on) in dependencies {
                try store.tasks.addDependency(made[task]!.id, on: made[on]!.id)
            }
            for (task, capability) in autoRuns {
                guard let c = agents.caps[capability] else { continue }
                made[task] = try store.tasks.update(made[task]!.id, TaskPatch(autoRunCapabilityId: .some(c.id)))
            }
        }
        return made
    }
}
