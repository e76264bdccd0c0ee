import Foundation
import Core
import Render
import SystemSupport

/// The user's configuration: `$XDG_CONFIG_HOME/agentmon/config.toml` (theme, poll interval, `[notify]`) and a keys file
/// (`keys.toml`, a `[keys]` table of action = ["key", ...]). A bad file is a one-line warning naming the file
/// and line (`config.toml:3: expected '=' after a key, found '!'; using defaults`), never a crash or a hang:
/// files are read through `ConfigFile` (regular files only, size-limited) and parsed by Core's TOML parser.
public struct DashboardConfig: Sendable, Equatable {
    public var theme = "default"
    public var pollIntervalMs = 250
    public var keyOverrides: [String: [String]] = [:]
    /// `[notify]`: how the dashboard tells the user that something needs them or a run ended.
    public var notify = Notify()
    /// `[sync]`: importing the agents' own sessions in the background while the dashboard runs.
    public var sync = Sync()
    public var warnings: [String] = []

    /// `[sync]`: `enabled` (on by default) and `interval_ms`, how often folders are looked at when inotify says
    /// nothing (the only trigger where inotify is unavailable); 200…60,000, by default 2,000.
    public struct Sync: Sendable, Equatable {
        public var enabled = true
        public var intervalMs = 2000
        public init(enabled: Bool = true, intervalMs: Int = 2000) { self.enabled = enabled; self.intervalMs = intervalMs }
    }

    /// `[notify]`: `bell` (on by default), `command` (an argv run with the event as JSON on stdin, never a
    /// shell) and `desktop` (OSC 777 / OSC 9 notifications written by the dashboard itself).
    public struct Notify: Sendable, Equatable {
        public var bell = true
        public var command: [String]?
        public var desktop = false
        public init(bell: Bool = true, command: [String]? = nil, desktop: Bool = false) {
            self.bell = bell; self.command = command; self.desktop = desktop
        }
    }

    public init() {}

    /// `$XDG_CONFIG_HOME/agentmon`, else `~/.config/agentmon` (the one XDG rule, `AppPaths`).
    public static func configFolder(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        AppPaths.configFolder(environment: env)
    }

    public static func load(folder: String = configFolder()) -> DashboardConfig {
        var c = DashboardConfig()
        var keysPath = folder + "/keys.toml", keysShown = "keys.toml", keysExplicit = false
        if let t = c.table(at: folder + "/config.toml", shown: "config.toml", missingIsFine: true) {
            func wrongType(_ key: String, _ want: String) {
                guard let v = t[key] else { return }
                c.warn("config.toml", t.line(of: key), "\(key) must be \(want), not \(v.typeName); using the default")
            }
            if let theme = t["theme"]?.string { c.theme = theme } else { wrongType("theme", "a string") }
            if let poll = t["poll_interval_ms"]?.integer { c.pollIntervalMs = Int(max(50, min(poll, 10_000))) }
            else { wrongType("poll_interval_ms", "an integer") }
            if let keys = t["keys_file"]?.string {
                keysPath = (keys as NSString).expandingTildeInPath; keysShown = keys; keysExplicit = true
            } else { wrongType("keys_file", "a string") }
            if let inline = t["keys"]?.table { c.keyOverrides.merge(c.keyTable(inline, shown: "config.toml"), uniquingKeysWith: { $1 }) }
            else { wrongType("keys", "a table") }
            if let n = t["notify"]?.table { c.notify = c.notifyTable(n) } else { wrongType("notify", "a table") }
            if let n = t["sync"]?.table { c.sync = c.syncTable(n) } else { wrongType("sync", "a table") }
        }
        if let t = c.table(at: keysPath, shown: keysShown, missingIsFine: !keysExplicit) {
            let table = t["keys"]?.table ?? t
            c.keyOverrides.merge(c.keyTable(table, shown: keysShown), uniquingKeysWith: { $1 })
        }
        return c
    }

    /// The file's table; nil (with a warning, unless a missing file is fine) when it cannot be read or parsed.
    mutating func table(at path: String, shown: String, missingIsFine: Bool) -> TOMLTable? {
        do {
            let bytes = try ConfigFile.read(path)
            do { return try TOML.parse(bytes: bytes) } catch { warn(shown, error.line, "\(error.message); using defaults") }
        } catch .missing {
            if !missingIsFine { warn(shown, nil, "not found; using defaults") }
        } catch {
            warn(shown, nil, "\(error); using defaults")
        }
        return nil
    }

    /// `[notify]`: each key of the wrong type is a warning and keeps its default; unknown keys are ignored.
    mutating func notifyTable(_ t: TOMLTable) -> Notify {
        var n = Notify()
        if let b = t["bell"]?.bool { n.bell = b } else { wrongType(t, "notify", "bell", "true or false") }
        if let b = t["desktop"]?.bool { n.desktop = b } else { wrongType(t, "notify", "desktop", "true or false") }
        if let v = t["command"] {
            let argv = v.array?.compactMap(\.string)
            if let argv, argv.count == v.array?.count, let first = argv.first, !first.isEmpty {
                n.command = argv
            } else {
                warn("config.toml", t.line(of: "command"),
                     "notify.command must be a non-empty list of strings (a program and its arguments); no command is run")
            }
        }
        return n
    }

    /// `[sync]`: a key of the wrong type is a warning and keeps its default; unknown keys are ignored.
    mutating func syncTable(_ t: TOMLTable) -> Sync {
        var s = Sync()
        if let b = t["enabled"]?.bool { s.enabled = b } else { wrongType(t, "sync", "enabled", "true or false") }
        if let ms = t["interval_ms"]?.integer { s.intervalMs = Int(max(200, min(ms, 60_000))) }
        else { wrongType(t, "sync", "interval_ms", "an integer") }
        return s
    }

    /// A key of a config.toml table that is there with the wrong type: a warning (its default is kept).
    mutating func wrongType(_ t: TOMLTable, _ table: String, _ key: String, _ want: String) {
        guard let v = t[key] else { return }
        warn("config.toml", t.line(of: key), "\(table).\(key) must be \(want), not \(v.typeName); using the default")
    }

    /// `action = "key"` or `action = ["key", …]`; anything else is a warning and is skipped.
    mutating func keyTable(_ t: TOMLTable, shown: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (k, v) in t {
            if let s = v.string { out[k] = [s]; continue }
            let names = v.array?.compactMap(\.string)
            guard let names, names.count == v.array?.count else {
                warn(shown, t.line(of: k), "\(TOML.show(key: [k])) must be a key name or a list of key names; ignored")
                continue
            }
            out[k] = names
        }
        return out
    }

    /// One line: `file:line: problem`, sanitised (names in it come from the file).
    mutating func warn(_ file: String, _ line: Int?, _ problem: String) {
        let at = line.map { "\(file):\($0)" } ?? file
        warnings.append(Sanitizer.plain("\(at)\(line == nil ? " " : ": ")\(problem)"))
    }
}
