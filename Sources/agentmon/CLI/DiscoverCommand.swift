import Foundation
import ArgumentParser
import Core
import Storage
import Discovery

/// `agentmon discover`: the user's agents and tools found on PATH, and registering them.
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "Find known agents and tools on PATH; --register adds those not yet registered.",
        discussion: """
            Looks for \(DiscoveryRules.known.map { $0.name }.joined(separator: ", ")). Each one found is asked only for --version \
            (and a tool for --help, whose subcommand list becomes capabilities when it is unambiguous), without a shell, \
            with a \(Int(Discovery.timeout)) s timeout; one that hangs or prints garbage is skipped with a note.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Register what was found and is not yet registered; update the version of what is.") var register = false
    @Flag(help: "Print JSON: name, path, version, preset, tool_type, skipped, subcommands, registered.") var json = false

    func run() throws {
        let found = Discovery.scan(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? LaunchPlanPath.minimal)
        var outcome: [String: String] = [:]
        if register {
            let store = try global.openStore()
            defer { store.close() }
            for r in try Discovery.register(found, store: store) {
                switch r {
                case .registered(let a, let n): outcome[a.slug] = "registered" + (n > 0 ? " with \(n) capabilit\(n == 1 ? "y" : "ies")" : "")
                case .updated(let a): outcome[a.slug] = "updated"
                }
            }
        }
        if json {
            JSONOutput.print(.array(found.map { f in
                .object(["name": .string(f.known.name), "path": .string(f.path), "version": f.version.map(JSONValue.string) ?? .null,
                         "preset": f.known.preset.map(JSONValue.string) ?? .null, "tool_type": .string(f.known.toolType.rawValue),
                         "skipped": f.skipped.map(JSONValue.string) ?? .null,
                         "subcommands": .array(f.subcommands.keys.sorted().map(JSONValue.string)),
                         "registered": outcome[f.known.name].map(JSONValue.string) ?? .null])
            }))
            return
        }
        if found.isEmpty { Console.line("no known agent or tool found on PATH"); return }
        TextTable.print(header: ["NAME", "VERSION", "PRESET", "PATH", "NOTE"], rows: found.map { f in
            [f.known.name, f.version ?? "-", f.known.preset ?? "-", f.path,
             f.skipped.map { "skipped: \($0)" } ?? outcome[f.known.name] ?? (f.subcommands.isEmpty ? "" : "\(f.subcommands.count) subcommands")]
        })
        if !register, found.contains(where: \.usable) { Console.line("run 'agentmon discover --register' to add them") }
    }
}

/// The PATH used when the environment has none.
enum LaunchPlanPath { static let minimal = "/usr/bin:/bin" }
