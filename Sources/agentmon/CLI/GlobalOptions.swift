import Foundation
import ArgumentParser
import Storage

/// Options every command takes. `--db` may stand anywhere on the command line (see ArgumentNormalizer).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file path or PostgreSQL URL / key=value string (default: $DATABASE_URL, else $XDG_DATA_HOME/agentmon/agentmon.db).")
    var db: String?

    var connection: String { get throws { try ConnectionString.resolve(flag: db) } }

    /// A store ready to use: validated and migrated.
    func openStore() throws -> Store { try Store.open(try connection) }

    /// The raw database, neither validated nor migrated (for `db` commands).
    func openDatabase() throws -> Database { try DatabaseOpener.open(try connection) }
}

/// A user error the CLI words itself. Described by its message, also when ArgumentParser wraps it (thrown
/// from `validate()`).
struct CLIError: Error, CustomStringConvertible, LocalizedError {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
    var errorDescription: String? { message }
}

/// ArgumentParser reads a parent's options only before the subcommand name; users type global options
/// anywhere (`agentmon --db x task list`). Moving them to the end lets every leaf command parse them.
enum ArgumentNormalizer {
    static let globalOptions = ["--db"]

    static func normalize(_ args: [String]) -> [String] {
        moveGlobals(commandTokens(args))
    }

    /// `capability add --command git log --oneline --timeout 30`: the tokens after `--command` run up to the
    /// next option of `capability add`, even when they start with dashes themselves. Each becomes
    /// `--command=TOKEN`, which ArgumentParser takes literally.
    static let capabilityOptions: Set<String> = ["--agent", "--key", "--label", "--prompt", "--requires-approval", "--danger",
                                                 "--timeout", "--max-output-bytes", "--json", "--db", "--help", "-h", "--command"]
    static func commandTokens(_ args: [String]) -> [String] {
        guard let cap = args.firstIndex(of: "capability"), args.dropFirst(cap + 1).first == "add" else { return args }
        var out: [String] = [], i = 0
        while i < args.count {
            if args[i] == "--command", i > cap {
                i += 1
                while i < args.count, !capabilityOptions.contains(args[i]),
                      !capabilityOptions.contains(where: { args[i].hasPrefix($0 + "=") }) {
                    out.append("--command=" + args[i]); i += 1
                }
                continue
            }
            out.append(args[i]); i += 1
        }
        return out
    }

    static func moveGlobals(_ args: [String]) -> [String] {
        var rest: [String] = [], globals: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" { rest += args[i...]; break }
            if globalOptions.contains(a), i + 1 < args.count {
                globals += [a, args[i + 1]]; i += 2; continue
            }
            if globalOptions.contains(where: { a.hasPrefix($0 + "=") }) { globals.append(a); i += 1; continue }
            rest.append(a); i += 1
        }
        if let dashes = rest.firstIndex(of: "--") { rest.insert(contentsOf: globals, at: dashes); return rest }
        return rest + globals
    }
}
