import Foundation
import Core

/// Token usage counted once per message id, even when a transcript repeats it on every content block
/// (the largest figure of each field wins), with recorded costs kept apart from computed ones.
struct UsageTally: Codable, Equatable {
    private var perMessage: [String: Usage] = [:]
    private var order: [String] = []
    private var recordedCost: [String: Double] = [:]
    private var models: [String: String] = [:]
    /// Messages folded by `compact`: their sum, no longer kept per message.
    private var folded = Usage()
    private var foldedCost: Double?
    /// Their cost as `cost(prices:model:)` counts it (recorded, else priced per call when folded).
    private var foldedAuto: Double = 0

    mutating func add(messageId: String, _ u: Usage, model: String? = nil) {
        if let model, models[messageId] == nil { models[messageId] = model }
        if let old = perMessage[messageId] {
            perMessage[messageId] = Usage(input: max(old.inputTokens, u.inputTokens), output: max(old.outputTokens, u.outputTokens),
                                          cacheRead: max(old.cacheReadTokens, u.cacheReadTokens),
                                          cacheWrite: max(old.cacheWriteTokens, u.cacheWriteTokens),
                                          cacheWrite1h: max(old.cacheWrite1hTokens, u.cacheWrite1hTokens))
        } else { perMessage[messageId] = u; order.append(messageId) }
    }

    func recordedCost(of messageId: String) -> Double? { recordedCost[messageId] }

    /// ccusage's `auto` mode: per call, the recorded cost when there is one, else its tokens priced for its model.
    func cost(prices: PriceTable, model: String?) -> Double {
        order.reduce(foldedAuto) { sum, id in
            sum + (recordedCost[id] ?? prices.callCost(model: models[id] ?? model, usage: perMessage[id] ?? Usage()))
        }
    }

    mutating func addCost(messageId: String, _ cost: Double) {
        guard let c = Self.cost(.number(cost)) else { return }
        recordedCost[messageId] = max(recordedCost[messageId] ?? 0, c)
    }

    func usage(of messageId: String) -> Usage? { perMessage[messageId] }
    var total: Usage { order.reduce(folded) { $0 + (perMessage[$1] ?? Usage()) } }
    var recordedTotalCost: Double? {
        recordedCost.isEmpty && foldedCost == nil ? nil : recordedCost.values.reduce(foldedCost ?? 0, +)
    }

    /// Keeps only the last `keep` messages apart and folds the older ones into one sum: what an incremental
    /// import remembers between passes. A transcript repeats a message's usage only on its own consecutive
    /// records, so an old message does not come back.
    mutating func compact(keep: Int, prices: PriceTable) {
        guard order.count > keep else { return }
        for id in order.prefix(order.count - keep) {
            let u = perMessage.removeValue(forKey: id) ?? Usage()
            folded = folded + u
            let c = recordedCost.removeValue(forKey: id)
            if let c { foldedCost = (foldedCost ?? 0) + c }
            foldedAuto += c ?? prices.callCost(model: models[id], usage: u)
            models[id] = nil
        }
        order.removeFirst(order.count - keep)
    }

    /// Anthropic-style `usage` object. With a `cache_creation` breakdown the writes are its 5-minute and 1-hour
    /// parts (ccusage's `cache_creation_token_count`), else `cache_creation_input_tokens`, all 5-minute.
    static func anthropic(_ u: JSONValue?) -> Usage? {
        guard let u, case .object = u else { return nil }
        var write = tokens(u, "cache_creation_input_tokens"), oneHour: Int64 = 0
        if let b = u["cache_creation"], case .object = b {
            oneHour = tokens(b, "ephemeral_1h_input_tokens")
            write = tokens(b, "ephemeral_5m_input_tokens") + oneHour
        }
        return Usage(input: tokens(u, "input_tokens"), output: tokens(u, "output_tokens"),
                     cacheRead: tokens(u, "cache_read_input_tokens"), cacheWrite: write, cacheWrite1h: oneHour)
    }

    /// OpenAI/Codex-style usage: `input_tokens` includes the cached part.
    static func codex(_ u: JSONValue?) -> Usage? {
        guard let u, case .object = u else { return nil }
        let cached = tokens(u, "cached_input_tokens")
        return Usage(input: max(0, tokens(u, "input_tokens") - cached), output: tokens(u, "output_tokens"), cacheRead: cached)
    }

    /// A cost in dollars recorded by a transcript, kept to 0…1,000,000: an infinite or absurd figure (`1e999`
    /// in a damaged or hostile file) would otherwise be stored and printed as a number JSON cannot hold.
    static func cost(_ v: JSONValue?) -> Double? {
        guard let d = v?.doubleValue, d.isFinite else { return nil }
        return min(max(d, 0), 1_000_000)
    }

    /// A token count from a transcript, kept to 0…2^40: a negative or absurd number (a damaged or hostile
    /// file) would otherwise overflow the sums and trap.
    static func tokens(_ u: JSONValue, _ key: String) -> Int64 { min(max(u.int(key), 0), 1 << 40) }
}
