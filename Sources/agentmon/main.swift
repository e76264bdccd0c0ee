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
    guard let report = ErrorReport.report(error) else {
        Agentmon.exit(withError: error)  // --help, --version: ArgumentParser prints them
    }
    FileHandle.standardError.write(Data((report.line + "\n").utf8))
    exit(report.status)
}
