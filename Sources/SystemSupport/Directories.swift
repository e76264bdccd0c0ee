// `mkdir -p` with a mode and the system's own reason on failure (Foundation's messages name no cause).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Directories {
    /// Creates `dir` and every missing parent, each new level with `mode` (existing levels are left as
    /// they are). A relative `dir` is taken from the current directory. The error names the level that
    /// could not be made.
    public static func create(_ dir: String, mode: mode_t = 0o700) throws(SystemError) {
        var path = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            path += "/" + part
            if mkdir(path, mode) != 0 && errno != EEXIST { throw SystemError(path: path, code: errno) }
        }
    }
}
