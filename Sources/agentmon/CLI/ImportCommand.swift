import Foundation
import ArgumentParser
import Core
import Storage
import Importers

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import agent transcripts (Claude Code, Codex, Gemini CLI, OpenCode) as sessions.",
        discussion: "PATH may be a file or a folder (read recursively: *.jsonl, *.json, *.log). Importing the same data again changes nothing.",
        subcommands: [Claude.self, Codex.self, Gemini.self, OpenCode.self])

    static func run(_ source: ImportSource, paths: [String], global: GlobalOptions, json: Bool) throws {
        guard !paths.isEmpty else { throw CLIError("give at least one file or folder to import") }
        let store = try global.openStore()
        defer { store.close() }
        let s: ImportSummary
        do { s = try Importer(store: store).run(source, paths: paths) }
        catch let e as ImportError { throw CLIError(e.description) }
        if json {
            JSONOutput.print(.object(["files": .number(Double(s.files)), "sessions": .number(Double(s.sessions)),
                                      "messages": .number(Double(s.messages)), "toolCalls": .number(Double(s.toolCalls)),
                                      "skippedLines": .number(Double(s.skippedLines))]))
        } else { Console.line(s.line) }
    }

    struct Claude: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "claude",
            abstract: "Import Claude Code transcripts: `claude -p --output-format stream-json` output or ~/.claude/projects session files.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Files or folders.") var paths: [String] = []
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try ImportCommand.run(.claude, paths: paths, global: global, json: json) }
    }

    struct Codex: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "codex",
            abstract: "Import Codex transcripts: `codex exec --json` output or ~/.codex/sessions rollout files.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Files or folders.") var paths: [String] = []
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try ImportCommand.run(.codex, paths: paths, global: global, json: json) }
    }

    struct Gemini: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gemini",
            abstract: "Import Gemini CLI chats: ~/.gemini/tmp/<project>/chats/session-*.json and *.jsonl files.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Files or folders.") var paths: [String] = []
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try ImportCommand.run(.gemini, paths: paths, global: global, json: json) }
    }

    struct OpenCode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "opencode",
            abstract: "Import OpenCode sessions: ~/.local/share/opencode, its storage/ folder (session/, message/, part/) or opencode.db.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Storage folders, opencode.db files, or the folders that hold them.") var paths: [String] = []
        @Flag(help: "Print JSON.") var json = false
        func run() throws { try ImportCommand.run(.opencode, paths: paths, global: global, json: json) }
    }
}
