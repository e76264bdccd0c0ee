import Foundation
import Core

/// Token usage counted once per message id, even when a transcript repeats it on every content block
/// (the largest figure of each field wins), with recorded costs kept apart from computed ones.
struct UsageTally {
    private var perMessage: [String: Usage] = [:]
    private var order: [String] = []
    private var recordedCost: [String: Double] = [:]

    mutating func add(messageId: String, _ u: Usage) {
        if let old = perMessage[messageId] {
            perMessage[messageId] = Usage(input: max(old.inputTokens, u.inputTokens), output: max(old.outputTokens, u.outputTokens),
                                          cacheRead: max(old.cacheReadTokens, u.cacheReadTokens),
                                          cacheWrite: max(old.cacheWriteTokens, u.cacheWriteTokens))
        } else { perMessage[messageId] = u; order.append(messageId) }
    }

    mutating func addCost(messageId: String, _ cost: Double) { recordedCost[messageId] = max(recordedCost[messageId] ?? 0, cost) }

    func usage(of messageId: String) -> Usage? { perMessage[messageId] }
    var total: Usage { order.reduce(Usage()) { $0 + (perMessage[$1] ?? Usage()) } }
    var recordedTotalCost: Double? { recordedCost.isEmpty ? nil : recordedCost.values.reduce(0, +) }

    /// Anthropic-style `usage` object.
    static func anthropic(_ u: JSONValue?) -> Usage? {
        guard let u, case .object = u else { return nil }
        return Usage(input: u.int("input_tokens"), output: u.int("output_tokens"),
                     cacheRead: u.int("cache_read_input_tokens"), cacheWrite: u.int("cache_creation_input_tokens"))
    }

    /// OpenAI/Codex-style usage: `input_tokens` includes the cached part.
    static func codex(_ u: JSONValue?) -> Usage? {
        guard let u, case .object = u else { return nil }
        let cached = u.int("cached_input_tokens")
        return Usage(input: max(0, u.int("input_tokens") - cached), output: u.int("output_tokens"), cacheRead: cached)
    }
}
