// Small composed screens, built only from Render widgets, used by the snapshot tests.

import Render

enum Screens {
    static let theme = Theme.builtinDefault

    static func statusBar(_ b: inout Buffer, _ area: Rect, mode: String) {
        let hints = StatusBar.hints([("q", "quit"), ("?", "help"), ("/", "filter"), ("H/L", "move")],
                                    keyStyle: theme[.statusKey], labelStyle: theme[.statusBar])
        StatusBar(left: [StyledRun(" \(mode) ", style: theme[.selected])] + hints,
                  right: [StyledRun("sqlite · 12:00 ", style: theme[.statusBar])],
                  style: theme[.statusBar]).render(into: &b, area: area)
    }

    static func board(width: Int, height: Int, focused: Int = 1) -> Buffer {
        var b = Buffer(width: width, height: height, fill: Cell(" ", style: theme[.background]))
        let rows = b.area.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
        b.write(" agentmon  ", x: 0, y: 0, style: theme[.title])
        b.write("Board · Agents · Executions · Sessions", x: 11, y: 0, style: theme[.textDim])
        func card(_ title: String, _ meta: String, _ status: String) -> BoardCard {
            BoardCard(lines: [Sanitizer.runs(title, style: theme[.text]),
                              Sanitizer.runs(meta, style: theme.taskStatus(status))])
        }
        let columns = [
            BoardColumn(title: "Todo", cards: [
                card("Write migration tests", "P1 · codex", "todo"),
                card("修复登录页面的布局问题", "P2 · claude", "todo"),
                card("Evil \u{1B}]0;pwned\u{07}title\u{1B}[2J", "P3", "todo"),
            ], selected: 0),
            BoardColumn(title: "In progress", cards: [
                card("Stream logs from worker 🚀", "P2 · claude · running", "in_progress"),
                card("Keyset pages for the board", "P1 · codex", "in_progress"),
            ], selected: 1),
            BoardColumn(title: "Blocked", cards: [card("Postgres claims (needs review)", "P1 · gemini", "blocked")]),
            BoardColumn(title: "Done", cards: (1...14).map { card("#\($0) shipped feature", "P4", "done") },
                        selected: 12, total: 240),
        ]
        Columns(columns: columns, focused: focused, theme: theme).render(into: &b, area: rows[1])
        statusBar(&b, rows[2], mode: "BOARD")
        return b
    }

    static func executions(width: Int, height: Int) -> Buffer {
        var b = Buffer(width: width, height: height, fill: Cell(" ", style: theme[.background]))
        let rows = b.area.split(.vertical, [.percent(40), .fill(1), .fixed(1)])
        let tableBox = Border(title: "Executions", rightTitle: "3 running", style: theme[.borderFocused],
                              titleStyle: theme[.title]).render(into: &b, area: rows[0])
        var table = Table(columns: [TableColumn("ID", width: .fixed(4), alignment: .right),
                                    TableColumn("Agent", width: .fixed(8)),
                                    TableColumn("Task", width: .fill(1)),
                                    TableColumn("Status", width: .fixed(10)),
                                    TableColumn("Time", width: .fixed(6), alignment: .right)],
                          strings: [
                            ["41", "claude", "Stream logs from worker 🚀", "running", "2m03s"],
                            ["40", "codex", "Keyset pages for the board with a very long title", "succeeded", "41s"],
                            ["39", "gemini", "Postgres claims", "failed", "9s"],
                            ["38", "make", "make test", "timed_out", "10m"],
                            ["37", "git", "git fetch --all", "cancelled", "1s"],
                          ], selected: 2, theme: theme)
        table.rows = table.rows.map { row in
            var r = row
            r[3] = r[3].restyled(theme.executionStatus(r[3].plainText))
            return r
        }
        table.render(into: &b, area: tableBox)
        let logBox = Border(title: "Log · #39", style: theme[.border], titleStyle: theme[.title])
            .render(into: &b, area: rows[1])
        let log = TextView(text: [
            "\u{1B}[1;32m✓\u{1B}[0m compiled 42 files",
            "\u{1B}[31merror:\u{1B}[0m connection refused\r",
            "progress 10%\r\u{1B}[Kprogress 100%",
            "tab\tseparated\tvalues",
            "wide: 日本語のログ行",
        ], style: theme[.text])
        var tv = log
        tv.followTail = true
        tv.render(into: &b, area: logBox)
        statusBar(&b, rows[2], mode: "EXEC")
        return b
    }

    static func help(width: Int, height: Int) -> Buffer {
        var b = board(width: width, height: height)
        let keys: [(String, String)] = [("j/k ↑/↓", "select"), ("h/l ←/→", "column"), ("H/L", "move task"),
                                        ("K/J", "reorder"), ("Enter", "open"), ("/", "filter"), ("q", "quit")]
        let lines = keys.map { k, d in
            TextLayout.align([StyledRun(k, style: theme[.statusKey])], width: 10) + [StyledRun(d, style: theme[.overlay])]
        }
        var o = OverlayBox(title: "Help", lines: lines, theme: theme)
        o.footer = [StyledRun("Esc closes", style: theme[.textDim])]
        o.render(into: &b, area: b.area)
        return b
    }
}
