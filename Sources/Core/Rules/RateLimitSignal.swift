import Foundation

/// Reads an agent's JSON output lines for the signal that a provider's rate limit stopped the run (issue 14
/// item 3), and when it resets. Two providers, four signals:
///
/// - Claude Code stream-json (`--output-format stream-json`, v2.1.45+): `{"type":"rate_limit_event",
///   "rate_limit_info":{"status":"rejected","resetsAt":1778565600,"rateLimitType":"five_hour",…}}`, `resetsAt`
///   in Unix seconds. `allowed` and `allowed_warning` are informational and ignored. Shape from public
///   recordings of the CLI's output (stream-json parsers that had to learn the event: openclaw#80528,
///   paperclip#5776, rust-code-agent-sdks#99).
/// - Claude's `result` that reports the limit: `is_error` with a text like "Claude AI usage limit
///   reached|1759593600" (older CLIs: the reset after the bar, in Unix seconds) or "You've hit your limit ·
///   resets 2pm" (newer: the time comes from the rejected event before it).
/// - Codex: a rate-limit snapshot at 100 %: `rate_limits` in exec/rollout `token_count` events
///   (`{"primary":{"used_percent":100.0,"window_minutes":300,"resets_at":1761000000}}`; older releases send
///   `resets_in_seconds`), or `rateLimits` in app-server `account/rateLimits/updated` notifications
///   (`{"primary":{"usedPercent":100,"windowDurationMins":300,"resetsAt":1761000000}}`).
/// - Codex's error: `{"type":"error","message":"You've hit your usage limit…"}` or `turn.failed` with
///   `error.message` saying so (exec --json); the reset comes from a snapshot when one was seen.
///
/// A limit without a known reset waits `fallbackWait`.
public struct RateLimitSignal: Sendable {
    public struct Limit: Sendable, Equatable {
        /// `anthropic` or `openai`: whose agents wait.
        public var provider: String
        public var resetsAt: Date?
        /// What said so, one line for the run's activity.
        public var reason: String
        public init(provider: String, resetsAt: Date?, reason: String) { self.provider = provider; self.resetsAt = resetsAt; self.reason = reason }
    }

    public private(set) var limit: Limit?
    /// The latest reset a snapshot or event announced, used by an error that names none.
    private var announcedReset: (provider: String, at: Date)?

    public static let fallbackWait: TimeInterval = 300

    public init() {}

    /// The moment the run may start again.
    public func resumeAt(now: Date) -> Date? {
        guard let limit else { return nil }
        return max(limit.resetsAt ?? now.addingTimeInterval(Self.fallbackWait), now)
    }

    public mutating func read(_ v: JSONValue, now: Date) {
        guard case .object = v else { return }
        let type = v["type"]?.stringValue ?? v["method"]?.stringValue ?? ""
        if type == "rate_limit_event", let info = v["rate_limit_info"] {
            let reset = Self.epoch(info["resetsAt"])
            if let reset { announcedReset = ("anthropic", reset) }
            if info["status"]?.stringValue == "rejected" {
                let kind = info["rateLimitType"]?.stringValue.map { " (\($0))" } ?? ""
                limit = Limit(provider: "anthropic", resetsAt: reset, reason: "Claude's rate limit was hit\(kind)")
            }
            return
        }
        if type == "result", v["is_error"]?.boolValue == true, let text = v["result"]?.stringValue, Self.saysLimit(text) {
            let reset = Self.claudeResultReset(text) ?? (announcedReset?.provider == "anthropic" ? announcedReset?.at : nil)
            // The rejected event before it says more (which window); the result only confirms it.
            limit = Limit(provider: "anthropic", resetsAt: reset ?? limit?.resetsAt, reason: limit?.reason ?? "Claude: \(Self.firstLine(text))")
            return
        }
        // Codex snapshots: anywhere in a token_count event (payload.rate_limits) or an app-server notification.
        for snapshot in [v["rate_limits"], v["payload"]?["rate_limits"], v["msg"]?["rate_limits"], v["params"]?["rateLimits"]].compactMap({ $0 }) {
            readCodexSnapshot(snapshot, now: now)
        }
        if type == "error" || type == "turn.failed" || type == "error_msg" {
            let text = v["message"]?.stringValue ?? v["error"]?["message"]?.stringValue ?? ""
            if Self.saysLimit(text) {
                let reset = announcedReset?.provider == "openai" ? announcedReset?.at : nil
                limit = Limit(provider: "openai", resetsAt: reset ?? limit?.resetsAt, reason: limit?.reason ?? "Codex: \(Self.firstLine(text))")
            }
        }
    }

    private mutating func readCodexSnapshot(_ s: JSONValue, now: Date) {
        for window in ["primary", "secondary"] {
            guard let w = s[window], case .object = w else { continue }
            let used = (w["used_percent"] ?? w["usedPercent"])?.doubleValue ?? 0
            var reset = Self.epoch(w["resets_at"] ?? w["resetsAt"])
            if reset == nil, let secs = w["resets_in_seconds"]?.doubleValue, secs.isFinite, secs >= 0, secs < 1e9 {
                reset = now.addingTimeInterval(secs)
            }
            guard used >= 100 else { continue }
            if let reset { announcedReset = ("openai", reset) }
            // The later of two exhausted windows is when the run can go on.
            let later = [reset, limit?.resetsAt].compactMap { $0 }.max()
            limit = Limit(provider: "openai", resetsAt: later, reason: "Codex's \(window) rate limit is used up (100 %)")
        }
    }

    static func saysLimit(_ text: String) -> Bool {
        let t = text.lowercased()
        return t.contains("usage limit") || t.contains("rate limit") || t.contains("hit your limit") || t.contains("rate_limit")
    }

    /// "Claude AI usage limit reached|1759593600": the reset after the bar.
    static func claudeResultReset(_ text: String) -> Date? {
        guard let bar = text.lastIndex(of: "|") else { return nil }
        return epoch(.number(Double(text[text.index(after: bar)...].trimmingCharacters(in: .whitespaces)) ?? -1))
    }

    /// Unix seconds (or milliseconds, when the number is that large), within reason; anything else is nil.
    static func epoch(_ v: JSONValue?) -> Date? {
        guard var n = v?.doubleValue ?? v?.stringValue.flatMap(Double.init), n.isFinite, n > 0 else { return nil }
        if n > 1e12 { n /= 1000 }
        guard n > 1e9, n < 1e10 else { return nil }  // 2001 … 2286
        return Date(timeIntervalSince1970: n)
    }

    static func firstLine(_ s: String) -> String {
        String(s.split(whereSeparator: \.isNewline).first?.prefix(200) ?? "")
    }
}

/// Whose rate limit an agent is under: the provider its program talks to, from the program's name (or the
/// agent's `metadata.provider`, for a wrapper with another name). nil: none known, only the agent waits.
public enum Providers {
    public static func of(_ agent: Agent) -> String? {
        if let p = agent.metadata["provider"]?.stringValue, !p.isEmpty { return p }
        let program = PathText.lastComponent(of: agent.binaryPath).lowercased()
        switch program {
        case "claude", "claude-code": return "anthropic"
        case "codex": return "openai"
        case "gemini": return "google"
        default: return nil
        }
    }
}
