import Foundation

/// Valid files of each kind agentmon reads, for the fuzzers to mutate.
public enum ConfigSeeds {
    /// The bundled themes (`themes/*.toml` of this checkout) plus a theme using every form the parser knows.
    public static var themes: [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.sorted().compactMap {
            try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)
        } + [everyForm]
    }

    /// A theme using every form the parser knows: palette references, hex, ANSI names, numbers, inline and
    /// table styles.
    public static let everyForm = """
        name = "mine"
        [colors]
        accent = "#336699"
        [styles]
        error = "bright_red"
        warning = 208
        selected = { fg = "#fff", bg = "accent", bold = true, underline = true }
        [styles.title]
        fg = "accent"
        reverse = true
        """

    public static let configs = [
        "theme = \"light\"\npoll_interval_ms = 500\n",
        "# mine\ntheme = 'solarized-dark'\npoll_interval_ms = 1_000\nkeys_file = \"~/agentmon-keys.toml\"\n",
        "theme = \"high-contrast\"\n[keys]\nhelp = [\"F1\", \"?\"]\nmove_right = \"ctrl-l\"\n",
        // Notifications: a command that does nothing (a mutated name is at worst not found: a status line).
        "theme = \"light\"\n[notify]\nbell = false\ndesktop = true\ncommand = [\"true\", \"--from-agentmon\"]\n",
        // Background sync of the agents' folders (under the test's own $HOME).
        "theme = \"light\"\n[sync]\nenabled = true\ninterval_ms = 500\n",
    ]

    /// Keys files; none mentions `q` or `quit`, so the tmux fuzz can always leave with `q`.
    public static let keys = [
        "[keys]\nmove_right = [\"ctrl-l\", \"M\"]\nhelp = \"F1\"\n",
        "[keys]\nup = [\"k\", \"up\"]\ndown = \"j\"\n# comment\nscreen_board = \"1\"\n",
        "left = \"h\"\nright = [\"l\", \"right\"]\n",
    ]
}
