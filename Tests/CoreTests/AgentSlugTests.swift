import Testing
import Core

@Suite("Core: agent slugs") struct AgentSlugTests {
    @Test(arguments: ["git", "claude-code", "gpt_5.1", "a", "0", String(repeating: "a", count: 64), "..", "-x"])
    func validSlugs(_ s: String) throws {
        #expect(AgentSlug.isValid(s))
        try AgentSlug.validate(s)
    }

    @Test(arguments: ["", "Git", "with space", "a:b", "a/b", "é", String(repeating: "a", count: 65), "x\u{1B}]2;pwned\u{07}",
                      "x\u{9B}31m", "x\u{202E}y", "tab\t", "nl\n", "nul\0", "ｇｉｔ"])
    func invalidSlugsAreRefusedNamingTheRule(_ s: String) {
        #expect(!AgentSlug.isValid(s))
        #expect(throws: AgentSlug.Invalid(slug: s)) { try AgentSlug.validate(s) }
        #expect(AgentSlug.Invalid(slug: s).description.contains("1 to 64 characters of a-z, 0-9"))
    }
}
