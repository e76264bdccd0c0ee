extension Schema {
    /// Cost reports by day, week, month and 5-hour block (issue 13, `agentmon cost`) add up API calls at their own
    /// times, as ccusage does, not whole sessions at their start. A message already has its tokens, cache reads and
    /// writes and model; this adds the 1-hour tier of its cache writes (priced at twice the input price, not at the
    /// 5-minute write price) and the cost its transcript recorded (Claude Code's `costUSD`, null when none: the
    /// report then prices the tokens). The partial index serves the reports' scan of the messages that carry usage.
    static let messageUsage = Migration(
        id: "013", description: "per-message cache-write tier and recorded cost for cost reports",
        up: """
        ALTER TABLE messages ADD COLUMN cache_write_1h_tokens {BIGINT} NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN cost_usd {REAL};
        CREATE INDEX idx_messages_usage ON messages (created_at) WHERE input_tokens > 0 OR output_tokens > 0;
        """,
        down: """
        DROP INDEX idx_messages_usage;
        ALTER TABLE messages DROP COLUMN cost_usd;
        ALTER TABLE messages DROP COLUMN cache_write_1h_tokens;
        """)
}
