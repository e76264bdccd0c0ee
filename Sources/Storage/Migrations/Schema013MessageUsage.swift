extension Schema {
    /// Cost reports by day, week, month and 5-hour block (issue 13, `agentmon cost`) add up API calls at their own
    /// times, as ccusage does, not whole sessions at their start. A message already has its tokens, cache reads and
    /// writes and model; this adds the 1-hour tier of its cache writes (priced at twice the input price, not at the
    /// 5-minute write price) and the cost its transcript recorded (Claude Code's `costUSD`, null when none: the
    /// report then prices the tokens). The partial index serves the reports' scan of the messages that carry usage.
    /// Prices as ccusage's (LiteLLM's): a call's tokens beyond 200,000 of a kind at a higher price where the model
    /// has one (Sonnet 4 and 4.5, matched by the `claude-sonnet-4` prefix: $6 / $22.50 / $7.50 / $0.60 per Mtok, as
    /// ccusage's built-in table), and Opus 4.5 and later at their own price ($5 / $25), which the `claude-opus-4`
    /// prefix ($15 / $75) would otherwise give them; rows already there (edited by hand) are left as they are.
    static let messageUsage = Migration(
        id: "013", description: "per-message cache-write tier and recorded cost for cost reports, 200k price tiers",
        up: """
        ALTER TABLE messages ADD COLUMN cache_write_1h_tokens {BIGINT} NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN cost_usd {REAL};
        CREATE INDEX idx_messages_usage ON messages (created_at) WHERE input_tokens > 0 OR output_tokens > 0;
        ALTER TABLE model_prices ADD COLUMN input_above_200k_per_mtok {REAL};
        ALTER TABLE model_prices ADD COLUMN output_above_200k_per_mtok {REAL};
        ALTER TABLE model_prices ADD COLUMN cache_write_above_200k_per_mtok {REAL};
        ALTER TABLE model_prices ADD COLUMN cache_read_above_200k_per_mtok {REAL};
        UPDATE model_prices SET input_above_200k_per_mtok = 6, output_above_200k_per_mtok = 22.5, cache_write_above_200k_per_mtok = 7.5,
            cache_read_above_200k_per_mtok = 0.6 WHERE model = 'claude-sonnet-4' AND input_per_mtok = 3 AND output_per_mtok = 15;
        INSERT INTO model_prices (model, input_per_mtok, output_per_mtok, cache_write_per_mtok, cache_read_per_mtok) VALUES
            ('claude-opus-4-5', 5, 25, 6.25, 0.5), ('claude-opus-4-6', 5, 25, 6.25, 0.5), ('claude-opus-4-7', 5, 25, 6.25, 0.5)
            ON CONFLICT (model) DO NOTHING;
        """,
        down: """
        DELETE FROM model_prices WHERE model IN ('claude-opus-4-5', 'claude-opus-4-6', 'claude-opus-4-7');
        ALTER TABLE model_prices DROP COLUMN cache_read_above_200k_per_mtok;
        ALTER TABLE model_prices DROP COLUMN cache_write_above_200k_per_mtok;
        ALTER TABLE model_prices DROP COLUMN output_above_200k_per_mtok;
        ALTER TABLE model_prices DROP COLUMN input_above_200k_per_mtok;
        DROP INDEX idx_messages_usage;
        ALTER TABLE messages DROP COLUMN cost_usd;
        ALTER TABLE messages DROP COLUMN cache_write_1h_tokens;
        """)
}
