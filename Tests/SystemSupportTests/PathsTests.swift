import Foundation
import Testing
import SystemSupport

/// One XDG rule for every folder: an absolute `XDG_*` value is used; an empty or relative one is
/// ignored, as the XDG Base Directory spec says, and the default under $HOME applies.
@Suite("XDG paths") struct PathsTests {
    @Test("an absolute XDG value is used")
    func absolute() {
        let env = ["XDG_CONFIG_HOME": "/x/cfg", "XDG_DATA_HOME": "/x/data", "HOME": "/h"]
        #expect(AppPaths.configHome(environment: env) == "/x/cfg")
        #expect(AppPaths.dataHome(environment: env) == "/x/data")
        #expect(AppPaths.configFolder(environment: env) == "/x/cfg/agentmon")
        #expect(AppPaths.themesFolder(environment: env) == "/x/cfg/agentmon/themes")
        #expect(AppPaths.databaseFile(environment: env) == "/x/data/agentmon/agentmon.db")
        #expect(AppPaths.logsFolder(environment: env) == "/x/data/agentmon/logs")
    }

    @Test("a relative or empty XDG value is ignored", arguments: ["", "relative/dir", "./cfg", "~/cfg"])
    func ignored(value: String) {
        let env = ["XDG_CONFIG_HOME": value, "XDG_DATA_HOME": value, "HOME": "/h"]
        #expect(AppPaths.configHome(environment: env) == "/h/.config")
        #expect(AppPaths.dataHome(environment: env) == "/h/.local/share")
        // Themes and config.toml / keys.toml always share one folder.
        #expect(AppPaths.themesFolder(environment: env) == AppPaths.configFolder(environment: env) + "/themes")
        #expect(AppPaths.databaseFile(environment: env) == "/h/.local/share/agentmon/agentmon.db")
        #expect(AppPaths.logsFolder(environment: env) == "/h/.local/share/agentmon/logs")
    }

    @Test("unset XDG values fall back to $HOME, and an empty $HOME to the account's home")
    func unset() {
        #expect(AppPaths.configHome(environment: ["HOME": "/h"]) == "/h/.config")
        #expect(AppPaths.dataHome(environment: ["HOME": "/h"]) == "/h/.local/share")
        #expect(AppPaths.dataHome(environment: ["HOME": ""]) == NSHomeDirectory() + "/.local/share")
    }

    @Test("mkdir -p makes every level with the mode and names the level that failed")
    func directories() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("agentmon-mkdir-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try Directories.create(base + "/a/b", mode: 0o700)
        let attrs = try FileManager.default.attributesOfItem(atPath: base + "/a/b")
        #expect((attrs[.posixPermissions] as? Int) == 0o700)
        try Directories.create(base + "/a/b")  // existing: fine
        do throws(SystemError) {
            try Directories.create("/proc/agentmon-no/x")
            Issue.record("created a folder in /proc")
        } catch {
            #expect(error.path == "/proc/agentmon-no")
            #expect(!error.reason.isEmpty)
        }
    }
}
