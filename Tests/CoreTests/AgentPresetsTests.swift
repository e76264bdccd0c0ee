import Testing
import Core

@Suite("Core: agent presets") struct AgentPresetsTests {
    @Test func presetsAreNamedAndAddressable() {
        #expect(AgentPresets.all.map(\.name) == ["claude", "codex", "gemini"])
        for p in AgentPresets.all {
            #expect(AgentPresets.named(p.name) == p)
            #expect(AgentSlug.isValid(p.name), "the preset's name is its default slug")
        }
        #expect(AgentPresets.named("cursor") == nil)
    }

    @Test func eachPresetIsAnAIAgentWithAMinimalEnvironment() {
        for p in AgentPresets.all {
            let a = p.agent(slug: p.name, binaryPath: "/usr/bin/\(p.binaryName)")
            #expect(a.toolType == .aiAgent && a.discoveryMethod == .preset && a.slug == p.name)
            #expect(a.envAllowlist.first == "HOME")
            #expect(!a.envAllowlist.contains("PATH") && !a.envAllowlist.contains { $0.hasSuffix("*") }, "named variables only")
            #expect(p.capabilities.map(\.key) == ["implement"])
            #expect(p.capabilities.allSatisfy { $0.mode == .prompt && $0.source == .preset })
        }
    }

    @Test func sessionConfigsUseTheKeysTheWorkerReads() {
        #expect(AgentPresets.claude.sessionConfig["bidirectionalProtocol"] == "stream-json")
        #expect(AgentPresets.claude.sessionConfig["resumeFlags"] == ["--resume", "{{sessionRef}}"])
        #expect(AgentPresets.claude.sessionConfig["continueFlags"] == ["--continue"])
        #expect(AgentPresets.claude.baseArgs == ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
                                                 "--permission-prompt-tool", "stdio"])
        #expect(AgentPresets.codex.sessionConfig["bidirectionalProtocol"] == "app-server")
        #expect(AgentPresets.codex.baseArgs == ["app-server"])
        #expect(AgentPresets.codex.sessionConfig["resumeFlags"] == nil, "codex resumes over its protocol (thread/resume)")
        #expect(AgentPresets.gemini.sessionConfig["bidirectionalProtocol"] == "tmux")
        #expect(AgentPresets.gemini.baseArgs.isEmpty)
        // The resume placeholder is the one LaunchPlan.resumeArgs fills in.
        for p in AgentPresets.all {
            for flag in p.sessionConfig["resumeFlags"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                #expect(TemplateRenderer.placeholders(in: flag).allSatisfy { $0 == "sessionRef" })
            }
        }
    }

    @Test func implementRendersTheTask() throws {
        let values = ["task_title": "Fix the parser", "task_description": "It drops the last line.",
                      "input_context.prompt_additions": "Run the tests."]
        let prompt = try TemplateRenderer.render(AgentPresets.implementTemplate, values: values)
        #expect(prompt == "Fix the parser\n\nIt drops the last line.\n\nRun the tests.")
    }
}
