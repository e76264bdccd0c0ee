import Foundation
import Render

/// A one-line (or, with `multiline`, several-line) text field: insert, delete, cursor moves, readline keys.
public struct LineEditor: Sendable, Equatable {
    public var text: [Character]
    public var cursor: Int
    public var multiline: Bool

    public init(_ text: String = "", multiline: Bool = false) {
        self.text = Array(text); cursor = self.text.count; self.multiline = multiline
    }

    public var string: String { String(text) }

    /// Applies an editing key; false when the key is not an editing key (the caller handles it).
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(c)
        case .backspace: if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"): if cursor < text.count { text.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = lineStart()
        case .end, .ctrl("e"): cursor = lineEnd()
        case .ctrl("u"): let s = lineStart(); text.removeSubrange(s..<cursor); cursor = s
        case .ctrl("k"): text.removeSubrange(cursor..<lineEnd())
        case .ctrl("w"):
            var i = cursor
            while i > 0, text[i - 1] == " " { i -= 1 }
            while i > 0, text[i - 1] != " ", text[i - 1] != "\n" { i -= 1 }
            text.removeSubrange(i..<cursor); cursor = i
        case .alt("\r") where multiline, .alt("\n") where multiline, .ctrl("o") where multiline: insert("\n")
        default: return false
        }
        return true
    }

    mutating func insert(_ c: Character) {
        // Control characters never enter a field; a newline only where lines are allowed.
        if c == "\n" ? !multiline : c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return }
        text.insert(c, at: cursor); cursor += 1
    }

    private func lineStart() -> Int {
        var i = cursor
        while i > 0, text[i - 1] != "\n" { i -= 1 }
        return i
    }
    private func lineEnd() -> Int {
        var i = cursor
        while i < text.count, text[i] != "\n" { i += 1 }
        return i
    }
}

/// The new / edit task form. Fields are edited in place; nothing is written until it is submitted, and a
/// form with changes asks before it is thrown away.
public struct TaskForm: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable { case title, description, priority, assignee, due, autoRun
        public var label: String {
            switch self {
            case .title: "Title"
            case .description: "Description"
            case .priority: "Priority (1-5)"
            case .assignee: "Assignee (agent slug)"
            case .due: "Due (YYYY-MM-DD)"
            case .autoRun: "Auto-run (AGENT:KEY, when its dependencies are done)"
            }
        }
    }
    public var taskId: Int64?
    public var status: String
    public var fields: [LineEditor]
    public var original: [String]
    public var focus: Field = .title
    public var error: String?
    /// Submitted and waiting for the database; closes when written, stays with the error when not.
    public var saving = false

    public init(taskId: Int64?, status: String, title: String = "", description: String = "", priority: Int = 3,
                assignee: String = "", due: String = "", autoRun: String = "") {
        self.taskId = taskId; self.status = status
        let values = [title, description, String(priority), assignee, due, autoRun]
        fields = values.enumerated().map { LineEditor($1, multiline: $0 == Field.description.rawValue) }
        original = values
    }

    public func value(_ f: Field) -> String { fields[f.rawValue].string }
    public var isModified: Bool { fields.map(\.string) != original }
}
