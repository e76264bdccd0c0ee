import Foundation
import Testing
import Config
import Core
import Render
import Storage
import Terminal
@testable import Dashboard

/// The JSON a `[notify] command` reads, as a dictionary (nil when it does not parse).
func notifyJSON(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}

@Suite("Notifications: what is new") struct NotifyTests {
    static let call = ToolCall(id: 11, sessionId: 2, toolName: "Bash", input: "{\"command\":\n  \"./manage.py migrate\"}",
                               requiresConfirmation: true, createdAt: Fixture.now)
    static func confirm(_ id: ID, tool: String = "Bash") -> InboxItem {
        var c = call; c.id = id; c.toolName = tool
        return .toolCall(c, agentSlug: "claude", sessionTitle: "Refresh")
    }
    static func run(_ id: ID, _ status: ExecutionStatus, error: String? = nil, exit: Int? = nil) -> ExecutionSummary {
        var r = ExecutionsUpdateTests.summary(id, status)
        r.execution.error = error; r.execution.exitCode = exit; r.execution.taskId = 40 + id
        return r
    }

    static func state(_ settings: NotifySettings = NotifySettings(bell: true, command: true, desktop: false)) -> AppState {
        var s = Fixture.state()
        s.notify.settings = settings
        return s
    }

    static func events(_ effects: [Effect]) -> [NotifyEvent] {
        effects.compactMap { if case .notify(let e) = $0 { e } else { nil } }
    }

    @Test func whatWaitedAtStartIsTheBaselineNotAnnounced() {
        let u = Updater()
        var s = Self.state()
        #expect(u.update(&s, .inboxLoaded([Self.confirm(11), .execution(Self.run(12, .queued))])).isEmpty)
        #expect(u.update(&s, .runsWatched(RunWatch(runs: [Self.run(3, .succeeded), Self.run(4, .failed), Self.run(5, .running)]))).isEmpty)
        // The same data loaded again: still nothing.
        #expect(u.update(&s, .inboxLoaded([Self.confirm(11), .execution(Self.run(12, .queued))])).isEmpty)
        #expect(u.update(&s, .runsWatched(RunWatch(runs: [Self.run(3, .succeeded), Self.run(4, .failed), Self.run(5, .running)]))).isEmpty)
    }

    @Test func aNewConfirmationRingsAndSendsItsJSON() throws {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .inboxLoaded([]))
        let effects = u.update(&s, .inboxLoaded([Self.confirm(11)], links: [11: InboxLink(executionId: 7, taskId: 3)]))
        #expect(effects.first == .bell)
        let events = Self.events(effects)
        #expect(events.count == 1)
        let json = try #require(notifyJSON(events[0].json), "not JSON: \(events[0].json)")
        #expect(json["event"] as? String == "needs_input")
        #expect(json["execution"] as? Int == 7 && json["task"] as? Int == 3)
        #expect(json["agent"] as? String == "claude" && json["tool"] as? String == "Bash")
        #expect(json["summary"] as? String == "{\"command\": \"./manage.py migrate\"}", "one line")
        #expect(Set(json.keys) == ["event", "execution", "task", "agent", "tool", "summary"])
        #expect(!events[0].json.contains("\n"))
    }

    @Test func aConfirmationWithoutARunHasNullIds() throws {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .inboxLoaded([]))
        let e = try #require(Self.events(u.update(&s, .inboxLoaded([Self.confirm(11)]))).first)
        #expect(e.json.contains("\"execution\":null,\"task\":null"))
        let json = try #require(notifyJSON(e.json))
        #expect(json["execution"] is NSNull && json["task"] is NSNull)
    }

    @Test func aRunWaitingForApprovalNeedsInputToo() throws {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .inboxLoaded([]))
        var r = Self.run(12, .queued)
        r.execution.requiresApproval = true; r.execution.args = ["branch": "main"]
        let e = try #require(Self.events(u.update(&s, .inboxLoaded([.execution(r)]))).first)
        let json = try #require(notifyJSON(e.json))
        #expect(json["event"] as? String == "needs_input" && json["execution"] as? Int == 12 && json["task"] as? Int == 52)
        #expect(json["agent"] as? String == "git" && json["tool"] as? String == "push")
        #expect((json["summary"] as? String)?.contains("Task 12") == true && (json["summary"] as? String)?.contains("branch=main") == true)
    }

    @Test func anItemIsAnnouncedOnceAcrossReloads() {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .inboxLoaded([Self.confirm(1)]))
        #expect(Self.events(u.update(&s, .inboxLoaded([Self.confirm(1), Self.confirm(2)]))).map(\.tool) == ["Bash"])
        #expect(u.update(&s, .inboxLoaded([Self.confirm(1), Self.confirm(2)])).isEmpty, "a reload announces nothing again")
        #expect(u.update(&s, .dataChanged).contains(.loadInbox))
        #expect(u.update(&s, .inboxLoaded([Self.confirm(2)])).isEmpty, "an item leaving is not news")
        let third = Self.events(u.update(&s, .inboxLoaded([Self.confirm(2), Self.confirm(3, tool: "Edit")])))
        #expect(third.map(\.tool) == ["Edit"])
        #expect(s.notify.seenInbox?.count == 2, "only what waits now is remembered")
    }

    @Test func theUsersOwnDecisionDoesNotReannounceWhenItFails() {
        var u = Updater()
        var s = Self.state()
        _ = u.update(&s, .inboxLoaded([Self.confirm(11)]))
        s.overlays.append(.inbox(selected: 0))
        #expect(u.keys(&s, "a") == [.decideToolCall(11, approve: true, reason: nil)])
        #expect(s.inbox.isEmpty, "optimistic")
        _ = u.update(&s, .writeFailed("busy"))
        #expect(u.update(&s, .inboxLoaded([Self.confirm(11)])).isEmpty, "it was there all along")
    }

    @Test func runsThatEndAreFinishedOrFailed() throws {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .runsWatched(RunWatch(runs: [Self.run(5, .running), Self.run(6, .queued), Self.run(7, .running), Self.run(8, .running)])))
        #expect(s.notify.watching == [5, 6, 7, 8])
        #expect(u.update(&s, .dataChanged).contains(.watchRuns([5, 6, 7, 8])), "the watched runs are asked for")
        let effects = u.update(&s, .runsWatched(RunWatch(runs: [
            Self.run(5, .succeeded), Self.run(6, .cancelled), Self.run(7, .timedOut), Self.run(8, .failed, error: "boom", exit: 2),
        ])))
        #expect(effects.filter { $0 == .bell }.count == 1, "one bell for the lot")
        let events = Self.events(effects)
        #expect(events.map(\.kind) == [.finished, .failed, .failed, .failed])
        #expect(events.map(\.executionId) == [5, 6, 7, 8])
        let json = try #require(notifyJSON(events[3].json))
        #expect(json["event"] as? String == "failed" && json["execution"] as? Int == 8 && json["task"] as? Int == 48)
        #expect(json["agent"] as? String == "git" && json["tool"] as? String == "push")
        #expect(json["summary"] as? String == "failed on \"Task 8\" (exit 2): boom")
        #expect(notifyJSON(events[0].json)?["event"] as? String == "finished")
        #expect(s.notify.watching == [], "ended runs are no longer watched")
        #expect(u.update(&s, .runsWatched(RunWatch(runs: [Self.run(5, .succeeded), Self.run(8, .failed)]))).isEmpty, "never twice")
    }

    @Test func aRunThatStartedAndEndedBetweenTwoLooksIsAnnounced() {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .runsWatched(RunWatch(runs: [Self.run(3, .succeeded)])))
        #expect(Self.events(u.update(&s, .runsWatched(RunWatch(runs: [Self.run(3, .succeeded), Self.run(4, .succeeded)])))).map(\.executionId) == [4])
        #expect(u.update(&s, .runsWatched(RunWatch(runs: [Self.run(4, .succeeded), Self.run(4, .succeeded)]))).isEmpty)
        #expect(s.notify.highestRun == 4)
    }

    @Test func goneRunsAreForgotten() {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .runsWatched(RunWatch(runs: [Self.run(5, .running)])))
        #expect(u.update(&s, .runsWatched(RunWatch(runs: [], gone: [5]))).isEmpty)
        #expect(s.notify.watching == [])
    }

    @Test func theBellAloneSendsNoEventAndNothingOnMeansNothingWatched() {
        let u = Updater()
        var s = Self.state(NotifySettings(bell: true))
        _ = u.update(&s, .inboxLoaded([]))
        #expect(u.update(&s, .inboxLoaded([Self.confirm(1)])) == [.bell])
        var off = Self.state(NotifySettings())
        #expect(!u.update(&off, .dataChanged).contains { if case .watchRuns = $0 { true } else { false } })
        _ = u.update(&off, .inboxLoaded([]))
        #expect(u.update(&off, .inboxLoaded([Self.confirm(1)])).isEmpty)
        var quiet = Self.state(NotifySettings(bell: false, command: true))
        _ = u.update(&quiet, .inboxLoaded([]))
        #expect(u.update(&quiet, .inboxLoaded([Self.confirm(1)])).map { $0 == .bell } == [false])
    }

    @Test func aBurstIsBounded() {
        let u = Updater()
        var s = Self.state()
        _ = u.update(&s, .inboxLoaded([]))
        let effects = u.update(&s, .inboxLoaded((1...25).map { Self.confirm(ID($0)) }))
        #expect(effects.filter { $0 == .bell }.count == 1)
        #expect(Self.events(effects).count == NotifyState.burstLimit)
    }

    @Test func aFailedCommandIsAStatusLine() {
        let u = Updater()
        var s = Self.state()
        #expect(u.update(&s, .notifyFailed("notify command: nope not found")).isEmpty)
        #expect(s.status == StatusMessage("notify command: nope not found", .error))
        #expect(DashboardView.render(s, keymap: KeyMap(), theme: Fixture.theme).buffer.lines.last?.contains("nope not found") == true)
    }

    @Test func watchRequestsInOneBatchMerge() {
        let merged = DataService.coalesce([.watchRuns([3, 5]), .loadInbox, .watchRuns([4, 5])])
        #expect(merged.filter { if case .watchRuns = $0 { true } else { false } } == [.watchRuns([3, 4, 5])])
    }

    @Test func jsonEscapesEverything() throws {
        let e = NotifyEvent(kind: .failed, executionId: 1, taskId: nil, agent: "a\"b\\c", tool: nil,
                            summary: "x\u{1B}]0;t\u{07}\u{0}y \u{2028}z")
        #expect(!e.json.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x2028 })
        let json = try #require(notifyJSON(e.json), "\(e.json)")
        #expect(json["agent"] as? String == "a\"b\\c" && json["tool"] is NSNull)
        #expect(json["summary"] as? String == "x\u{1B}]0;t\u{07}\u{0}y z", "the data is kept, only encoded (whitespace runs folded)")
        let long = NotifyEvent(kind: .finished, executionId: nil, taskId: nil, agent: "a", tool: nil, summary: String(repeating: "é", count: 500))
        #expect(long.summary.count == NotifyEvent.summaryLimit)
    }
}

@Suite("Notifications: desktop escape text") struct DesktopNotificationTests {
    @Test func bothSequencesWithSanitisedText() {
        let bytes = DesktopNotification.bytes(title: "agentmon: claude; needs input", body: "Bash: rm -rf /; echo\u{07}\u{1B}]52;c;AAAA\u{1B}\\ done\nnext")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "\u{1B}]777;notify;agentmon: claude, needs input;Bash: rm -rf /; echo]52;c;AAAA\\ done next\u{07}"
                + "\u{1B}]9;agentmon: claude, needs input: Bash: rm -rf /; echo]52;c;AAAA\\ done next\u{07}")
        // Exactly two ESC and two BEL: the ones the dashboard made.
        #expect(bytes.filter { $0 == 0x1B }.count == 2 && bytes.filter { $0 == 0x07 }.count == 2)
    }

    @Test func controlsBidiAndC1AreDroppedAndLengthIsBounded() {
        let hostile = "a\u{9B}2J\u{202E}b\u{2066}c\u{200B}d\u{7F}e\u{0}f\r\tg"
        #expect(DesktopNotification.sanitize(hostile, allowSemicolon: true) == "a2Jbcdef g")
        #expect(DesktopNotification.sanitize("x;y", allowSemicolon: false) == "x,y")
        #expect(DesktopNotification.sanitize("x;y", allowSemicolon: true) == "x;y")
        let long = DesktopNotification.sanitize(String(repeating: "日本", count: 300), allowSemicolon: true)
        #expect(long.count == DesktopNotification.limit && long.hasSuffix("…"))
        #expect(DesktopNotification.sanitize("  \n ", allowSemicolon: true) == "")
    }
}

@Suite("Notifications: the status bar's two counts") struct NotifyStatusBarTests {
    @Test func needInputAndWaitingApprovalAreCountedApart() {
        let u = Updater()
        var s = Fixture.state()
        var approval = ExecutionsUpdateTests.summary(12, .queued, approval: true)
        approval.execution.requiresApproval = true
        _ = u.update(&s, .inboxLoaded([NotifyTests.confirm(1), NotifyTests.confirm(2), .execution(approval)]))
        let theme = Fixture.theme
        let buf = DashboardView.render(s, keymap: KeyMap(), theme: theme).buffer
        let bar = buf.lines.last ?? ""
        #expect(bar.hasPrefix(" ! 2 need input · 1 waiting approval "), "first, even at 80 columns: \(bar)")
        let warn = theme[.warning].with(bg: theme[.statusBar].bg, bold: true)
        #expect(buf[1, buf.height - 1].style == warn && buf[20, buf.height - 1].style == warn)

        _ = u.update(&s, .inboxLoaded([NotifyTests.confirm(1)]))
        let one = DashboardView.render(s, keymap: KeyMap(), theme: theme).buffer.lines.last ?? ""
        #expect(one.hasPrefix(" ! 1 needs input ") && !one.contains("approval"))

        _ = u.update(&s, .inboxLoaded([.execution(approval)]))
        let runs = DashboardView.render(s, keymap: KeyMap(), theme: theme).buffer.lines.last ?? ""
        #expect(runs.hasPrefix(" ! 1 waiting approval ") && !runs.contains("input"))
    }
}

@Suite("Notifications: config") struct NotifyConfigTests {
    func load(_ text: String) throws -> DashboardConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-notify-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try text.write(to: dir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        return DashboardConfig.load(folder: dir.path)
    }

    @Test func defaultsAreTheBellOnly() throws {
        let c = try load("theme = \"light\"\n")
        #expect(c.notify == DashboardConfig.Notify(bell: true, command: nil, desktop: false) && c.warnings.isEmpty)
    }

    @Test func allThreeAreRead() throws {
        let c = try load("[notify]\nbell = false\ndesktop = true\ncommand = [\"notify-send\", \"--app-name=agentmon\"]\n")
        #expect(c.notify == DashboardConfig.Notify(bell: false, command: ["notify-send", "--app-name=agentmon"], desktop: true))
        #expect(c.warnings.isEmpty)
    }

    @Test func wrongTypesAreOneLineWarningsAndKeepTheDefaults() throws {
        let c = try load("[notify]\nbell = \"yes\"\ndesktop = 1\ncommand = \"notify-send hi\"\n")
        #expect(c.notify == DashboardConfig.Notify())
        #expect(c.warnings == [
            "config.toml:2: notify.bell must be true or false, not a string; using the default",
            "config.toml:3: notify.desktop must be true or false, not an integer; using the default",
            "config.toml:4: notify.command must be a non-empty list of strings (a program and its arguments); no command is run",
        ])
    }

    @Test func commandMustBeANonEmptyListOfStrings() throws {
        for bad in ["[]", "[\"notify-send\", 3]", "[\"\"]", "[[\"a\"]]"] {
            let c = try load("[notify]\ncommand = \(bad)\n")
            #expect(c.notify.command == nil, "\(bad)")
            #expect(c.warnings.count == 1 && c.warnings[0].hasPrefix("config.toml:2: notify.command must be"), "\(bad): \(c.warnings)")
        }
    }

    @Test func notifyThatIsNotATableIsAWarning() throws {
        let c = try load("notify = true\n")
        #expect(c.warnings == ["config.toml:1: notify must be a table, not a boolean; using the default"])
        #expect(c.notify == DashboardConfig.Notify())
    }
}
