// Maps what ncurses' get_wch returns to a `Key`. Pure, so it is tested without a terminal.
//
// Public API:
//   KeyDecoder.decode(status: Int32, value: UInt32) -> Key?
//     status = get_wch's return (OK for a character, KEY_CODE_YES for a function key)

import CNcurses
import Render

public enum KeyDecoder {
    public static func decode(status: Int32, value: UInt32) -> Key? {
        if status == cn_key_code_yes() { return functionKey(Int32(bitPattern: value)) }
        guard status == cn_ok() else { return nil }
        return character(value)
    }

    /// A character code: controls become named keys or ctrl(letter).
    public static func character(_ v: UInt32) -> Key? {
        switch v {
        case 13, 10: return .enter          // nonl() keeps Enter as CR; LF from ctrl-j
        case 9: return .tab
        case 127, 8: return .backspace      // terminals send either for Backspace
        case 27: return .escape
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(UnicodeScalar(v + 96)!))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        case 0x80...0x9F: return nil        // C1 controls are never keys
        default:
            guard let s = UnicodeScalar(v) else { return nil }
            return .char(Character(s))
        }
    }

    public static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1, KEY_LL: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case cn_key_f(1)...cn_key_f(24): return .f(Int(code - cn_key_f(0)))
        default: return nil
        }
    }
}
