import Foundation
import ArgumentParser
import Storage

// Entry point: every error a user can cause becomes one line on stderr and a non-zero exit.
let arguments = ArgumentNormalizer.normalize(Array(CommandLine.arguments.dropFirst()))
do {
    var command = try Agentmon.parseAsRoot(arguments)
    try command.run()
    fflush(nil)
} catch {
    fflush(nil)
    let code = Agentmon.exitCode(for: error)
    if code == .success {
        Agentmon.exit(withError: error)  // --help, --version: ArgumentParser prints them
    }
    let message: String
    switch error {
    case let e as StorageError: message = e.description
    case let e as CLIError: message = e.message
    default: message = Agentmon.message(for: error)
    }
    let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    FileHandle.standardError.write(Data("agentmon: \(line)\n".utf8))
    exit(code == .validationFailure ? 64 : 1)
}
