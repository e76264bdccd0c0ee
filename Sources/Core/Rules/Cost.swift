/// Token usage and its price. Prices are USD per million tokens.
public struct Usage: Sendable, Equatable, Codable {
    public var inputTokens: Int64 = 0
    public var outputTokens: Int64 = 0
    public var cacheReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    /// The part of `cacheWriteTokens` written to the 1-hour cache (Anthropic's `ephemeral_1h_input_tokens`).
    public var cacheWrite1hTokens: Int64 = 0
    public init(input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheWrite: Int64 = 0, cacheWrite1h: Int64 = 0) {
        inputTokens = input; outputTokens = output; cacheReadTokens = cacheRead; cacheWriteTokens = cacheWrite
        cacheWrite1hTokens = min(cacheWrite1h, cacheWrite)
    }
    public static func + (a: Usage, b: Usage) -> Usage {
        Usage(input: a.inputTokens + b.inputTokens, output: a.outputTokens + b.outputTokens,
              cacheRead: a.cacheReadTokens + b.cacheReadTokens, cacheWrite: a.cacheWriteTokens + b.cacheWriteTokens,
              cacheWrite1h: a.cacheWrite1hTokens + b.cacheWrite1hTokens)
    }
    public var totalTokens: Int64 { inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens }
}

public struct ModelPrice: Sendable, Equatable, Codable {
    public var input: Double
    public var output: Double
    public var cacheWrite: Double
    public var cacheRead: Double
    /// Prices of a call's tokens beyond 200,000 of a kind (LiteLLM's `*_above_200k_tokens`, e.g. Sonnet 4's long
    /// context); nil: the base price throughout.
    public var inputAbove200k: Double?
    public var outputAbove200k: Double?
    public var cacheWriteAbove200k: Double?
    public var cacheReadAbove200k: Double?
    public init(input: Double, output: Double, cacheWrite: Double, cacheRead: Double, inputAbove200k: Double? = nil,
                outputAbove200k: Double? = nil, cacheWriteAbove200k: Double? = nil, cacheReadAbove200k: Double? = nil) {
        self.input = input; self.output = output; self.cacheWrite = cacheWrite; self.cacheRead = cacheRead
        self.inputAbove200k = inputAbove200k; self.outputAbove200k = outputAbove200k
        self.cacheWriteAbove200k = cacheWriteAbove200k; self.cacheReadAbove200k = cacheReadAbove200k
    }

    /// Tokens added over many calls (a run's totals), at the base prices: the 200k tiers apply to one call.
    /// 1-hour cache writes cost twice the input price (Anthropic's price list; ccusage's `calculate_cost` does the
    /// same), the rest of the writes the table's 5-minute write price.
    public func cost(of u: Usage) -> Double {
        let oneHour = min(u.cacheWrite1hTokens, u.cacheWriteTokens)
        return (Double(u.inputTokens) * input + Double(u.outputTokens) * output
            + Double(u.cacheWriteTokens - oneHour) * cacheWrite + Double(oneHour) * input * 2
            + Double(u.cacheReadTokens) * cacheRead) / 1_000_000
    }

    /// One API call, as ccusage's `calculate_cost_from_tokens`: each kind of token beyond 200,000 at its tier's price.
    public func callCost(of u: Usage) -> Double {
        let oneHour = min(u.cacheWrite1hTokens, u.cacheWriteTokens)
        return (Self.tiered(u.inputTokens, input, inputAbove200k) + Self.tiered(u.outputTokens, output, outputAbove200k)
            + Self.tiered(u.cacheWriteTokens - oneHour, cacheWrite, cacheWriteAbove200k)
            + Self.tiered(oneHour, input * 2, inputAbove200k.map { $0 * 2 })
            + Self.tiered(u.cacheReadTokens, cacheRead, cacheReadAbove200k)) / 1_000_000
    }

    static func tiered(_ tokens: Int64, _ base: Double, _ above: Double?) -> Double {
        guard let above, tokens > 200_000 else { return Double(tokens) * base }
        return 200_000 * base + Double(tokens - 200_000) * above
    }
}

/// A per-model price table; lookups match the longest known prefix of the model name
/// (`claude-sonnet-4-5-20250929` uses `claude-sonnet-4`).
public struct PriceTable: Sendable, Equatable {
    public let prices: [String: ModelPrice]
    /// The names lowercased, longest first: an import prices every call of a session (tens of thousands), and
    /// lowercasing and filtering the whole table for each was a tenth of importing a Claude Code session file.
    private let longestFirst: [(name: [UInt8], price: ModelPrice)]

    public init(prices: [String: ModelPrice]) {
        self.prices = prices
        longestFirst = prices.map { (Array($0.key.lowercased().utf8), $0.value) }
            .sorted { $0.name.count != $1.name.count ? $0.name.count > $1.name.count : $0.name.lexicographicallyPrecedes($1.name) }
    }

    public static func == (a: PriceTable, b: PriceTable) -> Bool { a.prices == b.prices }

    /// The price of the longest name `model` starts with, ignoring case.
    public func price(for model: String) -> ModelPrice? {
        var m = Array(model.utf8)
        if m.contains(where: { $0 >= 0x80 }) { m = Array(model.lowercased().utf8) }  // beyond ASCII: Unicode's case
        else { for i in m.indices where m[i] >= 0x41 && m[i] <= 0x5A { m[i] += 0x20 } }
        return longestFirst.first { m.starts(with: $0.name) }?.price
    }

    public func cost(model: String?, usage: Usage) -> Double {
        guard let model, let p = price(for: model) else { return 0 }
        return p.cost(of: usage)
    }

    /// One call's cost, with the 200k tiers.
    public func callCost(model: String?, usage: Usage) -> Double {
        guard let model, let p = price(for: model) else { return 0 }
        return p.callCost(of: usage)
    }
}
