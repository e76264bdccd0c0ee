extension Schema {
    /// What `agentmon sync` has read of each agent's transcript file (issue 13): per machine and path, the size,
    /// modification time and inode it had, how many bytes of it were imported (appended JSONL: the next pass
    /// reads from there) and what the importer must remember to go on (`state`, JSON). Keyed by host too: on a
    /// shared PostgreSQL board every machine syncs its own home folder.
    static let syncFiles = Migration(
        id: "012", description: "per-file progress of agentmon sync",
        up: """
        CREATE TABLE sync_files (
            host TEXT NOT NULL,
            path TEXT NOT NULL,
            source TEXT NOT NULL,
            size {BIGINT} NOT NULL DEFAULT 0,
            mtime_ns {BIGINT} NOT NULL DEFAULT 0,
            inode {BIGINT} NOT NULL DEFAULT 0,
            bytes_read {BIGINT} NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT '{}',
            last_synced_at {TS} NOT NULL DEFAULT {NOW},
            PRIMARY KEY (host, path)
        );
        """,
        down: "DROP TABLE sync_files;")
}
