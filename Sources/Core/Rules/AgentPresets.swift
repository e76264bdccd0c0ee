import Foundation

/// Ready-made agent definitions for the coding CLIs people run most (`agentmon agent add --preset NAME`).
/// Pure data: the CLI resolves the binary and stores the result; nothing here touches the system.
///
/// Session config keys are the ones the code already reads: `bidirectionalProtocol` (Worker's
/// AgentProtocol, ClaudeLiveTranscript), `resumeFlags` with the `{{sessionRef}}` placeholder (LaunchPlan,
/// ExecutionContinuation), and `sessionIdSource` / `sessionIdField` / `continueFlags` as the demo data
/// spells them; `resumeMethod` (codex) names the app-server request that resumes a thread.
///
/// Sources (checked 2026-12):
/// - Claude Code CLI reference, https://docs.anthropic.com/en/docs/claude-code/cli-reference:
///   `--print`/`-p`, `--output-format stream-json`, `--input-format stream-json` (needs stream-json output),
///   `--verbose`, `--resume`/`-r SESSION_ID`, `--continue`/`-c`, `--permission-prompt-tool`.
///   Environment: Claude Code's "Environment variables" page: `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`,
///   `ANTHROPIC_BASE_URL`, `CLAUDE_CONFIG_DIR` (default `~/.claude`, where the login lives).
/// - Codex: `codex app-server` speaks JSON-RPC on stdio; a session is a thread, resumed with the
///   `thread/resume` request (not an argv flag, hence no `resumeFlags`). Environment: `OPENAI_API_KEY`,
///   `CODEX_HOME` (default `~/.codex`, where the login and sessions live).
/// - Gemini CLI session management, https://geminicli.com/docs/cli/session-management and the CLI cheatsheet
///   https://geminicli.com/docs/cli/cli-reference: `--resume`/`-r` takes a session UUID, an index or
///   `latest`. Environment (authentication docs): `GEMINI_API_KEY`, `GOOGLE_API_KEY`, `GOOGLE_CLOUD_PROJECT`.
/// Every preset allows `HOME` (each CLI finds its login under it) and nothing else beyond its provider's
/// variables; PATH is not passed, so runs get LaunchPlan's minimal PATH.
public struct AgentPreset: Sendable, Equatable {
    /// What `--preset` takes, and the default slug.
    public let name: String
    public let displayName: String
    /// The program looked up on PATH when `--binary` is not given.
    public let binaryName: String
    public let baseArgs: [String]
    public let envAllowlist: [String]
    public let sessionConfig: JSONValue
    /// Capabilities with `agentId` 0: the caller sets it once the agent exists.
    public let capabilities: [Capability]

    /// The agent this preset describes, under `slug`, running `binaryPath`.
    public func agent(slug: String, binaryPath: String) -> Agent {
        Agent(slug: slug, name: displayName, kind: .builtin, toolType: .aiAgent, binaryPath: binaryPath, baseArgs: baseArgs,
              envAllowlist: envAllowlist, discoveryMethod: .preset, sessionConfig: sessionConfig)
    }
}

public enum AgentPresets {
    /// The prompt of every preset's `implement`: placeholders ExecutionRepository.queue fills in.
    public static let implementTemplate = "{{task_title}}\n\n{{task_description}}\n\n{{input_context.prompt_additions}}"

    static func implement() -> Capability {
        Capability(agentId: 0, key: "implement", label: "Implement the task", source: .preset, mode: .prompt,
                   promptTemplate: implementTemplate, dangerLevel: 1, timeoutSec: 1800)
    }

    public static let claude = AgentPreset(
        name: "claude", displayName: "Claude Code", binaryName: "claude",
        // Print mode reading stream-json on stdin, as the Agent SDK runs it: the worker writes the prompt,
        // follow-ups, interrupts and permission answers there (`--permission-prompt-tool stdio` sends each
        // permission request to stdout as a `can_use_tool` control_request instead of refusing it).
        baseArgs: ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
                   "--permission-prompt-tool", "stdio"],
        envAllowlist: ["HOME", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "CLAUDE_CONFIG_DIR"],
        sessionConfig: ["bidirectionalProtocol": "stream-json", "sessionIdSource": "json_field", "sessionIdField": "session_id",
                        "resumeFlags": ["--resume", "{{sessionRef}}"], "continueFlags": ["--continue"]],
        capabilities: [implement()])

    public static let codex = AgentPreset(
        name: "codex", displayName: "Codex CLI", binaryName: "codex",
        baseArgs: ["app-server"],
        envAllowlist: ["HOME", "OPENAI_API_KEY", "CODEX_HOME"],
        sessionConfig: ["bidirectionalProtocol": "app-server", "sessionIdSource": "app_server", "resumeMethod": "thread/resume"],
        capabilities: [implement()])

    public static let gemini = AgentPreset(
        name: "gemini", displayName: "Gemini CLI", binaryName: "gemini",
        baseArgs: [],
        envAllowlist: ["HOME", "GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_CLOUD_PROJECT"],
        sessionConfig: ["bidirectionalProtocol": "tmux", "sessionIdSource": "list_command",
                        "resumeFlags": ["--resume", "{{sessionRef}}"], "continueFlags": ["--resume", "latest"]],
        capabilities: [implement()])

    public static let all: [AgentPreset] = [claude, codex, gemini]

    public static func named(_ name: String) -> AgentPreset? { all.first { $0.name == name } }
}
