extension Schema {
    /// The board's column counts without counting (issue 12): with a million tasks, `count(*) … GROUP BY status`
    /// walks a million index entries (35 ms) before every board load, the first frame included. On SQLite a
    /// five-row table is kept by triggers on every insert, delete and change of status, whatever path made it
    /// (the CLI, the worker, an import), and `TaskRepository.counts()` reads it. PostgreSQL keeps counting: a
    /// counter row per column would be a hot row every concurrent writer of that column waits on.
    static let columnCounts = Migration(
        id: "010", description: "task counts per column kept by triggers (SQLite)",
        up: "", down: "",
        extraUp: [.sqlite: """
        CREATE TABLE task_column_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL);
        INSERT INTO task_column_counts (status, n)
            SELECT s.status, (SELECT count(*) FROM tasks t WHERE t.status = s.status)
            FROM (SELECT 'todo' AS status UNION ALL SELECT 'in_progress' UNION ALL SELECT 'blocked'
                  UNION ALL SELECT 'done' UNION ALL SELECT 'cancelled') s;
        CREATE TRIGGER task_column_counts_insert AFTER INSERT ON tasks BEGIN
            UPDATE task_column_counts SET n = n + 1 WHERE status = NEW.status;
        END;
        CREATE TRIGGER task_column_counts_delete AFTER DELETE ON tasks BEGIN
            UPDATE task_column_counts SET n = n - 1 WHERE status = OLD.status;
        END;
        CREATE TRIGGER task_column_counts_move AFTER UPDATE OF status ON tasks WHEN OLD.status <> NEW.status BEGIN
            UPDATE task_column_counts SET n = n - 1 WHERE status = OLD.status;
            UPDATE task_column_counts SET n = n + 1 WHERE status = NEW.status;
        END;
        """],
        extraDown: [.sqlite: """
        DROP TRIGGER task_column_counts_move;
        DROP TRIGGER task_column_counts_delete;
        DROP TRIGGER task_column_counts_insert;
        DROP TABLE task_column_counts;
        """])
}
