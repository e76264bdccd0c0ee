import Foundation
import Core

/// Which notifications are on (from `[notify]` in config.toml; the app sets it at start). All off by default
/// here, so a state made without a config (tests, the benchmark) never asks for them.
public struct NotifySettings: Sendable, Equatable {
    public var bell: Bool
    /// A `[notify] command` is configured: each event goes to it as JSON.
    public var command: Bool
    /// The dashboard writes OSC 777 / OSC 9 desktop notifications itself.
    public var desktop: Bool
    public init(bell: Bool = false, command: Bool = false, desktop: Bool = false) {
        self.bell = bell; self.command = command; self.desktop = desktop
    }
    /// Anything to do at all; when false, nothing is watched and no effect is made.
    public var any: Bool { bell || command || desktop }
}

/// Something the user should hear about: an item entered the inbox, or a run ended.
public struct NotifyEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// A pending tool-call confirmation or a queued run waiting for approval.
        case needsInput = "needs_input"
        /// A run succeeded.
        case finished
        /// A run failed, timed out or was cancelled.
        case failed
    }
    public var kind: Kind
    public var executionId: ID?
    public var taskId: ID?
    public var agent: String
    public var tool: String?
    /// One line, at most `summaryLimit` characters.
    public var summary: String

    public static let summaryLimit = 200

    public init(kind: Kind, executionId: ID?, taskId: ID?, agent: String, tool: String?, summary: String) {
        self.kind = kind; self.executionId = executionId; self.taskId = taskId; self.agent = agent; self.tool = tool
        self.summary = Self.oneLine(summary, limit: Self.summaryLimit)
    }

    /// The object a `[notify] command` reads on stdin (one line, keys in a fixed order).
    public var json: String {
        func str(_ s: String?) -> String { s.map(Self.jsonString) ?? "null" }
        func num(_ n: ID?) -> String { n.map { String($0) } ?? "null" }
        return "{\"event\":\(str(kind.rawValue)),\"execution\":\(num(executionId)),\"task\":\(num(taskId)),"
            + "\"agent\":\(str(agent)),\"tool\":\(str(tool)),\"summary\":\(str(summary))}"
    }

    /// What a desktop notification shows.
    public var title: String {
        switch kind {
        case .needsInput: "agentmon: \(agent) needs input"
        case .finished: "agentmon: \(agent) finished"
        case .failed: "agentmon: \(agent) failed"
        }
    }
    public var body: String {
        var parts: [String] = []
        if let executionId { parts.append("#\(executionId)") }
        if let tool { parts.append(tool) }
        return (parts.isEmpty ? "" : parts.joined(separator: " ") + ": ") + summary
    }

    /// A JSON string literal: quotes, backslashes and every control character escaped.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029:
                out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// Whitespace runs (newlines too) become one space; the rest is cut to `limit` characters with an ellipsis.
    static func oneLine(_ s: String, limit: Int) -> String {
        let words = s.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let one = words.joined(separator: " ")
        return one.count > limit ? String(one.prefix(limit - 1)) + "…" : one
    }
}

/// Desktop notifications the terminal shows: OSC 777 (`ESC ] 777 ; notify ; TITLE ; BODY BEL`, rxvt, foot,
/// WezTerm, Ghostty…) and OSC 9 (`ESC ] 9 ; BODY BEL`, iTerm2, Windows Terminal, kitty…). The text is the
/// agents' (untrusted): no control character survives, and nothing can end the sequence early.
public enum DesktopNotification {
    public static let limit = 200

    /// Both sequences for one event, to be written between frames.
    public static func bytes(title: String, body: String) -> [UInt8] {
        let t = sanitize(title, allowSemicolon: false), b = sanitize(body, allowSemicolon: true)
        // OSC 777 splits its fields at ';': the body is the last field, the title is not.
        let osc777 = "\u{1B}]777;notify;\(t);\(b)\u{07}"
        let osc9 = "\u{1B}]9;\(t.isEmpty ? b : (b.isEmpty ? t : t + ": " + b))\u{07}"
        return Array(osc777.utf8) + Array(osc9.utf8)
    }

    /// Printable text only: C0, DEL, C1, bidi controls and other format characters are dropped or (whitespace)
    /// become one space; `;` becomes `,` where it would split a field; at most `limit` characters.
    public static func sanitize(_ s: String, allowSemicolon: Bool) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || u.properties.isWhitespace {
                // A tab or newline separates words; other controls (ESC, BEL) vanish.
                if u.properties.isWhitespace || v == 0x09 || v == 0x0A || v == 0x0D { space = true }
                continue
            }
            if u.properties.generalCategory == .format || (0xFFF9...0xFFFB).contains(v) { continue }  // bidi, zero-width, interlinear
            if space, !out.isEmpty { out.append(" ") }
            space = false
            out.append(!allowSemicolon && u == ";" ? "," : u)
        }
        let text = String(out)
        return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}

/// What the pure update remembers to tell new things from old: the inbox items and runs it has seen.
/// The first load of each is the baseline (nothing in it is announced); memory stays bounded by what is
/// currently waiting or running.
public struct NotifyState: Sendable, Equatable {
    public var settings = NotifySettings()
    /// The inbox as last loaded (nil until the first load, the baseline).
    public var seenInbox: Set<InboxRef>?
    /// Runs seen before they ended (announced when they end). Nil until the first run watch, the baseline.
    public var watching: Set<ID>?
    /// The highest run id seen: a run above it that is already over when first seen is new (it started and ended
    /// between two looks) and is announced too.
    public var highestRun: ID = 0
    public init() {}

    /// At most this many runs are watched (the oldest are dropped first).
    public static let watchLimit = 4096
    /// At most this many events are announced per load; the bell rings once per load however many there are.
    public static let burstLimit = 10
}

/// The answer to `Effect.watchRuns`: the runs not yet over, the newest runs, and the watched runs that ended
/// (with their names); `gone` are watched ids no longer in the database.
public struct RunWatch: Sendable, Equatable {
    public var runs: [ExecutionSummary]
    public var gone: [ID]
    public init(runs: [ExecutionSummary], gone: [ID] = []) { self.runs = runs; self.gone = gone }
}

/// For an inbox confirmation: the run and task of its session (the notification names them).
public struct InboxLink: Sendable, Equatable {
    public var executionId: ID?
    public var taskId: ID?
    public init(executionId: ID?, taskId: ID?) { self.executionId = executionId; self.taskId = taskId }
}
