import Foundation
import Testing
import Core

/// `PathText.parent(of:)` answers as `NSString.deletingLastPathComponent` does, without its traps
/// (`agentmon --db x` stopped with SIGILL).
@Suite("Path text") struct PathTextTests {
    /// Paths Foundation traps on (found by running it on every path of up to six of `a / . ~ space é`, one
    /// process per path: 288 of 55,987 trap).
    @Test func whereFoundationTraps() {
        let cases = ["x": "", ".": "", "~": "", "é": "", " ": "", "x/": "", "x//": "", "./": "", "~/": "",
                     "a//é": "a", "//é": "/", "aa//é": "aa", "/a//é": "/a", "///a//": "/", "///éa": "/"]
        for (path, parent) in cases { #expect(PathText.parent(of: path) == parent, "\(path)") }
    }

    /// What Foundation answers (recorded from `NSString.deletingLastPathComponent` on Linux), except the root
    /// written `//` or `///`, which stays the root here (Foundation: ``).
    @Test func asFoundationAnswers() {
        let foundation: [String: String] = [
            "": "", "/": "/", "ab": "", "a/b": "a", "a//b": "a", "a///b": "a", "a/b/": "a", "a/b//": "a", "/a": "/", "/a/": "/",
            "/a/b": "/a", "//a": "/", "//a/b": "/a", "..": "", "../..": "..", "../x": "..", "./ab": ".", "a/./b": "a/.",
            "a/../b": "a/..", "~/a.db": "~", "~ab/c": "~ab", "/tmp/agentmon.db": "/tmp", "a b/c d": "a b", "é/ü": "é",
            "éé/üü": "éé", "aé/b": "aé", "/é/ab": "/é", "a.db": "", "a/b.db/": "a", "x/yz": "x", "/x/yz/": "/x",
            "ab/cd/ef": "ab/cd", "ab//cd//": "ab", ". /ab": ". ", "a /b c": "a ", "été/résumé.db": "été", "日本/語.db": "日本",
        ]
        for (path, parent) in foundation { #expect(PathText.parent(of: path) == parent, "\(path)") }
        #expect(PathText.parent(of: "//") == "/" && PathText.parent(of: "///") == "/")
    }

    /// The last component, as `NSString.lastPathComponent` answers (recorded), where it traps too (`a//é`);
    /// a binary registered at such a path names no provider instead of stopping the worker.
    @Test func lastComponent() {
        let cases = ["": "", "/": "/", "//": "/", "a": "a", "a/b": "b", "a/b/": "b", "a//b//": "b", "/usr/local/bin/claude": "claude",
                     "a//é": "é", "//é": "é", "///a//": "a", "x": "x", "é/": "é", "日本/語.db": "語.db"]
        for (path, last) in cases { #expect(PathText.lastComponent(of: path) == last, "\(path)") }
        let agent = Agent(slug: "x", name: "x", toolType: .aiAgent, binaryPath: "/opt//é")
        #expect(Providers.of(agent) == nil)
        #expect(Providers.of(Agent(slug: "c", name: "c", toolType: .aiAgent, binaryPath: "/usr//bin/claude/")) == "anthropic")
    }

    /// On every path of up to six of `a / . ~ space é`: no trap, a parent never longer than its path, a
    /// slash-free path has none, and an absolute path keeps an absolute parent.
    @Test func everyShortPath() {
        let alphabet: [Character] = ["a", "/", ".", "~", " ", "é"]
        var paths = [""], count = 0
        for _ in 0..<6 { paths = paths.flatMap { p in alphabet.map { p + String($0) } }; count += paths.count
            for p in paths {
                let parent = PathText.parent(of: p)
                #expect(parent.count <= p.count, "\(p)")
                if !p.contains("/") { #expect(parent.isEmpty, "\(p)") }
                if p.hasPrefix("/") { #expect(parent.hasPrefix("/"), "\(p)") }
                #expect(!parent.contains("//"), "\(p)")
                let last = PathText.lastComponent(of: p)
                #expect(last == "/" || !last.contains("/"), "\(p)")
            }
        }
        #expect(count == 55_986)
    }
}
