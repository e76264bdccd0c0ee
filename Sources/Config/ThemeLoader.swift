// Finds and loads theme files: the bundled `themes/` folder and the user's config folder.
//
// Public API:
//   struct ThemeLoader(bundledDirectory: String?, userDirectory: String?)
//     ThemeLoader.defaultUserDirectory(environment:) -> String?   (AppPaths.themesFolder: $XDG_CONFIG_HOME/agentmon/themes)
//     availableThemes() -> [String]
//     load(_ nameOrPath: String) -> ThemeLoadResult
//   struct ThemeLoadResult — theme, warning: String? (one line, for the status bar)
//
// Loading never fails: a missing or bad file gives the built-in default plus a warning naming the
// file and line (`theme nord.toml:3: syntax error: …; using the default theme`).

import Foundation
import Render
import SystemSupport

public struct ThemeLoadResult: Sendable {
    public var theme: Theme
    public var warning: String?
}

public struct ThemeLoader: Sendable {
    public var bundledDirectory: String?
    public var userDirectory: String?

    public init(bundledDirectory: String?,
                userDirectory: String? = ThemeLoader.defaultUserDirectory()) {
        self.bundledDirectory = bundledDirectory
        self.userDirectory = userDirectory
    }

    /// `$XDG_CONFIG_HOME/agentmon/themes`, else `~/.config/agentmon/themes` (the one XDG rule, `AppPaths`):
    /// always beside config.toml and keys.toml.
    public static func defaultUserDirectory(
        environment env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        AppPaths.themesFolder(environment: env)
    }

    /// Theme names found in both folders, plus "default"; sorted.
    public func availableThemes() -> [String] {
        var names: Set<String> = ["default"]
        for dir in [bundledDirectory, userDirectory].compactMap({ $0 }) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".toml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }

    /// Loads a theme by name (user folder first, so a user can override a bundled theme) or by
    /// path (anything containing "/" or ending in ".toml").
    public func load(_ nameOrPath: String) -> ThemeLoadResult {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
        if isPath { return load(path: nameOrPath, name: baseName(nameOrPath)) }
        let name = nameOrPath
        for dir in [userDirectory, bundledDirectory].compactMap({ $0 }) {
            let path = dir + "/" + name + ".toml"
            if FileManager.default.fileExists(atPath: path) { return load(path: path, name: name) }
        }
        if name == "default" { return ThemeLoadResult(theme: .builtinDefault, warning: nil) }
        return ThemeLoadResult(theme: .builtinDefault,
                               warning: "theme '\(Sanitizer.plain(name))' not found; using the default theme")
    }

    /// Reads through `ConfigFile` (regular files only, size-limited), so no path can hang or crash the caller.
    public func load(path: String, name: String) -> ThemeLoadResult {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        func fallback(_ problem: String) -> ThemeLoadResult {
            ThemeLoadResult(theme: .builtinDefault, warning: Sanitizer.plain("theme \(problem); using the default theme"))
        }
        let bytes: [UInt8]
        do { bytes = try ConfigFile.read(path) } catch { return fallback("\(file) \(error)") }
        do {
            let (theme, notes) = try Theme.parse(bytes: bytes, name: name)
            let warning = notes.isEmpty ? nil : "theme \(file): " + notes.prefix(3).joined(separator: ", ")
            return ThemeLoadResult(theme: theme, warning: warning.map { Sanitizer.plain($0) })
        } catch {
            return fallback("\(file)\(error.line.map { ":\($0)" } ?? ""): \(error.message)")
        }
    }

    private func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".toml") ? String(file.dropLast(5)) : file
    }
}
