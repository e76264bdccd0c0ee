import Foundation
import ArgumentParser
import Core
import Storage

/// `agentmon search`: every word of the query in messages and tool calls' inputs and outputs, newest first.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search messages and tool inputs and outputs of every session, newest first.",
        discussion: """
            Finds the places that hold every word of QUERY, in any case and order. Words are runs of letters and digits; \
            quotes, '*' and other signs only separate them. Open a hit with 'agentmon session show <session_id>'. \
            Transcripts imported or synced since the last search are indexed first.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The words to find.") var query: [String] = []
    @Option(parsing: .unconditional, help: "At most this many hits.", transform: { try NumberArgument.int($0, "--limit", 1...1000) })
    var limit: Int = 20
    @Flag(help: "Print JSON: session_id, session_title, agent, message_id, seq, kind, created_at, snippet.") var json = false

    func run() throws {
        let q: SearchQuery
        do { q = try SearchQuery(query.joined(separator: " ")) } catch let e as SearchQuery.Invalid { throw CLIError(e.description) }
        let store = try global.openStore()
        defer { store.close() }
        let hits = try store.search.search(q, limit: limit)
        if json { JSONOutput.print(.array(hits.map(Self.json))); return }
        TextTable.print(header: ["SESSION", "AGENT", "SEQ", "KIND", "WHEN", "SNIPPET"], rows: hits.map { h in
            ["#\(h.sessionId)", h.agent, h.seq.map(String.init) ?? "-", h.kind.rawValue, SQLTime.format(h.createdAt), h.snippet]
        })
    }

    static func json(_ h: SearchHit) -> JSONValue {
        .object(["session_id": JSONOutput.id(h.sessionId), "session_title": JSONOutput.text(h.sessionTitle), "agent": .string(h.agent),
                 "message_id": JSONOutput.id(h.messageId), "seq": h.seq.map(JSONOutput.int) ?? .null, "kind": .string(h.kind.rawValue),
                 "created_at": JSONOutput.time(h.createdAt), "snippet": .string(h.snippet)])
    }
}
