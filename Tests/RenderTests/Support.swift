import Testing
@testable import Render

/// The first scalar that must never reach a terminal (C0, DEL, C1, ESC, bidi controls), if any.
func firstUnsafeScalar(_ text: String) -> Unicode.Scalar? {
    for s in text.unicodeScalars {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return s }
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F { return s }
    }
    return nil
}

func firstUnsafeScalar(_ runs: [StyledRun]) -> Unicode.Scalar? {
    for r in runs { if let s = firstUnsafeScalar(r.text) { return s } }
    return nil
}

/// Asserts the runs are display-safe, and also the raw UTF-8 bytes (no 0x1B, no C2 80–9F).
func expectSafe(_ runs: [StyledRun], sourceLocation: SourceLocation = #_sourceLocation) {
    let bad = firstUnsafeScalar(runs)
    #expect(bad == nil, "unsafe scalar U+\(String(bad?.value ?? 0, radix: 16)) survived", sourceLocation: sourceLocation)
    let bytes = Array(runs.plainText.utf8)
    #expect(!bytes.contains(0x1B), "ESC byte survived", sourceLocation: sourceLocation)
    var c1 = false
    for i in 0..<max(0, bytes.count - 1) where bytes[i] == 0xC2 && (0x80...0x9F).contains(bytes[i + 1]) { c1 = true }
    #expect(!c1, "C1 control survived", sourceLocation: sourceLocation)
}

let dimPlain = Style(dim: true)
