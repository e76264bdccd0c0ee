import Foundation
import Testing
import Core
import FuzzCorpus

/// Approval rules as a pure function: order, scope, matching inside the request's input, and patterns that
/// could stall the worker refused.
@Suite("Approval rules") struct ApprovalRulesTests {
    static func rule(_ id: ID, agent: ID? = nil, tool: String? = nil, match: String? = nil, _ d: ApprovalRule.Decision) -> ApprovalRule {
        ApprovalRule(id: id, position: id, agentId: agent, toolName: tool, match: match, decision: d)
    }

    let typical = [rule(1, tool: "Read", .allow), rule(2, tool: "Grep", .allow), rule(3, tool: "Glob", .allow),
                   rule(4, tool: "Bash", match: "rm -rf", .deny), rule(5, .ask)]

    @Test func firstMatchWins() {
        func decide(_ tool: String, _ input: String, agent: ID = 1) -> ID? {
            ApprovalRules.firstMatch(typical, agentId: agent, toolName: tool, input: input)?.id
        }
        #expect(decide("Read", #"{"file_path":"a"}"#) == 1)
        #expect(decide("read", "{}") == 1, "tool names match in any case")
        #expect(decide("Bash", #"{"command":"rm -rf build"}"#) == 4)
        #expect(decide("Bash", #"{"command":"ls"}"#) == 5)
        #expect(decide("Edit", "{}") == 5)
        // The pattern is searched in each string of the input, decoded: an escaped slash or quote still matches.
        #expect(ApprovalRules.firstMatch([Self.rule(1, match: "rm -rf /tmp", .deny)], agentId: 1, toolName: "Bash",
                                         input: #"{"command":"rm -rf \/tmp"}"#)?.id == 1)
        // No rule at all: nobody decides (the agent asks).
        #expect(ApprovalRules.firstMatch([], agentId: 1, toolName: "Bash", input: "{}") == nil)
    }

    @Test func agentScopeAndPosition() {
        let rules = [Self.rule(7, agent: 2, tool: "Bash", .allow), Self.rule(3, tool: "Bash", .deny)]
        #expect(ApprovalRules.firstMatch(rules, agentId: 2, toolName: "Bash", input: "{}")?.id == 3, "position orders, not the list")
        var later = rules
        later[0].position = 1
        later[1].position = 2
        #expect(ApprovalRules.firstMatch(later, agentId: 2, toolName: "Bash", input: "{}")?.id == 7)
        #expect(ApprovalRules.firstMatch(later, agentId: 9, toolName: "Bash", input: "{}")?.id == 3, "another agent's rule does not apply")
    }

    @Test func patternsThatCouldStallAreRefused() {
        for bad in ["(a+)+", "(a*)*b", "((ab)+)*", "(\\w+\\s?)+$", "(x{2,})+"] {
            #expect(ApprovalRules.validate(bad)?.contains("exponential") == true, "\(bad)")
        }
        for good in ["rm -rf", "^git (push|reset)", "(ab)+", "a+b*", "\\(a+\\)+", "[(a+)]+", "curl .*\\| *sh"] {
            #expect(ApprovalRules.validate(good) == nil, "\(good)")
        }
        #expect(ApprovalRules.validate("(")?.contains("not a valid") == true)
        #expect(ApprovalRules.validate("") != nil)
        #expect(ApprovalRules.validate(String(repeating: "a", count: 5000)) != nil)
    }

    @Test func hostilePatternsAndInputsNeverCrash() {
        var rng = SeededRandom(seed: 11)
        let hostile = HostileStrings.all
        for _ in 0..<500 {
            let pattern = rng.pick(hostile + ["rm -rf", "(a|b)+", "\\", "[", "(?<n>x)\\k<n>", "\u{0}", "*", "a{99999}"])
            let input = rng.pick(hostile + [#"{"command":"rm -rf /"}"#, "{", String(repeating: "a", count: 100_000)])
            let rule = ApprovalRule(id: 1, match: ApprovalRules.validate(pattern) == nil ? pattern : nil, decision: .deny)
            _ = ApprovalRules.firstMatch([rule], agentId: 1, toolName: rng.pick(hostile), input: input)
        }
    }
}
