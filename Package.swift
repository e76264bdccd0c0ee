// swift-tools-version: 6.0
import PackageDescription

// The module graph, and what each module is for: docs/architecture.md.
let package = Package(
    name: "agentmon",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "agentmon", targets: ["agentmon"]),
        .executable(name: "agentmon-bench", targets: ["agentmon-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System C libraries, resolved through pkg-config / apt.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses",
                       providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),

        // The supervisor that starts a run's program and kills its process group if the worker dies.
        .target(name: "CSpawn"),
        // OS plumbing shared by every module (depends on nothing of ours): wake pipe, close-on-exec pipe,
        // monotonic clock, mkdir -p, and the XDG paths of data, config and logs.
        .target(name: "SystemSupport"),
        .target(name: "Core"),
        .target(name: "Storage", dependencies: ["Core", "CSQLite", "CLibPQ", "SystemSupport"]),
        .target(name: "Render", dependencies: ["Core"]),
        .target(name: "Terminal", dependencies: ["Render", "CNcurses", "SystemSupport"]),
        // The user's configuration, read from files: config.toml, keys.toml, themes (found and read here,
        // parsed by Render from their text), through one bounded reader. Render never reads files.
        .target(name: "Config", dependencies: ["Core", "Render", "SystemSupport"]),
        .target(name: "Dashboard", dependencies: ["Core", "Storage", "Render", "Terminal", "LogTail", "Config", "Discovery", "Sync", "SystemSupport", "Git"]),
        // Runs queued executions as child processes: claims, logs, heartbeats, timeouts, retries, reaping.
        .target(name: "Worker", dependencies: ["Core", "Storage", "Importers", "CSpawn", "SystemSupport", "Git"]),
        // Finds the user's agents and tools on PATH (runs only --version and --help, with a timeout, no shell).
        .target(name: "Discovery", dependencies: ["Core", "Storage", "SystemSupport"]),
        // Reads and follows log files of any size without reading them whole (sparse line index, pread).
        .target(name: "LogTail", dependencies: ["Core", "SystemSupport"]),
        // The demo project: agents, a board in every state, executions with logs, transcripts.
        .target(name: "DemoData", dependencies: ["Core", "Storage", "Importers"], resources: [.copy("Transcripts")]),
        .target(name: "Importers", dependencies: ["Core", "Storage"]),
        // Imports the agents' own session folders incrementally (`agentmon sync`, and in the dashboard's background
        // on inotify): per-file offsets in the database, appended lines only.
        .target(name: "Sync", dependencies: ["Core", "Storage", "Importers", "SystemSupport"]),
        // `agentmon mcp`: an MCP server over stdio (JSON-RPC written here, no SDK) whose tools read and change the board.
        .target(name: "MCPServer", dependencies: ["Core", "Storage"]),
        // Git by argv with a timeout: the worktrees of isolated runs (made, diffed, merged, pruned).
        .target(name: "Git", dependencies: ["Core", "Storage", "SystemSupport"]),
        .executableTarget(name: "agentmon", dependencies: [
            "Core", "Storage", "Dashboard", "Terminal", "Render", "DemoData", "Worker", "Importers", "Discovery", "MCPServer", "Sync", "Git",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (run in release): figures for the quality bars of DESIGN.md §6.
        // CBenchSupport: the benchmark's pseudo-terminal, ioctl and gettid calls (C for _XOPEN_SOURCE and ioctl).
        .target(name: "CBenchSupport"),
        .executableTarget(name: "agentmon-bench", dependencies: [
            "Core", "Storage", "Dashboard", "Config", "Terminal", "Render", "CNcurses", "CBenchSupport", "Worker", "LogTail", "Importers", "FuzzCorpus",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Seeded corpus generators (mutated transcripts and command lines) for the fuzz tests and scripts/fuzz.
        .target(name: "FuzzCorpus"),
        .executableTarget(name: "agentmon-fuzz", dependencies: ["FuzzCorpus"]),

        // Helpers shared by the test targets (throw-away PostgreSQL databases).
        .target(name: "TestSupport", dependencies: ["Storage", "Render", "FuzzCorpus"], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["Core", "FuzzCorpus"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WorkerTests", dependencies: ["TestSupport", "CLISupport", "Worker", "Storage", "Core", "Importers", "FuzzCorpus", "DemoData", "Git"]),
        .testTarget(name: "LogTailTests", dependencies: ["LogTail", "Core"]),
        // The real binary from outside: running it, tmux, scratch databases, background workers.
        .target(name: "CLISupport", dependencies: ["TestSupport", "Storage", "Core"], path: "Tests/CLISupport"),
        .testTarget(name: "CLITests", dependencies: ["CLISupport", "TestSupport", "Storage", "Core", "FuzzCorpus"]),
        // The real binary in a real terminal (tmux) and under real faults (a PostgreSQL restart, a killed worker).
        .testTarget(name: "EndToEndTests", dependencies: ["CLISupport", "TestSupport", "Storage", "Core", "FuzzCorpus"]),
        // In process: the real argument parsing of the executable and the real importers, fed fuzzed input.
        .testTarget(name: "AgentmonTests", dependencies: ["agentmon", "FuzzCorpus", "Importers", "Storage", "Core", "Render", "MCPServer"]),
        .testTarget(name: "DashboardTests", dependencies: ["TestSupport", "Dashboard", "Config", "Render", "Terminal", "Storage", "Core", "DemoData"],
                    resources: [.copy("Snapshots")]),
        .testTarget(name: "StorageTests", dependencies: ["TestSupport", "Core", "Storage"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Config", "TestSupport", "FuzzCorpus"], resources: [.copy("Snapshots")]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "SyncTests", dependencies: ["Sync", "Importers", "Storage", "Core", "TestSupport", "FuzzCorpus"]),
        .testTarget(name: "ImportersTests", dependencies: ["Importers", "Storage", "Core", "TestSupport", "FuzzCorpus"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Render", "SystemSupport"]),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport"]),
        .testTarget(name: "DemoDataTests", dependencies: ["TestSupport", "DemoData", "Storage", "Core"]),
    ],
    swiftLanguageModes: [.v6]
)
