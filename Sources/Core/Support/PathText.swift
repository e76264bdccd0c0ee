import Foundation

/// Path arithmetic on strings, for paths a person or an agent hands the program.
/// `NSString.deletingLastPathComponent` traps in swift-corelibs-foundation on hundreds of short paths
/// (a last component of one character with nothing before it: `x`, `.`, `é`, `x/`; a non-ASCII one
/// after a double slash: `a//é`; `///a//`): `agentmon --db x` stopped with SIGILL (found by scripts/fuzz,
/// seed 1202). This answers as Foundation does where Foundation answers, without its path code.
public enum PathText {
    /// The path without its last component: `a/b` → `a`, `/x` → `/`, `x` → ``, `a//b/` → `a`, `//a/b` → `/a`,
    /// `/` → `/`, `` → ``. Runs of slashes in what is kept become one; the root stays the root (Foundation
    /// answers `` for `//`).
    public static func parent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.last == "/" { p = p.dropLast() }  // trailing slashes go, the root stays
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var head = ""
        var previousWasSlash = false
        for ch in p[..<slash] {
            if ch == "/" && previousWasSlash { continue }
            head.append(ch)
            previousWasSlash = ch == "/"
        }
        if head.count > 1, head.last == "/" { head.removeLast() }
        return head.isEmpty ? "/" : head
    }

    /// The path's last component, as `NSString.lastPathComponent` answers: `a/b` → `b`, `a/b/` → `b`,
    /// `/` → `/`, `` → `` (Foundation traps on `a//é`).
    public static func lastComponent(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.last == "/" { p = p.dropLast() }
        if p == "/" { return "/" }
        guard let slash = p.lastIndex(of: "/") else { return String(p) }
        return String(p[p.index(after: slash)...])
    }
}
