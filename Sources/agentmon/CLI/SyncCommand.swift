import Foundation
import ArgumentParser
import Core
import Storage
import Sync

/// `agentmon sync`: imports what is new in the agents' own session folders (the dashboard does the same in the
/// background while it runs).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Import new and changed sessions from the agents' own folders (Claude Code, Codex, Gemini CLI, OpenCode).",
        discussion: """
            Reads ~/.claude/projects (and <dir>/projects for each dir of the comma-separated CLAUDE_CONFIG_DIR), \
            $CODEX_HOME/sessions (default ~/.codex/sessions), ~/.gemini/tmp/*/chats and OpenCode's data folder \
            ($XDG_DATA_HOME/opencode: storage/ and opencode.db). Only what changed since the last sync is read: \
            appended lines of a session file, or a whole file that changed. A file that cannot be read is named \
            and skipped; the exit status is 0 unless the database fails.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON: sources.<claude|codex|gemini|opencode> and total with files_scanned, files_read, sessions_new, sessions_updated, messages_added, skipped_lines; skipped: [{source, path, reason}].")
    var json = false

    func run() throws {
        let store = try global.openStore()
        defer { store.close() }
        let report = try Syncer(store: store, locations: .from()).pass()
        if json { JSONOutput.print(report.json); return }
        for line in report.lines { Console.line(line) }
    }
}
