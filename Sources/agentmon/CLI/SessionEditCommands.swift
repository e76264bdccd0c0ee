import Foundation
import ArgumentParser
import Core
import Storage

extension SessionCommand {
    static func printSession(_ store: Store, _ id: ID) throws {
        let s = try store.sessions.get(id)
        var o = SessionCommand.json(s, agent: try store.agents.get(s.agentId).slug)
        o["message_count"] = JSONOutput.int(try store.messages.count(sessionId: id))
        JSONOutput.print(.object(o))
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rename", abstract: "Set a session's title (\"\" clears it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id.") var id: String
        @Argument(help: "The new title.") var title: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let sid = try TaskCommand.id(id, "session")
            let store = try global.openStore()
            defer { store.close() }
            _ = try store.sessions.get(sid)
            try store.sessions.setTitle(sid, title.isEmpty ? nil : title)
            if json { try SessionCommand.printSession(store, sid) } else { Console.line("renamed session \(sid)") }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Mark a session completed (it leaves the active list).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let sid = try TaskCommand.id(id, "session")
            let store = try global.openStore()
            defer { store.close() }
            _ = try store.sessions.get(sid)
            try store.sessions.close(sid)
            if json { try SessionCommand.printSession(store, sid) } else { Console.line("closed session \(sid)") }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a session.",
            discussion: "A session with messages, tool calls or sub-agent sessions is deleted only with --force, which deletes them too.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id.") var id: String
        @Flag(help: "Delete it with its transcript.") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let sid = try TaskCommand.id(id, "session")
            let store = try global.openStore()
            defer { store.close() }
            _ = try store.sessions.get(sid)
            let d = try store.sessions.removalCounts(of: sid)
            if !force, d.messages + d.toolCalls + d.subSessions > 0 {
                let has = [d.messages > 0 ? Count.of(d.messages, "message") : nil, d.toolCalls > 0 ? Count.of(d.toolCalls, "tool call") : nil,
                           d.subSessions > 0 ? Count.of(d.subSessions, "sub-agent session") : nil].compactMap { $0 }
                throw CLIError("session \(sid) has \(Count.list(has)); --force deletes them too")
            }
            try store.sessions.delete(sid)
            if json {
                JSONOutput.print(.object(["id": JSONOutput.id(sid), "deleted": .bool(true), "messages": JSONOutput.int(d.messages),
                                          "tool_calls": JSONOutput.int(d.toolCalls), "sub_sessions": JSONOutput.int(d.subSessions)]))
            } else {
                Console.line("deleted session \(sid)")
            }
        }
    }
}

struct MessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "message", abstract: "Delete a message from a transcript.",
                                                    subcommands: [Delete.self])

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete one message; replies and tool calls that pointed at it stay, without that link.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message id (as in session show --json).") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let mid = try TaskCommand.id(id, "message")
            let store = try global.openStore()
            defer { store.close() }
            let m = try store.messages.get(mid)
            try store.messages.delete(mid)
            if json {
                JSONOutput.print(.object(["id": JSONOutput.id(mid), "session_id": JSONOutput.id(m.sessionId), "deleted": .bool(true)]))
            } else {
                Console.line("deleted message \(mid) of session \(m.sessionId)")
            }
        }
    }
}

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "settings", abstract: "Read and write key/value settings.",
                                                    subcommands: [Get.self, Set.self, List.self])

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a setting's value (JSON).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Key.") var key: String
        @Flag(help: "Print JSON ({\"key\": …, \"value\": …}).") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            guard let v = try store.settings.get(key) else { throw CLIError("no setting '\(Printable.cell(key))'") }
            if json { JSONOutput.print(.object(["key": .string(key), "value": v])) } else { Console.line(v.jsonString) }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set a setting. The value is read as JSON (3, true, [\"a\"], {\"k\":1}); anything else is stored as a string.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Key.") var key: String
        @Argument(help: "Value.") var value: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            if key.isEmpty { throw CLIError("a setting's key must not be empty") }
            let v = JSONValue.parse(value) ?? .string(value)
            let store = try global.openStore()
            defer { store.close() }
            try store.settings.set(key, v)
            if json { JSONOutput.print(.object(["key": .string(key), "value": v])) } else { Console.line("\(key) = \(v.jsonString)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every setting, by key.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON (an object of key → value).") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let all = try store.settings.all()
            if json { JSONOutput.print(.object(all)); return }
            TextTable.print(header: ["KEY", "VALUE"], rows: all.keys.sorted().map { [$0, all[$0]!.jsonString] })
        }
    }
}
