import Foundation
import Core

/// A one-line popup that edits one text field of something already there (`R` renames a session, `e` in
/// the capability popup edits its label): what it edits, its title, and the line as typed.
public struct TextPrompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case renameSession(ID)
        case capabilityLabel(ID)
    }
    public var purpose: Purpose
    public var title: String
    public var label: String
    public var note: String
    public var editor: LineEditor
    public init(_ purpose: Purpose, title: String, label: String, note: String, text: String) {
        self.purpose = purpose; self.title = title; self.label = label; self.note = note; self.editor = LineEditor(text)
    }
}

/// What goes with a capability when it is removed (`capability remove --force` in the CLI).
public struct CapabilityRemoval: Sendable, Equatable {
    public var capabilityId: ID
    /// `agent:key`, as the CLI names it.
    public var name: String
    public var executions: Int
    public var running: Int
    public init(capabilityId: ID, name: String, executions: Int, running: Int) {
        self.capabilityId = capabilityId; self.name = name; self.executions = executions; self.running = running
    }

    /// The question's text: what would go with it.
    public var message: String {
        executions == 0 ? "It has no executions on record."
            : "Its \(executions) execution\(executions == 1 ? "" : "s") (with \(executions == 1 ? "its log" : "their logs")) go\(executions == 1 ? "es" : "") with it."
    }
}

/// One setting as `settings list` prints it: the key and its value as JSON text.
public struct SettingRow: Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}
