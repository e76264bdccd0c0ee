// A cell's grapheme as the wide-character string setcchar() wants: one spacing character and
// up to four zero-width ones after it.
//
// Public API:
//   CellText.fill(_ grapheme: String, width: Int, into: inout [wchar_t]) -> Bool
//     false when the C library's wcwidth disagrees with `width` (the caller draws U+FFFD so
//     ncurses' idea of the cursor column stays right).

import CNcurses
import Glibc
import Render

public enum CellText {
    public static func fill(_ grapheme: String, width: Int, into wch: inout [wchar_t]) -> Bool {
        var n = 0
        for s in grapheme.unicodeScalars {
            let v = s.value
            if n == 0 {
                wch[0] = wchar_t(bitPattern: v)
                n = 1
                continue
            }
            // Only zero-width followers may share a cell. A ZWJ sequence (👩‍💻) or a flag is
            // drawn as its first scalar; VS16 is dropped so "❤️" stays one column everywhere.
            if v == 0x200D { break }
            if v == 0xFE0F || DisplayWidth.of(s) != 0 { continue }
            if n >= 5 { break }
            wch[n] = wchar_t(bitPattern: v)
            n += 1
        }
        if n == 0 { wch[0] = 0x20; n = 1 }
        wch[n] = 0
        let libc = cn_wcwidth(wch[0])
        return Int(libc) == max(1, width) || (wch[0] == 0x20 && width <= 1)
    }
}
