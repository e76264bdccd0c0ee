extension Schema {
    /// Full-text search over messages and tool calls' inputs and outputs (issue 13): `agentmon search` and `S` in
    /// the dashboard. On SQLite, FTS5 tables over the rows' own text (external content: the words are indexed,
    /// the text is not stored twice) kept by triggers, so every path that writes a row (the CLI, the worker,
    /// `TranscriptBatch`'s multi-row inserts, a cascade from a deleted session) changes the index in its own
    /// transaction; the `rebuild` indexes the rows already there. On PostgreSQL, a stored generated column
    /// `search_words` (`to_tsvector('simple', …)` over the first 100,000 characters of a text: a tsvector holds at
    /// most 1 MB) with a GIN index, which PostgreSQL keeps with every write. A column, not an expression index:
    /// the planner may walk the newest ids and test each row, which costs a microsecond on a stored tsvector and
    /// 30 on the expression (62 ms for a word in a third of a million rows).
    static let search = Migration(
        id: "011", description: "full-text search over messages and tool call inputs and outputs",
        up: "", down: "",
        extraUp: [.sqlite: """
        CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id');
        INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
        \(messageSearchTriggers011)
        CREATE VIRTUAL TABLE tool_calls_fts USING fts5(input, output, content='tool_calls', content_rowid='id');
        INSERT INTO tool_calls_fts(tool_calls_fts) VALUES ('rebuild');
        \(toolCallSearchTriggers011)
        """, .postgres: """
        ALTER TABLE messages ADD COLUMN search_words tsvector GENERATED ALWAYS AS (\(SearchSQL.messageVector)) STORED;
        CREATE INDEX idx_messages_search ON messages USING GIN (search_words);
        ALTER TABLE tool_calls ADD COLUMN search_words tsvector GENERATED ALWAYS AS (\(SearchSQL.toolCallVector)) STORED;
        CREATE INDEX idx_tool_calls_search ON tool_calls USING GIN (search_words);
        """],
        extraDown: [.sqlite: """
        DROP TRIGGER tool_calls_fts_update;
        DROP TRIGGER tool_calls_fts_delete;
        DROP TRIGGER tool_calls_fts_insert;
        DROP TABLE tool_calls_fts;
        DROP TRIGGER messages_fts_update;
        DROP TRIGGER messages_fts_delete;
        DROP TRIGGER messages_fts_insert;
        DROP TABLE messages_fts;
        """, .postgres: """
        DROP INDEX idx_tool_calls_search;
        ALTER TABLE tool_calls DROP COLUMN search_words;
        DROP INDEX idx_messages_search;
        ALTER TABLE messages DROP COLUMN search_words;
        """])
}

extension Schema {
    /// 011's triggers keeping `tool_calls_fts`; 019 rolls back to them.
    static let toolCallSearchTriggers011 = """
        CREATE TRIGGER tool_calls_fts_insert AFTER INSERT ON tool_calls BEGIN
            INSERT INTO tool_calls_fts (rowid, input, output) VALUES (NEW.id, NEW.input, NEW.output);
        END;
        CREATE TRIGGER tool_calls_fts_delete AFTER DELETE ON tool_calls BEGIN
            INSERT INTO tool_calls_fts (tool_calls_fts, rowid, input, output) VALUES ('delete', OLD.id, OLD.input, OLD.output);
        END;
        CREATE TRIGGER tool_calls_fts_update AFTER UPDATE OF input, output ON tool_calls BEGIN
            INSERT INTO tool_calls_fts (tool_calls_fts, rowid, input, output) VALUES ('delete', OLD.id, OLD.input, OLD.output);
            INSERT INTO tool_calls_fts (rowid, input, output) VALUES (NEW.id, NEW.input, NEW.output);
        END;
        """

    /// 011's triggers keeping `messages_fts` (every message indexed); 018 rolls back to them.
    static let messageSearchTriggers011 = """
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
            INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
        END;
        """
}

/// The PostgreSQL expressions of the `search_words` columns.
/// ASCII punctuation becomes spaces first, so words are cut as FTS5 and `SearchQuery` cut them (PostgreSQL's
/// parser would otherwise keep `notes.txt` or `a/b` as one lexeme, and `notes` would not find it).
enum SearchSQL {
    static func words(_ text: String) -> String { "regexp_replace(\(text), '[!-/:-@\\[-`{-~]+', ' ', 'g')" }
    static let messageVector = "to_tsvector('simple'::regconfig, \(words("left(content, 100000)")))"
    static let toolCallVector = "to_tsvector('simple'::regconfig, \(words("left(input, 100000) || ' ' || left(coalesce(output, ''), 100000)")))"
}
