// Keys as the app sees them, and their names in key-binding files.
//
// Public API:
//   enum Key — .char(Character), arrows, .home/.end/.pageUp/.pageDown, .enter, .escape, .backspace,
//              .tab, .backTab, .delete, .insert, .f(Int), .ctrl(Character), .alt(Character), .resize
//   Key(name: String) -> Key?   — parses "ctrl-c", "C-c", "enter", "G", "pgdn", "alt-x", "f5", "space"
//   key.name -> String          — canonical name ("ctrl-c", "pgdn", "G"), parses back to the same key
//   key.label -> String         — short form for help screens and status hints ("^C", "PgDn", "↑")

import Foundation

public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, escape, backspace, tab, backTab, delete, insert
    case f(Int)
    /// Control plus a lowercase letter or one of `@ [ \ ] ^ _` (space for ctrl-space).
    case ctrl(Character)
    case alt(Character)
    /// The terminal changed size (or came back from suspend): lay out and redraw everything.
    case resize

    public var description: String { name }

    private static let named: [(String, Key)] = [
        ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("home", .home), ("end", .end), ("pgup", .pageUp), ("pgdn", .pageDown),
        ("enter", .enter), ("esc", .escape), ("backspace", .backspace), ("tab", .tab),
        ("shift-tab", .backTab), ("delete", .delete), ("insert", .insert), ("space", .char(" ")),
        ("resize", .resize),
    ]

    private static let aliases: [String: String] = [
        "return": "enter", "ret": "enter", "cr": "enter", "escape": "esc", "bs": "backspace",
        "backtab": "shift-tab", "s-tab": "shift-tab", "del": "delete", "ins": "insert",
        "pageup": "pgup", "page-up": "pgup", "prior": "pgup", "pagedown": "pgdn", "page-down": "pgdn",
        "next": "pgdn", "spc": "space", "arrow-up": "up", "arrow-down": "down",
    ]

    /// Parses a key name. Names are case-insensitive; a single character is itself, so "G" and
    /// "g" differ. Modifiers: `ctrl-`, `c-`, `^x`, `alt-`, `m-`, `meta-` (also with `+`).
    public init?(name raw: String) {
        let s = raw.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        if s.count == 1 { self = .char(s.first!); return }
        if s.count == 2, s.first == "^" {
            guard let k = Key.control(s.last!) else { return nil }
            self = k; return
        }
        let lower = s.lowercased()
        for (prefix, isCtrl) in [("ctrl-", true), ("ctrl+", true), ("c-", true), ("control-", true),
                                 ("alt-", false), ("alt+", false), ("m-", false), ("meta-", false)]
        where lower.hasPrefix(prefix) && s.count > prefix.count {
            let rest = String(s.dropFirst(prefix.count))
            let ch: Character
            if rest.count == 1 { ch = rest.first! }
            else if rest.lowercased() == "space" { ch = " " }
            else { return nil }
            if isCtrl { guard let k = Key.control(ch) else { return nil }; self = k }
            else { self = .alt(ch) }
            return
        }
        if lower.first == "f", let n = Int(lower.dropFirst()), (1...24).contains(n) { self = .f(n); return }
        let canonical = Key.aliases[lower] ?? lower
        guard let k = Key.named.first(where: { $0.0 == canonical })?.1 else { return nil }
        self = k
    }

    /// ctrl-i, ctrl-m and ctrl-h are the same bytes as tab, enter and backspace on a terminal.
    private static func control(_ c: Character) -> Key? {
        let l = Character(c.lowercased())
        switch l {
        case "i": return .tab
        case "m", "j": return .enter
        case "h": return .backspace
        case "[": return .escape
        case "a"..."z", "@", "\\", "]", "^", "_", " ": return .ctrl(l == "@" ? " " : l)
        default: return nil
        }
    }

    /// The canonical name: `Key(name: key.name) == key`.
    public var name: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(" "): return "ctrl-space"
        case .ctrl(let c): return "ctrl-" + String(c)
        case .alt(" "): return "alt-space"
        case .alt(let c): return "alt-" + String(c)
        case .f(let n): return "f\(n)"
        default: return Key.named.first(where: { $0.1 == self })?.0 ?? "?"
        }
    }

    /// A compact label for help and hints.
    public var label: String {
        switch self {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .f(let n): return "F\(n)"
        case .ctrl(" "): return "^Space"
        case .ctrl(let c): return "^" + c.uppercased()
        case .alt(let c): return "M-" + String(c)
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .resize: return "resize"
        }
    }
}
