import Foundation
import Core
import Storage
import SystemSupport

/// Finds the user's agents and tools on PATH (`agentmon discover`, `D` on the agents screen): runs only
/// `--version` (and `--help` for tools), by argv with no shell, with a 2 s timeout, stdin from /dev/null, a
/// minimal environment and output capped; what hangs or prints garbage is skipped with a note. Nothing here
/// touches the network.
public enum Discovery {
    public static let timeout = 2.0

    public struct Found: Sendable, Equatable {
        public let known: DiscoveryRules.Known
        public let path: String
        /// `--version`'s first line; nil when skipped.
        public let version: String?
        /// Why it is skipped (a hang, garbage, a failure), when it is.
        public let skipped: String?
        /// A tool's subcommands from its `--help` (`scan_help`), when unambiguous.
        public let subcommands: [String: String]
        public var usable: Bool { version != nil }
    }

    /// Every known name found on `searchPath`, in the catalogue's order.
    public static func scan(searchPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [Found] {
        // Only what a version banner may need to find its own files: no credentials reach these programs.
        let env = environment.filter { ["HOME", "PATH", "LANG", "LC_ALL", "TMPDIR"].contains($0.key) }.merging(["NO_COLOR": "1"]) { $1 }
        return DiscoveryRules.known.compactMap { k in
            guard let path = Subprocess.find(k.name, searchPath: searchPath) else { return nil }
            let v = Subprocess.run(path, [k.name, "--version"], environment: env, timeout: timeout, maxBytes: 64 * 1024)
            if v.timedOut { return Found(known: k, path: path, version: nil, skipped: "--version did not finish within \(Int(timeout)) s", subcommands: [:]) }
            switch DiscoveryRules.version(fromOutput: v.output, status: v.status) {
            case .failure(let why):
                return Found(known: k, path: path, version: nil, skipped: why.description, subcommands: [:])
            case .success(let version):
                var subs: [String: String] = [:]
                if k.toolType == .cliTool {
                    let h = Subprocess.run(path, [k.name, "--help"], environment: env, timeout: timeout, maxBytes: 256 * 1024)
                    if !h.timedOut { for (n, d) in DiscoveryRules.subcommands(fromHelp: h.output) { subs[n] = d } }
                }
                return Found(known: k, path: path, version: version, skipped: nil, subcommands: subs)
            }
        }
    }

    public enum Registration: Sendable, Equatable {
        case registered(Agent, capabilities: Int)
        /// Already registered under this slug: version and last scan updated.
        case updated(Agent)
    }

    /// Registers what is usable and not yet registered (a preset when one applies, else a plain agent found by
    /// path scan, with `scan_help` capabilities); an agent already there gets its version and scan time updated.
    public static func register(_ found: [Found], store: Store) throws -> [Registration] {
        try found.filter(\.usable).map { f in
            if let existing = try store.agents.find(slug: f.known.name) {
                try store.agents.updateVersion(existing.id, f.version)
                return .updated(try store.agents.get(existing.id))
            }
            var caps: [Capability]
            var agent: Agent
            if let name = f.known.preset, let preset = AgentPresets.all.first(where: { $0.name == name }) {
                agent = preset.agent(slug: f.known.name, binaryPath: f.path)
                caps = preset.capabilities
            } else {
                agent = Agent(slug: f.known.name, name: f.known.displayName, kind: .builtin, toolType: f.known.toolType, binaryPath: f.path,
                              discoveryMethod: .pathScan)
                caps = f.subcommands.sorted { $0.key < $1.key }.map { name, summary in
                    Capability(agentId: 0, key: name, label: String(summary.prefix(80)), source: .scanHelp, mode: .template, commandTokens: [name])
                }
            }
            agent.version = f.version
            return try store.db.transaction {
                let made = try store.agents.create(agent)
                for var c in caps { c.agentId = made.id; _ = try store.agents.addCapability(c) }
                try store.agents.updateVersion(made.id, f.version)
                return .registered(try store.agents.get(made.id), capabilities: caps.count)
            }
        }
    }
}
