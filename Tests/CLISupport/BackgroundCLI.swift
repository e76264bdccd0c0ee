import Foundation

/// Polls every 20 ms for at most `timeout` seconds.
public func pollUntil(_ timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// The binary started in the background (a worker, a follower), its output in files.
public final class BackgroundCLI {
    public let process = Process()
    private let out: URL, err: URL

    public convenience init(_ args: [String], db: CLIDatabase, env: [String: String] = [:]) throws {
        try self.init(args, url: db.url, dir: db.dir, env: env)
    }

    /// `agentmon --db URL ARGS…`, its output in files in `dir`.
    public init(_ args: [String], url: String, dir: URL, env: [String: String] = [:]) throws {
        out = dir.appendingPathComponent("bg-\(UUID().uuidString).out")
        err = dir.appendingPathComponent("bg-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["--db", url] + args
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
    }

    public var stdout: [UInt8] { Array((try? Data(contentsOf: out)) ?? Data()) }
    public var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

    /// The exit status, or nil if it did not exit within `timeout` (then it is killed).
    public func wait(timeout: Double) -> Int32? {
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < end { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return nil }
        return process.terminationStatus
    }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Ends it if it still runs (a stopped one is continued first, so SIGTERM reaches it).
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        process.terminate()
        process.waitUntilExit()
    }

    /// `agentmon worker --id ID` with its log folder in `dir` (its activity lines are on stderr).
    public static func worker(url: String, dir: URL, id: String, _ extra: [String] = []) throws -> BackgroundCLI {
        try BackgroundCLI(["worker", "--id", id, "--log-dir", dir.appendingPathComponent("logs").path] + extra, url: url, dir: dir)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}
