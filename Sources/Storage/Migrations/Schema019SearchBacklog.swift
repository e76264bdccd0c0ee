extension Schema {
    /// The search index is built behind imports (issue 12: imports near parsing speed). Tokenizing and indexing
    /// a transcript's text was two thirds of SQLite's own work in an import (the same rows by `INSERT … SELECT`
    /// with and without the FTS5 triggers: 1.2–1.4 s against 0.7–0.8 s for 28 MB), and the import's writing
    /// thread was its bottleneck. A whole-file import or sync pass (`TranscriptBatch`) now records, per session
    /// and table, the first row id it wrote without indexing; the rest of the index is made later by
    /// `SearchBacklog.catchUp`, which a search runs first (so results are always complete) and the dashboard's
    /// sync thread runs after each pass.
    ///
    /// SQLite only: `search_backlog (table_name, session_id, from_id)` says the rows of that table and session
    /// with `id >= from_id` are not in the index. Every trigger that would touch the index skips such a row: an
    /// insert is left for the catch-up, and a delete or update must not hand FTS5 (external content) a row it
    /// never indexed, which corrupts the index. Ids only grow (AUTOINCREMENT), so an entry covers every later
    /// row of its session, whoever writes it. PostgreSQL's generated columns stay as they are.
    static let searchBacklog = Migration(
        id: "019", description: "the search index is built behind imports: rows waiting for it are recorded per session",
        up: "", down: "",
        extraUp: [.sqlite: """
        CREATE TABLE search_backlog (
            table_name TEXT NOT NULL CHECK (table_name IN ('messages', 'tool_calls')),
            session_id INTEGER NOT NULL,
            from_id INTEGER NOT NULL,
            PRIMARY KEY (table_name, session_id)
        ) WITHOUT ROWID;
        DROP TRIGGER messages_fts_insert;
        DROP TRIGGER messages_fts_delete;
        DROP TRIGGER messages_fts_update_old;
        DROP TRIGGER messages_fts_update_new;
        DROP TRIGGER tool_calls_fts_insert;
        DROP TRIGGER tool_calls_fts_delete;
        DROP TRIGGER tool_calls_fts_update;
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
        WHEN \(searched("NEW.")) AND \(indexed("messages", "NEW.")) BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        WHEN \(searched("OLD.")) AND \(indexed("messages", "OLD.")) BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
        END;
        CREATE TRIGGER messages_fts_update_old AFTER UPDATE OF content, kind ON messages
        WHEN \(searched("OLD.")) AND \(indexed("messages", "OLD.")) BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
        END;
        CREATE TRIGGER messages_fts_update_new AFTER UPDATE OF content, kind ON messages
        WHEN \(searched("NEW.")) AND \(indexed("messages", "NEW.")) BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
        END;
        CREATE TRIGGER tool_calls_fts_insert AFTER INSERT ON tool_calls WHEN \(indexed("tool_calls", "NEW.")) BEGIN
            INSERT INTO tool_calls_fts (rowid, input, output) VALUES (NEW.id, NEW.input, NEW.output);
        END;
        CREATE TRIGGER tool_calls_fts_delete AFTER DELETE ON tool_calls WHEN \(indexed("tool_calls", "OLD.")) BEGIN
            INSERT INTO tool_calls_fts (tool_calls_fts, rowid, input, output) VALUES ('delete', OLD.id, OLD.input, OLD.output);
        END;
        CREATE TRIGGER tool_calls_fts_update AFTER UPDATE OF input, output ON tool_calls WHEN \(indexed("tool_calls", "OLD.")) BEGIN
            INSERT INTO tool_calls_fts (tool_calls_fts, rowid, input, output) VALUES ('delete', OLD.id, OLD.input, OLD.output);
            INSERT INTO tool_calls_fts (rowid, input, output) VALUES (NEW.id, NEW.input, NEW.output);
        END;
        """],
        extraDown: [.sqlite: """
        \(SearchBacklogSQL.indexAllWaiting)
        DROP TRIGGER tool_calls_fts_update;
        DROP TRIGGER tool_calls_fts_delete;
        DROP TRIGGER tool_calls_fts_insert;
        DROP TRIGGER messages_fts_update_new;
        DROP TRIGGER messages_fts_update_old;
        DROP TRIGGER messages_fts_delete;
        DROP TRIGGER messages_fts_insert;
        DROP TABLE search_backlog;
        \(messageSearchTriggers018)
        \(toolCallSearchTriggers011)
        """])

    /// Whether a row (`prefix`: `NEW.` or `OLD.`) of `table` is in its search index, as far as the backlog says
    /// (the message kinds are `searched`'s).
    static func indexed(_ table: String, _ prefix: String) -> String {
        "NOT EXISTS (SELECT 1 FROM search_backlog WHERE table_name = '\(table)' AND session_id = \(prefix)session_id AND from_id <= \(prefix)id)"
    }
}

/// Statements of the search backlog shared by the migration's rollback and `SearchBacklog`.
enum SearchBacklogSQL {
    /// Indexes every waiting row of both tables (the backlog itself is left as it is).
    static let indexAllWaiting = """
        INSERT INTO messages_fts (rowid, content)
            SELECT m.id, m.content FROM search_backlog b JOIN messages m ON m.session_id = b.session_id AND m.id >= b.from_id
            WHERE b.table_name = 'messages' AND m.kind NOT IN \(Schema.toolTextKinds);
        INSERT INTO tool_calls_fts (rowid, input, output)
            SELECT t.id, t.input, t.output FROM search_backlog b JOIN tool_calls t ON t.session_id = b.session_id AND t.id >= b.from_id
            WHERE b.table_name = 'tool_calls';
        """
}
