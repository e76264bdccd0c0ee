import Foundation
import Core
import Storage
import Importers

/// The demo's agent sessions: transcripts shipped with this target (`Transcripts/`, in the exact formats Claude
/// Code and Codex write; made by `scripts/demo-transcripts/make.py`), read by the normal importers, then linked
/// to the demo tasks they worked on. Importing again changes nothing: the importers match by external id.
public enum DemoTranscripts {
    /// A shipped session and the task (and run) it belongs to: transcripts name no tasks, the demo does.
    struct Link {
        let externalId: String, task: String, capability: String
        /// For runs whose transcript never shows the prompt (stream-json and Codex exec output).
        var title: String? = nil
    }

    static let links: [Link] = [
        // Claude Code session JSONL with an Explore sub-agent (subagents/agent-7c3e91fa.jsonl) and one failing test run.
        Link(externalId: "5d1f8a3e-2c47-4b9a-8e61-0f3c9d7b2a15", task: "n1", capability: "claude:implement"),
        // Claude stream-json: one finished turn, then a permission request for a migration that the stream
        // ended without (the demo's live Claude run asks the same, and waits for the answer).
        Link(externalId: "b7e2c4d9-81f3-4a6e-9d25-3c0a7f1e6b88", task: "auth", capability: "claude:implement",
             title: "Refresh endpoint and revocation list"),
        // Codex exec --json: tests written, then a resumed turn that failed.
        Link(externalId: "0199b3c4-5e21-7d80-a6f2-8c1d3e9b4f07", task: "webhook", capability: "codex:tests",
             title: "Webhook retry tests"),
    ]

    public struct MissingTranscripts: Error, CustomStringConvertible {
        public let looked: [String]
        public var description: String {
            "demo transcripts not found (looked in \(looked.joined(separator: ", "))); reinstall agentmon with its "
                + "agentmon_DemoData.resources folder beside the binary, or set AGENTMON_DEMO_TRANSCRIPTS"
        }
    }

    static let bundleName = "agentmon_DemoData.resources"

    /// The shipped `Transcripts` folder. `Bundle.module` stops the process when its bundle is missing, so it is
    /// only asked once the bundle is known to be beside the binary; a missing folder is a one-line error instead.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let fm = FileManager.default
        var looked: [String] = []
        func usable(_ dir: URL) -> URL? {
            if !looked.contains(dir.path) { looked.append(dir.path) }
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue ? dir : nil
        }
        if let env = environment["AGENTMON_DEMO_TRANSCRIPTS"], !env.isEmpty {
            if let d = usable(URL(fileURLWithPath: env)) { return d }
            throw MissingTranscripts(looked: looked)
        }
        if usable(Bundle.main.bundleURL.appendingPathComponent(bundleName).appendingPathComponent("Transcripts")) != nil,
           let url = Bundle.module.url(forResource: "Transcripts", withExtension: nil), usable(url) != nil {
            return url
        }
        // An installed symlink to the built binary: the bundle sits beside the real file.
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath(),
           let d = usable(exe.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent("Transcripts")) {
            return d
        }
        throw MissingTranscripts(looked: looked)
    }

    /// Imports every shipped transcript and links the sessions to their tasks and runs.
    @discardableResult
    public static func importAll(_ store: Store, from shipped: URL? = nil) throws -> ImportSummary {
        let dir = try shipped ?? folder()
        let importer = Importer(store: store)
        var summary = try importer.run(.claude, paths: [dir.appendingPathComponent("claude").path])
        let codex = try importer.run(.codex, paths: [dir.appendingPathComponent("codex").path])
        summary.files += codex.files; summary.sessions += codex.sessions; summary.messages += codex.messages
        summary.toolCalls += codex.toolCalls; summary.skippedLines += codex.skippedLines
        try link(store)
        return summary
    }

    /// Sets each shipped session's task (sub-agents too, so the task's cost counts them) and its run, found by
    /// the demo's keys; a demo without the task (a database filled otherwise) just leaves the session unlinked.
    /// A shipped transcript records a run that has ended: it is linked to an ended run only (a queued one, which
    /// the demo's worker starts, writes a transcript of its own), and a permission request its stream ended
    /// without is closed, the session stopped: nobody can answer it, and the inbox offers only what can be.
    static func link(_ store: Store) throws {
        let tasks = try DemoBoard.find(store)
        let slugs = Dictionary(try store.agents.list().map { ($0.id, $0.slug) }, uniquingKeysWith: { a, _ in a })
        let caps = Dictionary(try store.agents.capabilities().map { ("\(slugs[$0.agentId] ?? "?"):\($0.key)", $0.id) },
                              uniquingKeysWith: { a, _ in a })
        try store.db.transaction {
            for l in links {
                guard let s = try store.sessions.find(externalSessionId: l.externalId) else {
                    throw StorageError.notFound("demo transcript session \(l.externalId) was not imported")
                }
                guard let task = tasks[l.task] else { continue }
                let run = try store.executions.list(taskId: task.id, limit: 50)
                    .first { $0.capabilityId == caps[l.capability] && $0.status.isTerminal }
                try store.sessions.link(s.id, taskId: task.id, executionId: run?.id)
                if try store.toolCalls.pendingConfirmation(sessionId: s.id) != nil {
                    try store.toolCalls.closePendingConfirmation(sessionId: s.id, reason: "the stream ended before an answer")
                    try store.sessions.setStatus(s.id, .stopped)
                }
                // The run knows its agent session, so `c` on it resumes that session.
                if let run, let ext = s.externalSessionId { try store.executions.setSessionRef(run.id, ext) }
                if let title = l.title { try store.sessions.setTitle(s.id, title) }  // the demo knows the run's prompt
                for (child, _) in try store.sessions.children(of: s.id) {
                    try store.sessions.link(child.id, taskId: task.id, executionId: nil)
                }
            }
        }
    }
}
