import Foundation
import Core

/// What an import of an appended-to transcript file remembers between passes, so that the next pass reads only
/// the bytes written since and still numbers, keys and totals its records as a whole-file import would.
/// Stored as JSON with the file's offset (`agentmon sync`).
public struct ImportResume: Codable, Sendable, Equatable {
    /// Lines read so far: records keyed by line number (Codex) go on from here.
    public var lines = 0
    /// Inside a line longer than a whole read (`agentmon sync` reads a bounded chunk): skip to its end.
    public var midLine: Bool?
    /// Claude: the file holds one sub-agent's own records (`subagents/agent-*.jsonl`), decided on its first records.
    var claudeSubagent: Bool?
    /// Claude: per session (external id), the content ordinals and usage of its last messages.
    var claude: [String: ClaudeSessionResume] = [:]
    /// Claude, inline sidechains of older versions (no agentId): record uuid → its group.
    var claudeGroups: [String: String] = [:]
    /// Codex: the rollout's session, model and last cumulative usage (only its first record names the session).
    var codexSession: String?
    var codexModel: String?
    var codexUsage: Usage?

    public init() {}

    /// The JSON stored with the file; a damaged one reads as a fresh start (the importers are idempotent).
    public var json: String { (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
    public init(json: String?) {
        self = json.flatMap { try? JSONDecoder().decode(Self.self, from: Data($0.utf8)) } ?? Self()
    }

    /// Messages kept apart per session: the ones whose blocks may still come on the next records.
    static let recentMessages = 32
    /// Old sidechain uuids are forgotten past this (a record names its parent, a recent one).
    static let maxGroups = 4096
}

/// The state of one Claude session's `ClaudeContent` between passes.
struct ClaudeSessionResume: Codable, Sendable, Equatable {
    var ordinals: [String: Int] = [:]
    var ordinalOrder: [String] = []
    var tally = UsageTally()

    /// Only the last messages: older ones have all their blocks written.
    mutating func compact(prices: PriceTable) {
        tally.compact(keep: ImportResume.recentMessages, prices: prices)
        if ordinalOrder.count > ImportResume.recentMessages {
            for k in ordinalOrder.prefix(ordinalOrder.count - ImportResume.recentMessages) { ordinals[k] = nil }
            ordinalOrder.removeFirst(ordinalOrder.count - ImportResume.recentMessages)
        }
    }
}
