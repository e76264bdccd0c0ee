import Foundation

/// Stand-ins for the demo's agents, written next to the demo database, so a worker really runs the demo's
/// executions and a newcomer sees logs grow: each prints what its tool would, at a human pace, with colours.
/// They are plain shell scripts (one, linked under each agent's name) and touch nothing outside their
/// working directory.
public enum DemoAgentScripts {
    public static let names = ["claude", "codex", "gemini", "git", "make", "pytest"]

    /// Writes `dir/bin/<name>` for every demo agent; returns the folder.
    @discardableResult
    public static func install(in dir: String) throws -> String {
        let bin = (dir as NSString).appendingPathComponent("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let main = (bin as NSString).appendingPathComponent("demo-agent")
        try script.write(toFile: main, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: main)
        for name in names {
            let link = (bin as NSString).appendingPathComponent(name)
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "demo-agent")
        }
        return bin
    }

    public static func path(_ name: String, in dir: String) -> String {
        ((dir as NSString).appendingPathComponent("bin") as NSString).appendingPathComponent(name)
    }

    static let script = #"""
    #!/bin/sh
    # agentmon demo agent: pretends to be the tool it is named after.
    me=$(basename "$0")
    e=$(printf '\033')
    say() { printf '%s\n' "$*"; sleep "${PACE:-0.4}"; }
    roll() { od -An -N1 -tu1 /dev/urandom | tr -d ' '; }
    case "$me" in
    make)
      say "make: Entering directory '$(pwd)'"
      for f in server auth tokens billing search worker; do say "${e}[1mcc${e}[0m -O2 -c src/$f.c -o build/$f.o"; done
      say "${e}[35msrc/auth.c:88:12: warning:${e}[0m unused variable 'ttl' [-Wunused-variable]"
      say "${e}[1mcc${e}[0m build/*.o -o build/app"
      say "make: Leaving directory '$(pwd)'" ;;
    pytest)
      say "============================= test session starts =============================="
      say "collected 42 items"
      i=0; line="tests/test_upload.py "
      while [ $i -lt 42 ]; do line="$line."; i=$((i+1)); PACE=0.1 say "$line"; done
      if [ "$(roll)" -lt 100 ]; then
        say "${e}[31mE       TimeoutError: chunk 17 was not acknowledged within 5.0 s${e}[0m"
        say "${e}[31mERROR: 1 failed, 41 passed in 12.40s${e}[0m"; exit 1
      fi
      say "${e}[32m42 passed in 11.87s${e}[0m" ;;
    git)
      case "$1" in
        log) for h in 4f2a9c1 9b11e07 1c0d3aa 77e0b52 03f9d14; do say "${e}[33m$h${e}[0m demo commit $h"; done ;;
        push) say "Enumerating objects: 12, done."; say "Writing objects: 100% (7/7), 1.21 KiB | 1.21 MiB/s, done."
              say "To origin"; say "   4f2a9c1..9b11e07  $3 -> $3" ;;
        *) say " M src/auth.c"; say "?? notes.txt" ;;
      esac ;;
    claude|codex|gemini)
      sid="demo-$me-$$"; prev=""; input=""
      for a in "$@"; do  # a continuation resumes its session
        [ "$prev" = "--resume" ] && sid="$a"; [ "$prev" = "--input-format" ] && input="$a"; prev="$a"
      done
      if [ "$me" = claude ] && [ "$input" = stream-json ]; then
        # Claude Code's print mode as the Agent SDK drives it (the formats of Tests/StandIns/claude-stream-json):
        # the prompt comes on stdin, a permission is asked with a can_use_tool control_request, and the
        # turn goes on when the control_response with the same request id arrives. Keys are matched as
        # agentmon writes them (compact JSON, keys sorted).
        IFS= read -r line || exit 0
        say "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"$sid\",\"model\":\"claude-demo\",\"permissionMode\":\"default\"}"
        say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Reading the task.\"}]},\"session_id\":\"$sid\"}"
        for step in 1 2; do
          say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_$$_$step\",\"name\":\"Read\",\"input\":{\"file_path\":\"auth/tokens$step.py\"}}]},\"session_id\":\"$sid\"}"
          say "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_$$_$step\",\"content\":\"ok\"}]},\"session_id\":\"$sid\"}"
        done
        say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"The revocation list needs its table: running the migration.\"},{\"type\":\"tool_use\",\"id\":\"toolu_$$_m\",\"name\":\"Bash\",\"input\":{\"command\":\"./manage.py migrate tokens 0004\"}}]},\"session_id\":\"$sid\"}"
        say "{\"type\":\"control_request\",\"request_id\":\"req_$$_1\",\"request\":{\"subtype\":\"can_use_tool\",\"tool_name\":\"Bash\",\"input\":{\"command\":\"./manage.py migrate tokens 0004\"},\"tool_use_id\":\"toolu_$$_m\"}}"
        answer=""; queued=0
        # What Claude Code writes for a tool use the person stopped.
        rejected="The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed."
        while IFS= read -r line; do
          case "$line" in
            *'"subtype":"interrupt"'*) answer=interrupt; break ;;
            *'"type":"control_response"'*) ;;
            *'"type":"user"'*) queued=$((queued + 1)); continue ;;  # a message while it waits: answered after the turn
            *) continue ;;
          esac
          case "$line" in *'"request_id":"req_'"$$"'_1"'*) ;; *) continue ;; esac  # an answer to another request
          case "$line" in *'"behavior":"allow"'*) answer=allow ;; *) answer=deny ;; esac
          break
        done
        case "$answer" in
          "") exit 0 ;;  # stdin closed: nobody will answer
          allow)
            say "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_$$_m\",\"content\":\"Applying tokens.0004_revocation_list... OK\",\"is_error\":false}]},\"session_id\":\"$sid\"}"
            done_text="Migrated: the revocation list table is in place." ;;
          deny)
            say "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_$$_m\",\"content\":\"Permission denied\",\"is_error\":true}]},\"session_id\":\"$sid\"}"
            done_text="Understood: I will not run the migration." ;;
        esac
        if [ "$answer" = interrupt ]; then  # the request is withdrawn, the tool use rejected, the turn ended
          say "{\"type\":\"control_cancel_request\",\"request_id\":\"req_$$_1\"}"
          say "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_$$_m\",\"content\":\"$rejected\",\"is_error\":true}]},\"session_id\":\"$sid\"}"
          say "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"[Request interrupted by user for tool use]\"}]},\"session_id\":\"$sid\"}"
          say "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,\"session_id\":\"$sid\",\"total_cost_usd\":0.0113,\"usage\":{\"input_tokens\":912,\"output_tokens\":64}}"
        else
          say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"$done_text\"}]},\"session_id\":\"$sid\"}"
          say "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"session_id\":\"$sid\",\"total_cost_usd\":0.0421,\"usage\":{\"input_tokens\":1823,\"output_tokens\":221}}"
        fi
        # Each message is a turn of its own (those sent while it waited first), until agentmon closes stdin
        # after the last result.
        noted() {
          say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Noted: I will keep that in mind.\"}]},\"session_id\":\"$sid\"}"
          say "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"session_id\":\"$sid\",\"total_cost_usd\":0.0087,\"usage\":{\"input_tokens\":310,\"output_tokens\":18}}"
        }
        while [ "$queued" -gt 0 ]; do noted; queued=$((queued - 1)); done
        while IFS= read -r line; do
          case "$line" in *'"type":"user"'*) noted ;; esac
        done
        exit 0
      fi
      say "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"$sid\",\"model\":\"$me-demo\"}"
      say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Reading the task.\"}]}}"
      for step in 1 2 3 4 5; do
        say "{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_$$_$step\",\"name\":\"Read\",\"input\":{\"file_path\":\"src/file$step.py\"}}]}}"
        say "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_$$_$step\",\"content\":\"ok\"}]}}"
      done
      say "{\"type\":\"result\",\"subtype\":\"success\",\"total_cost_usd\":0.0421,\"usage\":{\"input_tokens\":1823,\"output_tokens\":221}}" ;;
    *) say "$me: $*" ;;
    esac
    """#
}
