import Foundation
import TOMLKit

/// The user's configuration: `$XDG_CONFIG_HOME/agentmon/config.toml` (theme, poll interval) and a keys file
/// (`keys.toml`, a `[keys]` table of action = ["key", ...]). A bad file is a one-line warning, never a crash.
public struct DashboardConfig: Sendable, Equatable {
    public var theme = "default"
    public var pollIntervalMs = 250
    public var keyOverrides: [String: [String]] = [:]
    public var warnings: [String] = []

    public init() {}

    public static func configFolder(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/agentmon"
    }

    public static func load(folder: String = configFolder()) -> DashboardConfig {
        var c = DashboardConfig()
        let configPath = folder + "/config.toml"
        var keysPath = folder + "/keys.toml"
        if let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
            do {
                let t = try TOMLTable(string: text)
                if let theme = t["theme"]?.string { c.theme = theme }
                if let poll = t["poll_interval_ms"]?.int { c.pollIntervalMs = max(50, min(poll, 10_000)) }
                if let keys = t["keys_file"]?.string { keysPath = (keys as NSString).expandingTildeInPath }
                if let inline = t["keys"]?.table { c.keyOverrides.merge(Self.keyTable(inline), uniquingKeysWith: { $1 }) }
            } catch {
                c.warnings.append("config \(configPath) ignored: \(Self.oneLine(error))")
            }
        }
        if let text = try? String(contentsOfFile: keysPath, encoding: .utf8) {
            do {
                let t = try TOMLTable(string: text)
                let table = t["keys"]?.table ?? t
                c.keyOverrides.merge(Self.keyTable(table), uniquingKeysWith: { $1 })
            } catch {
                c.warnings.append("keys file \(keysPath) ignored: \(Self.oneLine(error))")
            }
        }
        return c
    }

    static func keyTable(_ t: TOMLTable) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (k, v) in t {
            if let s = v.string { out[k] = [s] }
            else if let a = v.array { out[k] = a.compactMap { $0.string } }
        }
        return out
    }

    static func oneLine(_ e: Error) -> String {
        "\(e)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
