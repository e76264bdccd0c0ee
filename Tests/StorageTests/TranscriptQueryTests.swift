import Foundation
import Testing
import Core
@testable import Storage

@Suite("Transcript windows and seeks") struct TranscriptQueryTests {
    /// 30 turns: a user line, then a call with its result (every fifth result an error, every seventh call
    /// a sub-agent), then an answer. The results are nested, so 90 top-level entries.
    static func fill(_ s: Store) throws -> (session: Session, subs: [ID]) {
        let agent = try s.makeAgent()
        let session = try s.sessions.create(Session(title: "long", agentId: agent.id))
        var subs: [ID] = []
        for i in 0..<30 {
            try s.messages.append(Message(sessionId: session.id, role: .user, content: "turn \(i)"))
            let a = try s.messages.append(Message(sessionId: session.id, role: .assistant, kind: .action, content: "Bash ls \(i)"))
            let call = try s.toolCalls.create(ToolCall(sessionId: session.id, messageId: a.id, toolName: "Bash", input: "{\"n\": \(i)}"))
            let failed = i % 5 == 4
            let r = try s.messages.append(Message(sessionId: session.id, parentId: a.id, role: .tool, kind: .observation,
                                                  content: failed ? "boom needle-\(i)" : "ok \(i)", isError: failed))
            try s.toolCalls.complete(call.id, output: r.content, status: failed ? .error : .success, resultMessageId: r.id)
            if i % 7 == 6 {
                let sub = try s.sessions.create(Session(title: "helper \(i)", agentId: agent.id), parentSessionId: session.id, parentToolCallId: call.id)
                try s.messages.append(Message(sessionId: sub.id, role: .user, content: "sub \(i)"))
                subs.append(sub.id)
            }
            try s.messages.append(Message(sessionId: session.id, role: .assistant, content: "done \(i)", inputTokens: 10, outputTokens: 2))
        }
        return (session, subs)
    }

    @Test("keyset windows list top-level entries with their call, results and sub-agent", arguments: Backend.allCases)
    func windows(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let (session, subs) = try Self.fill(s)
            let first = try s.messages.transcript(sessionId: session.id, limit: 10)
            #expect(first.items.count == 10 && !first.hasBefore && first.hasAfter)
            #expect(first.items.map(\.message.content).prefix(3) == ["turn 0", "Bash ls 0", "done 0"])
            let call = first.items[1]
            #expect(call.toolCall?.toolName == "Bash" && call.results.map(\.message.content) == ["ok 0"])
            #expect(first.items.allSatisfy { $0.message.kind != .observation }, "results are nested, not listed")

            let next = try s.messages.transcript(sessionId: session.id, afterSeq: first.items.last!.message.seq, limit: 200)
            #expect(next.items.count == 80 && next.hasBefore && !next.hasAfter)
            let withSub = next.items.filter { $0.subSession != nil }
            #expect(withSub.compactMap(\.subSession?.id) == subs)
            #expect(withSub.first?.subSession?.messageCount == 1 && withSub.first?.subSession?.title.hasPrefix("helper") == true)
            #expect(next.items.filter(\.isError).count == 6, "the calls whose result failed")

            let end = try s.messages.transcriptEnd(sessionId: session.id, limit: 5)
            #expect(end.items.last?.message.content == "done 29" && end.hasBefore && !end.hasAfter)
            let around = try s.messages.transcript(sessionId: session.id, around: first.items[6].message.seq, before: 3, after: 4)
            #expect(around.items.map(\.message.content) == ["turn 1", "Bash ls 1", "done 1", "turn 2", "Bash ls 2", "done 2", "turn 3"])
            #expect(around.hasBefore && around.hasAfter)
        }
    }

    @Test("long content is cut for the window and its full length kept", arguments: Backend.allCases)
    func longContent(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let session = try s.sessions.create(Session(agentId: try s.makeAgent().id))
            let big = String(repeating: "é", count: MessageRepository.transcriptContentLimit + 10)
            try s.messages.append(Message(sessionId: session.id, role: .assistant, content: big))
            let item = try #require(try s.messages.transcript(sessionId: session.id, limit: 5).items.first)
            #expect(item.message.content.count == MessageRepository.transcriptContentLimit)
            #expect(item.contentLength == big.count)
        }
    }

    @Test("seeks find the next call, error or text beyond a position; a match in a result lands on its call", arguments: Backend.allCases)
    func seeks(_ backend: Backend) throws {
        try withDatabase(backend) { tdb in
            let s = try tdb.store()
            let (session, _) = try Self.fill(s)
            let all = try s.messages.transcript(sessionId: session.id, limit: 1000).items
            func seq(_ content: String) -> Int64 { all.first { $0.message.content == content }!.message.seq }
            #expect(try s.messages.seek(sessionId: session.id, .toolCall, from: seq("Bash ls 3"), forward: true) == seq("Bash ls 4"))
            #expect(try s.messages.seek(sessionId: session.id, .toolCall, from: seq("Bash ls 3"), forward: false) == seq("Bash ls 2"))
            #expect(try s.messages.seek(sessionId: session.id, .error, from: 0, forward: true) == seq("Bash ls 4"))
            #expect(try s.messages.seek(sessionId: session.id, .error, from: seq("Bash ls 4"), forward: true) == seq("Bash ls 9"))
            #expect(try s.messages.seek(sessionId: session.id, .error, from: seq("Bash ls 9"), forward: false) == seq("Bash ls 4"))
            #expect(try s.messages.seek(sessionId: session.id, .text("NEEDLE-14"), from: 0, forward: true) == seq("Bash ls 14"))
            #expect(try s.messages.seek(sessionId: session.id, .text("done 2"), from: seq("done 2"), forward: true) == seq("done 20"))
            #expect(try s.messages.seek(sessionId: session.id, .text("50%_off"), from: 0, forward: true) == nil, "LIKE wildcards are literal")
            #expect(try s.messages.seek(sessionId: session.id, .error, from: seq("Bash ls 29"), forward: true) == nil)
        }
    }
}
