import Foundation
import ArgumentParser
import Storage

/// How a failure of `agentmon` reads: one sanitised line `agentmon: …` and an exit status. main.swift and the
/// in-process fuzz tests share it, so what the tests check is what users see.
enum ErrorReport {
    /// nil for `--help` and `--version`, which ArgumentParser prints itself.
    static func report(_ error: Error) -> (line: String, status: Int32)? {
        let code = Agentmon.exitCode(for: error)
        if code == .success { return nil }
        let message: String
        switch error {
        case let e as StorageError: message = e.description
        case let e as CLIError: message = e.message
        default: message = Agentmon.message(for: error)
        }
        return (Console.errorLine(message.isEmpty ? "failed (\(error))" : message), code == .validationFailure ? 64 : 1)
    }
}
