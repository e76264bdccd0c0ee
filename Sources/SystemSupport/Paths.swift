// Where agentmon keeps its files, by the XDG Base Directory rule — the one resolver every module uses
// (database, worker logs, config.toml, keys.toml, themes).
//
// Public API:
//   AppPaths.dataHome / configHome(environment:)        — $XDG_DATA_HOME / $XDG_CONFIG_HOME or the defaults
//   AppPaths.dataFolder / configFolder / themesFolder / logsFolder / databaseFile(environment:)
//   AppPaths.home(_:)                                   — $HOME, else the account's home directory
//
// The rule (XDG spec): an `XDG_*` value is used only when it is an absolute path; an empty or relative
// one is ignored, and the default under $HOME applies ($HOME/.local/share, $HOME/.config). An unset or
// empty $HOME falls back to the account's home directory.

import Foundation

public enum AppPaths {
    public typealias Environment = [String: String]

    public static func dataHome(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        base("XDG_DATA_HOME", default: ".local/share", env)
    }

    public static func configHome(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        base("XDG_CONFIG_HOME", default: ".config", env)
    }

    /// `<data home>/agentmon`
    public static func dataFolder(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        dataHome(environment: env) + "/agentmon"
    }

    /// `<config home>/agentmon`: config.toml, keys.toml, themes/
    public static func configFolder(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        configHome(environment: env) + "/agentmon"
    }

    /// `<config home>/agentmon/themes`
    public static func themesFolder(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        configFolder(environment: env) + "/themes"
    }

    /// `<data home>/agentmon/logs`: the worker's log files.
    public static func logsFolder(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        dataFolder(environment: env) + "/logs"
    }

    /// `<data home>/agentmon/agentmon.db`: the default SQLite database.
    public static func databaseFile(environment env: Environment = ProcessInfo.processInfo.environment) -> String {
        dataFolder(environment: env) + "/agentmon.db"
    }

    private static func base(_ variable: String, default relative: String, _ env: Environment) -> String {
        if let v = env[variable], v.hasPrefix("/") { return v }
        return home(env) + "/" + relative
    }

    /// $HOME, else the account's home directory.
    public static func home(_ env: Environment = ProcessInfo.processInfo.environment) -> String {
        if let h = env["HOME"], !h.isEmpty { return h }
        return NSHomeDirectory()
    }
}
