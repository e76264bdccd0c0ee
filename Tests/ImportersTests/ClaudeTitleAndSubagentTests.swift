import Foundation
import Testing
import Core
import Storage
import TestSupport
@testable import Importers

/// Issue 13, item 4: a session's title is the person's first real request, and a sub-agent's own file is one
/// session of that sub-agent, on both backends.
@Suite struct ClaudeTitleAndSubagentTests {
    @Test("the title skips what Claude Code writes as user messages", arguments: [false, true])
    func titleIsTheFirstRealRequest(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "claudetitles") { db in
            let store = try db.store()
            defer { store.close() }
            _ = try Importer(store: store).run(.claude, paths: [fixture("claude/titles")])
            let s = try session(store, "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f")
            #expect(s.title == "Fix the login redirect loop")
            #expect(s.inputTokens == 40 && s.outputTokens == 12)
        }
    }

    @Test func requestMarkers() {
        #expect(ClaudeSessionImporter.request("<command-name>/review</command-name>\n<command-message>review</command-message>\n<command-args>the parser</command-args>")
                == "/review the parser")
        #expect(ClaudeSessionImporter.request("<command-message>review</command-message>\n<command-name>review</command-name>\n<command-args> x </command-args>")
                == "/review x")
        #expect(ClaudeSessionImporter.request("<command-name>/clear</command-name><command-args></command-args>") == nil)
        #expect(ClaudeSessionImporter.request("<local-command-stdout>ok</local-command-stdout>") == nil)
        #expect(ClaudeSessionImporter.request("  <system-reminder>x</system-reminder>") == nil)
        #expect(ClaudeSessionImporter.request("[Request interrupted by user for tool use]") == nil)
        #expect(ClaudeSessionImporter.request("<bash-input>ls</bash-input>") == nil)
        #expect(ClaudeSessionImporter.request("  Why is <system-reminder> in my log?") == "Why is <system-reminder> in my log?")
    }

    @Test("a sidechain file read on its own is one session of its agent, whatever its chains", arguments: [false, true])
    func sidechainFileIsOneSession(postgres: Bool) throws {
        try withScratchDatabase(postgres: postgres, name: "claudesidechain") { db in
            let store = try db.store()
            defer { store.close() }
            let first = try Importer(store: store).run(.claude, paths: [fixture("claude/sidechain")])
            #expect(first.sessions == 2, "the sub-agent and its parent, not one per chain")
            let parentId = "9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e"
            let parent = try session(store, parentId)
            let children = try store.sessions.children(of: parent.id)
            #expect(children.count == 1)
            let sub = try session(store, "\(parentId)/agent-5e6f7a")
            #expect(children.first?.session.id == sub.id)
            #expect(sub.title == "List the failing tests")
            #expect(try store.messages.count(sessionId: sub.id) == 4)
            #expect(sub.inputTokens == 32 && sub.outputTokens == 15)
            #expect(try store.messages.count(sessionId: parent.id) == 0, "the parent is not written over by its sub-agent")
            let once = try Counts(store)
            _ = try Importer(store: store).run(.claude, paths: [fixture("claude/sidechain")])
            #expect(try Counts(store) == once)

            // The parent's own file read later names it.
            let dir = db.path("later")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let line = #"{"type":"user","sessionId":"\#(parentId)","uuid":"p1","parentUuid":null,"isSidechain":false,"message":{"role":"user","content":"Why do the tests fail?"},"timestamp":"2026-11-22T08:59:00Z"}"#
            try line.write(toFile: dir + "/\(parentId).jsonl", atomically: true, encoding: .utf8)
            _ = try Importer(store: store).run(.claude, paths: [dir])
            #expect(try session(store, parentId).title == "Why do the tests fail?")
        }
    }
}
