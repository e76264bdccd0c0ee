extension Schema {
    /// Tool text indexed once (issue 12: imports near parsing speed). An importer writes each tool call twice:
    /// as the call (input, output) and as its transcript messages, an `action` ("name input") and an
    /// `observation` (the output); only `TranscriptWriter` writes those two kinds, and always with their call.
    /// Migration 011 indexed both, so every tool output was tokenized twice (a third of an import's index work)
    /// and a word in one came back as two hits, the message and the call. Now only the call is indexed: its hit
    /// already leads to the message that shows it (`SearchRepository`), and the index holds no doubles.
    ///
    /// SQLite: the message triggers skip the two kinds (FTS5 external content: a `delete` must hand back what was
    /// indexed, so the delete and update triggers test the old row's kind the same way), and the entries already
    /// made for them are deleted. PostgreSQL keeps its generated column (changing its expression rewrites the
    /// table); the search leaves the two kinds out instead, so both backends find the same hits.
    static let searchOnce = Migration(
        id: "018", description: "tool text indexed once: action and observation messages leave the message search index",
        up: "", down: "",
        extraUp: [.sqlite: """
        DROP TRIGGER messages_fts_insert;
        DROP TRIGGER messages_fts_delete;
        DROP TRIGGER messages_fts_update;
        INSERT INTO messages_fts (messages_fts, rowid, content)
            SELECT 'delete', id, content FROM messages WHERE kind IN \(toolTextKinds);
        \(messageSearchTriggers018)
        """],
        extraDown: [.sqlite: """
        DROP TRIGGER messages_fts_update_new;
        DROP TRIGGER messages_fts_update_old;
        DROP TRIGGER messages_fts_delete;
        DROP TRIGGER messages_fts_insert;
        INSERT INTO messages_fts (rowid, content)
            SELECT id, content FROM messages WHERE kind IN \(toolTextKinds);
        \(messageSearchTriggers011)
        """])

    /// 018's triggers keeping `messages_fts` (tool text left out); 019 rolls back to them.
    static let messageSearchTriggers018 = """
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN \(searched("NEW.")) BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN \(searched("OLD.")) BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
        END;
        CREATE TRIGGER messages_fts_update_old AFTER UPDATE OF content, kind ON messages WHEN \(searched("OLD.")) BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
        END;
        CREATE TRIGGER messages_fts_update_new AFTER UPDATE OF content, kind ON messages WHEN \(searched("NEW.")) BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
        END;
        """

    /// The message kinds whose text is a tool call's, searched through the call.
    static let toolTextKinds = "('action', 'observation')"

    /// Whether a message row (`prefix`: `NEW.` or `OLD.`) is in the message search index.
    static func searched(_ prefix: String) -> String { "\(prefix)kind NOT IN \(toolTextKinds)" }
}
