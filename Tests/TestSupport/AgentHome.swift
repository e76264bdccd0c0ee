import Foundation

/// A temporary home folder holding the agents' default folders, filled from the importer fixtures
/// (Tests/ImportersTests/Fixtures: where each format comes from is in their READMEs):
/// `.claude/projects`, `.codex/sessions`, `.gemini/tmp`, `.local/share/opencode/storage`. Removed with this value.
public final class AgentHome: @unchecked Sendable {
    public let dir: URL
    public var path: String { dir.path }
    /// The environment of a process that lives in this home: HOME, and no agent override from the test's own.
    public var environment: [String: String] { ["HOME": path, "CLAUDE_CONFIG_DIR": "", "CODEX_HOME": "", "XDG_DATA_HOME": ""] }

    public static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImportersTests/Fixtures")

    /// Sessions and messages the fixtures hold, as `agentmon sync` imports them.
    public static let fixtureSessions = 7
    public static let fixtureMessages = 39

    public init(filled: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-home-\(UUID().uuidString)")
        let fm = FileManager.default
        for d in [".claude", ".codex", ".gemini", ".local/share/opencode"] {
            try fm.createDirectory(at: dir.appendingPathComponent(d), withIntermediateDirectories: true)
        }
        guard filled else { return }
        for (from, to) in [("claude/projects", ".claude/projects"), ("codex/sessions", ".codex/sessions"), ("gemini/tmp", ".gemini/tmp"),
                           ("opencode/storage", ".local/share/opencode/storage")] {
            try fm.copyItem(at: Self.fixtures.appendingPathComponent(from), to: dir.appendingPathComponent(to))
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A path inside the home.
    public func file(_ relative: String) -> String { dir.appendingPathComponent(relative).path }

    public static let claudeSession = ".claude/projects/-work-demo/2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01.jsonl"
    public static let codexRollout = ".codex/sessions/2026/11/20/rollout-2026-11-20T09-00-00-0199a1f0-3b7e-7c31-9d8e-5a3f1c2b4d60.jsonl"

    /// Appends bytes to a file of the home (created when missing).
    public func append(_ relative: String, _ text: String) throws { try append(relative, bytes: Data(text.utf8)) }

    public func append(_ relative: String, bytes: Data) throws {
        let p = file(relative)
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: p).deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: p) { _ = FileManager.default.createFile(atPath: p, contents: nil) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: p))
        defer { try? h.close() }
        try h.seekToEnd()
        try h.write(contentsOf: bytes)
    }

    /// One Claude Code session record (the shape of the fixture's: uuid, parentUuid, sessionId, message).
    public static func claudeLine(session: String, uuid: String, parent: String?, role: String, text: String, messageId: String? = nil) -> String {
        let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
        let id = messageId.map { "\"id\": \"\($0)\", " } ?? ""
        return """
            {"parentUuid": \(parentJSON), "isSidechain": false, "cwd": "/work/demo", "sessionId": "\(session)", "type": "\(role)", \
            "message": {\(id)"role": "\(role)", "content": [{"type": "text", "text": "\(text)"}]}, "uuid": "\(uuid)", \
            "timestamp": "2026-11-21T10:00:00Z"}

            """
    }
}
