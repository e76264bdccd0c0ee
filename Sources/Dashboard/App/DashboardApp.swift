import Foundation
import Config
import Sync
import Core
import Render
import Storage
import Terminal
import SystemSupport

/// The run loop: one thread owns the terminal and the state; the data service owns the database.
/// Each turn: draw (only changed cells reach the terminal), wait for a key, a wake-up from the data
/// thread or a tick, then feed the messages through `update` and hand the effects to the data thread.
/// Runs on one thread at a time (the one that calls `run`); `@unchecked Sendable` lets a test or the
/// benchmark start it on a thread of its own.
public final class DashboardApp: @unchecked Sendable {
    public struct Options: Sendable {
        public var connection: String
        public var databaseName: String
        public var theme: String?
        public var config: DashboardConfig
        public init(connection: String, databaseName: String, theme: String? = nil, config: DashboardConfig = .load()) {
            self.connection = connection; self.databaseName = databaseName; self.theme = theme; self.config = config
        }
    }

    let options: Options
    /// Called on the UI thread each turn (the demo worker hooks in here later; tests count frames).
    public var onFrame: ((AppState) -> Void)?

    /// After `run`: the user's changes that could not be written (the database was unreachable to the end),
    /// for the caller to print once the terminal is restored. Nothing the user did disappears unsaid.
    public private(set) var unwritten: [String] = []
    /// Warnings about the config, keys and theme files found at start (one line each).
    public private(set) var startupWarnings: [String] = []

    public init(options: Options) { self.options = options }

    /// How long a `[notify] command` may run before it is killed.
    public var notifyTimeout: TimeInterval = 5

    /// Runs until the user quits or a signal arrives; the terminal is restored on every path.
    public func run() throws {
        let screen = Screen()
        TerminalGuard.arm()
        do { try screen.start() } catch {
            TerminalGuard.disarm()
            throw DashboardError("cannot open the dashboard: \(error.message)")
        }
        defer {
            screen.stop(); TerminalGuard.disarm()
            // The status bar showed the first one; once the screen is gone, every one stays readable.
            for w in startupWarnings { FileHandle.standardError.write(Data("agentmon: \(w)\n".utf8)) }
        }
        run(on: screen)
    }

    /// The loop itself, on any terminal port. Returns when the state stops running.
    public func run(on port: TerminalPort, wrapDatabase: @escaping @Sendable (Database) -> Database = { $0 }) {
        var updater = Updater()
        var state = AppState(themeName: options.theme ?? options.config.theme)
        state.databaseName = options.databaseName
        state.hostName = HostName.current()
        var warnings = options.config.warnings
        warnings += updater.keymap.remap(options.config.keyOverrides).map { "keys: " + $0 }

        let themes = ThemeLocator.loader()
        var theme = loadTheme(themes, state.themeName, depth: port.colorDepth, warnings: &warnings)
        if let w = warnings.first { state.status = StatusMessage(w, .error) }
        startupWarnings = warnings

        state.width = port.size.width; state.height = port.size.height
        let mailbox = Mailbox(wake: port.wake)
        let notify = options.config.notify
        state.notify.settings = NotifySettings(bell: notify.bell, command: notify.command != nil, desktop: notify.desktop)
        let command = notify.command.map { NotifyCommand(argv: $0, timeout: notifyTimeout) { mailbox.post(.notifyFailed($0)) } }
        defer { command?.stop() }
        /// The bell and desktop notifications wait for the next frame to be on the terminal.
        var ringBell = false
        var controls: [UInt8] = []
        let service = DataService(connection: options.connection, mailbox: mailbox, pollIntervalMs: options.config.pollIntervalMs,
                                  wrap: wrapDatabase)
        service.start()
        defer { service.stop(); unwritten = service.unwritten }
        // The agents' own sessions, imported on a thread and connection of their own; the data thread sees them
        // through the change token. Stopped before the data service (defers run last first).
        let sync = options.config.sync
        let syncer = sync.enabled
            ? SyncWatcher(connection: options.connection, intervalMs: sync.intervalMs) { mailbox.post(.syncFailed($0)) } : nil
        syncer?.start()
        defer { syncer?.stop() }
        service.submit(updater.reloadAll(state) + [.loadAgents])

        // Messages the app answers itself (its own effects, the frame's offsets); they go through `update` too.
        var local: [Msg] = []
        /// Hands effects to the data thread, performing the app's own (themes) here.
        func perform(_ effects: [Effect]) {
            var rest: [Effect] = []
            for e in effects {
                switch e {
                case .loadTheme(let name):
                    var w: [String] = []
                    theme = loadTheme(themes, name, depth: port.colorDepth, warnings: &w)
                    local.append(.themeLoaded(name: name, warning: w.first))
                case .bell:
                    ringBell = true
                case .attach(let id, let session):
                    // The terminal is tmux's until the user detaches; the data thread goes on meanwhile.
                    var failure: String?
                    let status = port.handOver {
                        switch TmuxAttach.run(session: session) {
                        case .success(let status): return status
                        case .failure(let why): failure = why.description; return 0
                        }
                    }
                    if failure == nil, status != 0 { failure = "tmux exited with status \(status)" }
                    local.append(.attachEnded(id, error: failure))
                case .notify(let event):
                    command?.submit(Array((event.json + "\n").utf8))
                    if notify.desktop, controls.count < 16 * 1024 { controls += DesktopNotification.bytes(title: event.title, body: event.body) }
                default:
                    rest.append(e)
                }
            }
            if !rest.isEmpty { service.submit(rest) }
        }

        let layouts = CardLayoutCache()
        while state.running {
            let frame = DashboardView.render(state, keymap: updater.keymap, theme: theme, cache: layouts)
            if frame.columnOffsets != state.board.columns.map(\.offset) {
                perform(updater.update(&state, .columnOffsets(frame.columnOffsets)))
            }
            if state.fullRedraw { state.fullRedraw = false; port.clearAndRedraw() }
            port.present(frame.buffer, scrollBands: frame.scrollBands)
            // Between frames, never inside one: the bell and the OSC notifications the last messages asked for.
            if ringBell { ringBell = false; port.bell() }
            if !controls.isEmpty { port.writeControl(controls); controls.removeAll() }
            onFrame?(state)

            var messages: [Msg] = []
            switch port.nextEvent(timeoutMs: state.tickIntervalMs) {
            case .key(.resize):
                messages.append(.resized(width: port.size.width, height: port.size.height))
            case .key(let k):
                messages.append(.key(k))
            case .wake:
                break
            case .timeout:
                messages.append(.tick(Date()))
            case .quit:
                state.running = false
            }
            messages += mailbox.drain()
            // Keys arriving faster than the tick must not freeze the clock: time moves at least every second.
            let now = Date()
            if now.timeIntervalSince(state.now) >= 1, !messages.contains(where: { if case .tick = $0 { return true }; return false }) {
                messages.insert(.tick(now), at: 0)
            }
            for m in messages {
                perform(updater.update(&state, m))
                while !local.isEmpty { perform(updater.update(&state, local.removeFirst())) }
            }
        }
    }

    /// Loads a theme for the terminal's colour depth; a bad one falls back with a warning.
    func loadTheme(_ loader: ThemeLoader, _ name: String, depth: ColorDepth, warnings: inout [String]) -> Theme {
        let r = loader.load(name)
        if let w = r.warning { warnings.append(w) }
        return r.theme.adapted(to: depth)
    }
}

/// Why the dashboard could not run, in one line (the dashboard's own errors, not the database's).
public struct DashboardError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
