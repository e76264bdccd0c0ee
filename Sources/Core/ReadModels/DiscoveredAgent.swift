/// One program `D` on the agents screen (and `agentmon discover`) found on PATH, as the dashboard shows it.
public struct DiscoveredAgent: Sendable, Equatable {
    public var name: String
    public var path: String
    /// `--version`'s first line; nil when it was skipped.
    public var version: String?
    /// Why it was skipped (a hang, garbage), when it was.
    public var skipped: String?
    public var preset: String?
    /// Already an agent under this slug (a registration only updates its version).
    public var registered: Bool
    public init(name: String, path: String, version: String?, skipped: String?, preset: String?, registered: Bool) {
        self.name = name; self.path = path; self.version = version; self.skipped = skipped; self.preset = preset
        self.registered = registered
    }
    /// Registering would add it.
    public var isNew: Bool { version != nil && !registered }
}
