import Foundation
import Testing
import Core
import Render
import Terminal
@testable import Dashboard

@Suite("Dashboard log tail") struct LogUpdateTests {
    var u = Updater()

    static func page(_ id: ID, _ lines: [String], anchor: LogAnchor = .tail, hit: Int64? = nil) -> LogPage {
        var offset: Int64 = 0
        let rows = lines.map { l -> LogRow in
            defer { offset += Int64(l.utf8.count) + 1 }
            return LogRow(offset: offset, end: offset + Int64(l.utf8.count) + 1, bytes: Array(l.utf8), lineNumber: nil, at: nil)
        }
        return LogPage(executionId: id, title: "#\(id) make:build", status: .running, rows: rows, size: offset, totalLines: lines.count,
                       anchor: anchor, source: "file", searchHit: hit)
    }

    @Test mutating func enterOnAnExecutionOpensItsLogFollowing() {
        var s = Fixture.state()
        _ = u.keys(&s, "3")
        _ = u.update(&s, .executionsLoaded([ExecutionsUpdateTests.summary(5, .running)], filter: nil))
        let effects = u.keys(&s, "enter")
        #expect(s.screen == .logs && s.log.executionId == 5 && s.log.follow)
        guard case .loadLog(5, .tail, _, nil)? = effects.first else { Issue.record("no log load: \(effects)"); return }
        _ = u.update(&s, .logLoaded(Self.page(5, ["one", "two", "three"])))
        #expect(s.log.rows.count == 3)
        // Leaving the screen stops following the file.
        #expect(u.keys(&s, "1").first == .closeLog)
    }

    @Test mutating func scrollingPausesAndGResumes() {
        var s = Fixture.state()
        s.screen = .logs; s.log.executionId = 5
        _ = u.update(&s, .logLoaded(Self.page(5, ["a", "b", "c"])))
        let up = u.keys(&s, "k")
        #expect(!s.log.follow)
        guard case .loadLog(5, .up(from: 0, lines: 1), _, _)? = up.first else { Issue.record("\(up)"); return }
        // A tail page arriving while paused (the file grew) does not move the view.
        _ = u.update(&s, .logLoaded(Self.page(5, ["x", "y", "z"])))
        #expect(s.log.rows.map { String(decoding: $0.bytes, as: UTF8.self) } == ["a", "b", "c"])
        let resume = u.keys(&s, "G")
        #expect(s.log.follow)
        guard case .loadLog(5, .tail, _, _)? = resume.first else { Issue.record("\(resume)"); return }
        _ = u.keys(&s, "F")
        #expect(!s.log.follow)
        _ = u.keys(&s, "F")
        #expect(s.log.follow)
        _ = u.keys(&s, "w", "t")
        #expect(s.log.wrap && s.log.timestamps)
    }

    @Test mutating func searchAndErrorsPinTheView() {
        var s = Fixture.state()
        s.screen = .logs; s.log.executionId = 5
        _ = u.update(&s, .logLoaded(Self.page(5, ["ok", "ERROR: boom", "ok"])))
        _ = u.keys(&s, "/", "b", "o", "o", "m")
        let effects = u.keys(&s, "enter")
        guard case .loadLog(5, .from(0), _, let req?)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(req.kind == .text("boom") && req.forward && !s.log.follow)
        _ = u.update(&s, .logLoaded(Self.page(5, ["ERROR: boom", "ok"], anchor: .from(3), hit: 3)))
        #expect(s.log.searchHit == 3)
        guard case .loadLog(5, _, _, let next?)? = u.keys(&s, "n").first else { Issue.record("n"); return }
        #expect(next.from == 4 && next.forward)
        guard case .loadLog(5, _, _, let err?)? = u.keys(&s, "E").first else { Issue.record("E"); return }
        #expect(err.kind == .errorLine && !err.forward)
    }

    @Test func hostileLogBytesDrawNoControlCharacters() {
        var s = Fixture.state(width: 80, height: 12)
        s.screen = .logs; s.log.executionId = 5
        let evil = "\u{1B}[31mred\u{1B}[0m \u{1B}]52;c;Zm9v\u{07} \u{1B}[2J\u{1B}[?1049h \r over \u{8}\u{8} \u{202E}bidi \u{9B}c1"
        _ = Updater().update(&s, .logLoaded(Self.page(5, [evil, "plain"])))
        let buf = DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer
        for y in 0..<buf.height {
            for x in 0..<buf.width {
                #expect(!buf[x, y].grapheme.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) || $0.value == 0x202E })
            }
        }
        let text = buf.lines.joined(separator: "\n")
        #expect(text.contains("red") && text.contains("plain"))
        // SGR colour is kept as a style, not as bytes.
        let row = buf.lines.firstIndex { $0.contains("red ") }!
        let x = buf.lines[row].distance(from: buf.lines[row].startIndex, to: buf.lines[row].range(of: "red")!.lowerBound)
        #expect(buf[x, row].style.fg != Fixture.theme[.text].fg)
    }
}
