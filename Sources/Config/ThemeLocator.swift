import Foundation
import Render
import SystemSupport

/// Where the bundled `themes/` folder is: `$AGENTMON_THEMES`, beside the binary, an installed
/// `share/agentmon/themes`, or the source tree the binary was built in (for `swift run`).
public enum ThemeLocator {
    public static func bundledDirectory(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        func ok(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/default.toml") }
        if let d = env["AGENTMON_THEMES"], ok(d) { return d }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates = [exe.appendingPathComponent("themes").path,
                          exe.deletingLastPathComponent().appendingPathComponent("share/agentmon/themes").path]
        var dir = exe
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("themes").path)
        }
        candidates.append(fm.currentDirectoryPath + "/themes")
        return candidates.first(where: ok)
    }

    public static func loader() -> ThemeLoader { ThemeLoader(bundledDirectory: bundledDirectory()) }
}
