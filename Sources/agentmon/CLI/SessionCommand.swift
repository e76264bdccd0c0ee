import Foundation
import ArgumentParser
import Core
import Storage

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "List agent sessions, show a transcript, rename, close and delete sessions.",
        subcommands: [List.self, Show.self, Rename.self, Close.self, Delete.self])

    static func json(_ s: Session, agent: String?) -> [String: JSONValue] {
        [
            "id": JSONOutput.id(s.id), "title": JSONOutput.text(s.title), "status": .string(s.status.rawValue),
            "agent": JSONOutput.text(agent), "external_session_id": JSONOutput.text(s.externalSessionId),
            "task_id": JSONOutput.id(s.taskId), "execution_id": JSONOutput.id(s.executionId), "user_goal": JSONOutput.text(s.userGoal),
            "input_tokens": JSONOutput.int(s.inputTokens), "output_tokens": JSONOutput.int(s.outputTokens),
            "cache_read_tokens": JSONOutput.int(s.cacheReadTokens), "cache_write_tokens": JSONOutput.int(s.cacheWriteTokens),
            "cost_usd": .number(s.costUsd), "created_at": JSONOutput.time(s.createdAt), "updated_at": JSONOutput.time(s.updatedAt),
        ]
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every session, newest first.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let store = try global.openStore()
            defer { store.close() }
            let agents = Dictionary(uniqueKeysWithValues: try store.agents.list().map { ($0.id, $0.slug) })
            let sessions = try store.sessions.list(limit: 10_000)
            if json {
                JSONOutput.print(.array(try sessions.map { s in
                    var o = SessionCommand.json(s, agent: agents[s.agentId])
                    o["message_count"] = JSONOutput.int(try store.messages.count(sessionId: s.id))
                    return .object(o)
                }))
                return
            }
            TextTable.print(header: ["ID", "STATUS", "AGENT", "TASK", "MESSAGES", "TOKENS", "COST", "TITLE"], rows: try sessions.map { s in
                [String(s.id), s.status.rawValue, agents[s.agentId] ?? "?", s.taskId.map { "#\($0)" } ?? "-",
                 String(try store.messages.count(sessionId: s.id)), String(s.inputTokens + s.outputTokens),
                 String(format: "$%.4f", s.costUsd), s.title ?? s.userGoal ?? ""]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "A session with its messages in order and its tool calls.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Session id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let sid = try TaskCommand.id(id, "session")
            let store = try global.openStore()
            defer { store.close() }
            let s = try store.sessions.get(sid)
            let agent = try store.agents.get(s.agentId).slug
            let messages = try store.messages.all(sessionId: sid)
            let calls = try store.toolCalls.query(sessionId: sid, limit: 100_000)
            if json { JSONOutput.print(Self.json(s, agent: agent, messages: messages, calls: calls)); return }
            for line in Self.lines(s, agent: agent, messages: messages) { Console.line(line) }
        }

        /// The human transcript, before Console sanitises it (the fuzz tests render imported sessions here).
        static func lines(_ s: Session, agent: String, messages: [Message]) -> [String] {
            ["session #\(s.id) \(Printable.cell(s.title ?? "")) — \(agent), \(s.status.rawValue), \(s.inputTokens) in / \(s.outputTokens) out, $\(String(format: "%.4f", s.costUsd))"]
                + messages.map { m in "[\(m.role.rawValue)/\(m.kind.rawValue)] \(m.content)" }
        }

        static func json(_ s: Session, agent: String, messages: [Message], calls: [ToolCall]) -> JSONValue {
            var o = SessionCommand.json(s, agent: agent)
            o["messages"] = .array(messages.map { m in
                .object(["id": JSONOutput.id(m.id), "parent_id": JSONOutput.id(m.parentId), "role": .string(m.role.rawValue),
                         "kind": .string(m.kind.rawValue), "content": .string(m.content), "created_at": JSONOutput.time(m.createdAt)])
            })
            o["tool_calls"] = .array(calls.map { c in
                .object(["id": JSONOutput.id(c.id), "tool_name": .string(c.toolName), "input": .string(c.input),
                         "output": JSONOutput.text(c.output), "status": .string(c.status.rawValue),
                         "message_id": JSONOutput.id(c.messageId), "duration_ms": c.durationMs.map { JSONOutput.int($0) } ?? .null])
            })
            return .object(o)
        }
    }
}
