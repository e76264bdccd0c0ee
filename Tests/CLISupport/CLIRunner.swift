import Foundation
import Core
import Testing

/// Runs the real `agentmon` binary, as scripts do.
public struct CLIResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Killed by a signal (a trap, or the timeout).
    public var signalled = false
    public var stdoutBytes = Data()
    public var stderrBytes = Data()
    public var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    public var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

public enum CLI {
    /// `AGENTMON_BIN`, else the `agentmon` built beside the test bundle.
    public static var binary: String {
        if let b = ProcessInfo.processInfo.environment["AGENTMON_BIN"], !b.isEmpty { return b }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("agentmon").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/agentmon"
    }

    /// - Parameters: cwd: the working directory (a scratch folder, to see what a command creates);
    ///   timeout: the child is killed after this many seconds (a fuzzed command line must not hang a test).
    public static func run(_ args: [String], db: String? = nil, env: [String: String] = [:], cwd: URL? = nil,
                    timeout: Double? = nil, launcher: [String] = []) throws -> CLIResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        p.arguments = Array(launcher.dropFirst()) + (launcher.isEmpty ? [] : [binary]) + (db.map { ["--db", $0] } ?? []) + args
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        if let cwd { p.currentDirectoryURL = cwd }
        p.standardInput = FileHandle.nullDevice  // never a terminal: the dashboard refuses at once
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let watchdog = timeout.map { t in
            let pid = p.processIdentifier
            let w = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + t, execute: w)
            return w
        }
        defer { watchdog?.cancel() }
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let outData = Locked(Data())
        let done = DispatchSemaphore(value: 0)
        let outHandle = out.fileHandleForReading
        Thread { outData.with { $0 = outHandle.readDataToEndOfFile() }; done.signal() }.start()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: outData.get, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self),
                         signalled: p.terminationReason == .uncaughtSignal, stdoutBytes: outData.get, stderrBytes: errData)
    }
}


/// A clean user error: non-zero exit, exactly one line on stderr, never a trap or a backtrace.
public func expectCleanError(_ r: CLIResult, contains fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status != 0, "expected a failure: \(r.stdout)", sourceLocation: sourceLocation)
    #expect(r.stderrLines.count == 1, "one line on stderr, got: \(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.hasPrefix("agentmon: "), sourceLocation: sourceLocation)
    #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    for trap in ["Fatal error", "Backtrace", "Swift runtime failure", "Stack dump"] {
        #expect(!r.stderr.contains(trap), sourceLocation: sourceLocation)
    }
}
