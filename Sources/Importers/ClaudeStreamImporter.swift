import Foundation
import Core

/// `claude -p --output-format stream-json --verbose` output read from a file: the lines go one by one
/// through the same parser a live run uses (ClaudeStreamParser).
struct ClaudeStreamImporter {
    let writer: TranscriptWriter
    let file: URL

    static func recognizes(_ lines: [JSONLine]) -> Bool {
        lines.prefix(100).contains { $0.object["session_id"] != nil && $0.object["sessionId"] == nil }
    }

    /// Returns the number of records skipped (unknown event types).
    func run(_ lines: [JSONLine]) throws -> Int {
        // A whole file is at hand: the session id and init event may come from any line.
        let externalId = lines.lazy.compactMap { $0.object["session_id"]?.stringValue }.first
            ?? file.deletingPathExtension().lastPathComponent
        let initEvent = lines.first { $0.object["type"]?.stringValue == "system" && $0.object["subtype"]?.stringValue == "init" }?.object
        let w = writer
        // `claude -p` does not write the prompt into its stream: the first request when one is there (an input
        // stream's user text), else the file's name, which the person chose (a blank title said nothing).
        let title = ClaudeSessionImporter.firstRequest(lines) ?? file.deletingPathExtension().lastPathComponent
        let parser = ClaudeStreamParser(writer: w, mode: .batch, agent: { try w.agent("claude", name: "Claude Code") }, title: title)
        try parser.begin(externalId: externalId, initEvent: initEvent)
        for line in lines { try parser.feed(line) }
        try parser.finish()
        return parser.skipped
    }
}
