import Foundation
import ArgumentParser
import Config
import Core
import Storage
import Render
import Terminal
import Dashboard
import Importers

/// A session of `messages` messages imported from a generated Claude stream-json file, then opened and
/// scrolled in the real dashboard on a pseudo-terminal: import throughput (against parsing the same file
/// alone), Enter to the drawn transcript (against a ten-message session), and key to frame while scrolling
/// through windows, folding and jumping.
struct TranscriptBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transcript", abstract: "Transcript import, open and scroll.")
    @Option(help: "Messages in the big session.") var messages = 100_000
    @Option(help: "Key presses to time.") var keys = 2000
    @Option(help: "Terminal width.") var width = 120
    @Option(help: "Terminal height.") var height = 40
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Only the import and parse figures (no dashboard).") var importOnly = false

    func run() throws {
        let dir = try Stats.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.jsonl"), small = dir.appendingPathComponent("small.jsonl")
        try Self.writeSession("bench-big", messages: messages, to: big)
        try Self.writeSession("bench-small", messages: 10, to: small)
        let bytes = Double((try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? NSNumber)?.intValue ?? 0)

        // Reference: reading and parsing the file, nothing stored (the importer's own parser, on all cores).
        var t0 = Stats.nowMs()
        var c0 = (Stats.cpuSeconds() * 1000)
        let parsed = ImportProbe.records(in: try Data(contentsOf: big))
        let parseMs = Stats.nowMs() - t0, parseCpuMs = (Stats.cpuSeconds() * 1000) - c0
        t0 = Stats.nowMs()
        _ = ImportProbe.recordsOnOneCore(in: try Data(contentsOf: big))
        let parseOneCoreMs = Stats.nowMs() - t0
        let path = dir.appendingPathComponent("bench.db").path
        let store = try Store.open(path)
        t0 = Stats.nowMs()
        c0 = (Stats.cpuSeconds() * 1000)
        let summary = try Importer(store: store).run(.claude, paths: [big.path])
        let importMs = Stats.nowMs() - t0, importCpuMs = (Stats.cpuSeconds() * 1000) - c0
        // The search index the import left for later (migration 019), made as a search or the dashboard's sync
        // thread makes it: reported beside the import, so the two together are seen too.
        t0 = Stats.nowMs()
        try store.searchBacklog.catchUp()
        let indexMs = Stats.nowMs() - t0
        let mb = bytes / 1_048_576
        // The same turns as Claude Code keeps them in ~/.claude/projects (what `agentmon sync` reads), into a
        // database of their own.
        let sessionFile = dir.appendingPathComponent("session.jsonl")
        try Self.writeSessionFile("bench-session", messages: messages, to: sessionFile)
        let sessionMB = Double((try FileManager.default.attributesOfItem(atPath: sessionFile.path)[.size] as? NSNumber)?.intValue ?? 0) / 1_048_576
        let sessionStore = try Store.open(dir.appendingPathComponent("session.db").path)
        t0 = Stats.nowMs()
        _ = try Importer(store: sessionStore).run(.claude, paths: [sessionFile.path])
        let sessionMs = Stats.nowMs() - t0
        sessionStore.close()
        let importFigures: [String: Any] = [
            "session_file_mb": Stats.round(sessionMB, 1), "session_file_import_mb_per_s": Stats.round(sessionMB / (sessionMs / 1000), 2),
            "messages": summary.messages, "file_mb": Stats.round(mb, 1), "lines": parsed,
            "import_mb_per_s": Stats.round(mb / (importMs / 1000), 2), "import_seconds": Stats.round(importMs / 1000, 2),
            "import_cpu_seconds": Stats.round(importCpuMs / 1000, 2),
            "search_index_seconds": Stats.round(indexMs / 1000, 2),
            "import_and_search_index_mb_per_s": Stats.round(mb / ((importMs + indexMs) / 1000), 2),
            "parse_mb_per_s": Stats.round(mb / (parseMs / 1000), 2), "parse_cpu_seconds": Stats.round(parseCpuMs / 1000, 2),
            "import_vs_parse": Stats.round(parseMs / importMs, 2),
            "parse_one_core_mb_per_s": Stats.round(mb / (parseOneCoreMs / 1000), 2),
        ]
        if importOnly {
            store.close()
            if json { Stats.printJSON(importFigures, to: 1) } else {
                for (k, v) in importFigures.sorted(by: { $0.key < $1.key }) { print("\(k): \(v)") }
            }
            return
        }
        _ = try Importer(store: store).run(.claude, paths: [small.path])
        guard let bigId = try store.sessions.find(externalSessionId: "bench-big")?.id,
              let smallId = try store.sessions.find(externalSessionId: "bench-small")?.id else { throw BenchError("import made no session") }
        store.close()

        let (pty, screen, port) = try MeasuringPort.start(width: width, height: height)
        defer { pty.stopReading() }
        var config = DashboardConfig()
        config.sync.enabled = false  // measures transcripts, not an import of this machine's agent folders
        let app = DashboardApp(options: .init(connection: path, databaseName: "bench", config: config))
        let last = Locked<(AppState, Double)?>(nil)
        app.onFrame = { s in last.with { $0 = (s, Stats.nowMs()) } }
        let finished = DispatchSemaphore(value: 0)
        Thread { app.run(on: port); finished.signal() }.start()
        func wait(_ ok: (AppState) -> Bool) -> Double {
            while true {
                if let (s, at) = last.get, ok(s) { return at }
                usleep(100)
            }
        }
        _ = wait { $0.board.loaded }
        pty.type("5")
        let rows = wait { $0.sessions.loaded }
        _ = rows
        guard let state = last.get?.0 else { throw BenchError("no frame") }

        /// Selects the session's row, presses Enter, and times it to the frame that shows its transcript.
        func open(_ id: ID) -> Double {
            let index = state.sessions.rows.firstIndex { $0.session.id == id } ?? 0
            _ = port.press("g")
            for _ in 0..<index { _ = port.press("j") }
            let start = Stats.nowMs()
            pty.type("\r")
            let at = wait { $0.screen == .transcript && $0.transcript.sessionId == id && $0.transcript.loaded }
            usleep(50_000); pty.drain()
            return at - start
        }
        let smallOpen = open(smallId)
        _ = port.press("\u{1B}"); _ = wait { $0.screen == .sessions }
        let bigOpen = open(bigId)

        // Reading: mostly down a line or a page (crossing window edges, which loads the next window off the
        // UI thread), some going back, folds and jumps to the next tool call or error.
        var latencies: [Double] = []
        var rng = SplitMix(seed: 11)
        for _ in 0..<keys {
            let r = rng.next() % 100
            let key = r < 55 ? "j" : r < 75 ? "\u{04}" : r < 83 ? "k" : r < 87 ? "\u{15}" : r < 92 ? "]" : r < 95 ? " " : r < 98 ? "e" : "["
            latencies.append(port.press(key).0)
        }
        let far = last.get?.0.transcript.page.items.first?.message.seq ?? 0
        port.quit()
        finished.wait()
        screen.stop()
        pty.restore()

        var result: [String: Any] = [
            "keys": keys, "terminal": "\(width)x\(height)",
            "open_ms": Stats.round(bigOpen, 2), "reference_open_10_messages_ms": Stats.round(smallOpen, 2),
            "open_vs_10_messages_ratio": smallOpen > 0 ? Stats.round(bigOpen / smallOpen, 2) : 0,
            "scroll_p50_ms": Stats.round(Stats.percentile(latencies, 50)), "scroll_p99_ms": Stats.round(Stats.percentile(latencies, 99)),
            "scroll_max_ms": Stats.round(latencies.max() ?? 0), "window_start_seq_after_scrolling": far,
        ]
        for (k, v) in importFigures { result[k] = v }
        Stats.report(result, json: json, to: pty.resultFD)
    }

    /// The turns of `writeSession` as a Claude Code session file: a record per line with its uuid, parent,
    /// session id and time, as Claude Code writes them to ~/.claude/projects/<project>/<session>.jsonl.
    static func writeSessionFile(_ session: String, messages: Int, to url: URL) throws {
        try writeLines(to: url) { out in
            var parent = "null", n = 0
            func record(_ type: String, _ message: String) {
                n += 1
                let uuid = String(format: "00000000-0000-4000-8000-%012d", n)
                let time = String(format: "%02d:%02d:%02d.%03d", (n / 3600) % 24, (n / 60) % 60, n % 60, n % 1000)
                out(#"{"parentUuid":\#(parent),"isSidechain":false,"userType":"external","cwd":"/work/app","sessionId":"\#(session)","version":"2.0.14","type":"\#(type)","message":\#(message),"uuid":"\#(uuid)","timestamp":"2026-11-21T\#(time)Z"}"#)
                parent = "\"\(uuid)\""
            }
            record("user", #"{"role":"user","content":"Fix the retry schedule"}"#)
            for i in 0..<max(1, messages / 3) {
                let t = turn(i)
                record("assistant", t.assistant)
                record("user", t.result)
            }
        }
    }

    /// A Claude Code stream-json run: per turn an assistant text, a tool call and its result (every 40th an
    /// error, every 7th with thinking before it) — three messages a turn — and a result event.
    static func writeSession(_ session: String, messages: Int, to url: URL) throws {
        try writeLines(to: url) { out in
            out(#"{"type":"system","subtype":"init","session_id":"\#(session)","model":"claude-sonnet-4-5","cwd":"/work/app","tools":["Bash","Read"]}"#)
            for i in 0..<max(1, messages / 3) {
                let t = turn(i)
                out(#"{"type":"assistant","message":\#(t.assistant),"session_id":"\#(session)"}"#)
                out(#"{"type":"user","message":\#(t.result),"session_id":"\#(session)"}"#)
            }
            out(#"{"type":"result","subtype":"success","is_error":false,"session_id":"\#(session)","total_cost_usd":12.5,"usage":{"input_tokens":1200,"output_tokens":85}}"#)
        }
    }

    /// Turn `i` of both files: the assistant's API message and the user message carrying the tool's result.
    static func turn(_ i: Int) -> (assistant: String, result: String) {
        let thinking = i % 7 == 3 ? #"{"type":"thinking","thinking":"The failing test points at file_\#(i % 97).swift; read it before editing."},"# : ""
        let assistant = #"{"id":"msg_\#(i)","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[\#(thinking){"type":"text","text":"Step \#(i): checking how the retry schedule is computed in module \#(i % 13)."},{"type":"tool_use","id":"toolu_\#(i)","name":"\#(i % 3 == 0 ? "Read" : "Bash")","input":{"command":"grep -n backoff Sources/Module\#(i % 13)/File\#(i % 97).swift","description":"find the schedule"}}],"usage":{"input_tokens":1200,"output_tokens":85,"cache_read_input_tokens":5400}}"#
        let body = (0..<(i % 5 + 1)).map { "Sources/Module\(i % 13)/File\(i % 97).swift:\($0 * 7 + 3):    let backoff = base * pow(2, attempt)" }.joined(separator: "\\n")
        let result = #"{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_\#(i)","content":"\#(body)","is_error":\#(i % 40 == 39)}]}"#
        return (assistant, result)
    }

    /// Writes the lines `body` hands out, a megabyte at a time.
    static func writeLines(to url: URL, _ body: (_ line: (String) -> Void) -> Void) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let h = try FileHandle(forWritingTo: url)
        defer { try? h.close() }
        var out = ""
        body { line in
            out += line + "\n"
            if out.utf8.count > 1 << 20 { h.write(Data(out.utf8)); out = "" }
        }
        h.write(Data(out.utf8))
    }
}
