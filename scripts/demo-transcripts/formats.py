"""Record shapes of the real tools (Claude Code session JSONL and stream-json, Codex exec --json) and
the ids the demo links to its tasks. Used by make.py."""
import json
import os
import random
import uuid
from datetime import datetime, timedelta, timezone

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "DemoData", "Transcripts")
CWD = "/home/dev/shop"
rng = random.Random(20261120)

# The external ids DemoData links to its tasks (keep in sync with DemoTranscripts.swift).
CLAUDE_SESSION = "5d1f8a3e-2c47-4b9a-8e61-0f3c9d7b2a15"
SUBAGENT = "7c3e91fa"
STREAM_SESSION = "b7e2c4d9-81f3-4a6e-9d25-3c0a7f1e6b88"
CODEX_THREAD = "0199b3c4-5e21-7d80-a6f2-8c1d3e9b4f07"

SONNET = "claude-sonnet-4-5-20250929"
HAIKU = "claude-haiku-4-5-20251001"
# $ per million tokens: input, output, cache write, cache read.
PRICES = {SONNET: (3, 15, 3.75, 0.3), HAIKU: (1, 5, 1.25, 0.1)}


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def b62(n):
    chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "".join(rng.choice(chars) for _ in range(n))


def numbered(text, start=1):
    """File text the way Claude Code's Read tool returns it."""
    return "\n".join(f"{i:>6}→{line}" for i, line in enumerate(text.split("\n"), start))


def write(path, records):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{path}: {len(records)} lines")


class ClaudeSession:
    """Records of a Claude Code session file (~/.claude/projects/<cwd>/<session>.jsonl)."""

    def __init__(self, session_id, start, model, sidechain=False, agent_id=None):
        self.sid, self.t, self.model = session_id, start, model
        self.sidechain, self.agent_id = sidechain, agent_id
        self.records, self.parent = [], None
        self.context = 3900 if sidechain else 14200  # system prompt and tools, cached
        self.open_calls = {}

    def tick(self, lo=1.0, hi=6.0):
        self.t += timedelta(seconds=rng.uniform(lo, hi))
        return self.t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.t.microsecond // 1000:03d}Z"

    def base(self, kind):
        r = {"parentUuid": self.parent, "isSidechain": self.sidechain, "userType": "external", "cwd": CWD,
             "sessionId": self.sid, "version": "2.0.14", "gitBranch": "fix/dashboard-n-plus-one", "type": kind}
        if self.agent_id:
            r["agentId"] = self.agent_id
        return r

    def user(self, text):
        r = self.base("user")
        r.update({"message": {"role": "user", "content": text}, "uuid": uid(), "timestamp": self.tick(20, 60)})
        self.context += len(text) // 4 + 8
        self.records.append(r)
        self.parent = r["uuid"]

    def assistant(self, *blocks, think_time=(3, 12)):
        """One API message: a record per content block, each repeating the message's usage, as Claude Code writes them."""
        mid, req = "msg_01" + b62(22), "req_011C" + b62(18)
        out = sum(len(json.dumps(b)) for b in blocks) // 3 + rng.randint(8, 40)
        fresh = rng.randint(180, 900)
        usage = {"input_tokens": rng.randint(3, 12), "cache_creation_input_tokens": fresh,
                 "cache_read_input_tokens": self.context, "output_tokens": out,
                 "service_tier": "standard"}
        p = PRICES[self.model]
        cost = (usage["input_tokens"] * p[0] + out * p[1] + fresh * p[2] + self.context * p[3]) / 1e6
        self.context += fresh
        self.t += timedelta(seconds=rng.uniform(*think_time))
        for b in blocks:
            content = dict(b)
            if content["type"] == "tool_use":
                content = {"type": "tool_use", "id": "toolu_01" + b62(22), "name": b["name"], "input": b["input"]}
                self.open_calls[b.get("_key", b["name"])] = content["id"]
            r = self.base("assistant")
            r.update({"message": {"id": mid, "type": "message", "role": "assistant", "model": self.model,
                                  "content": [content], "stop_reason": None, "stop_sequence": None, "usage": usage},
                      "requestId": req, "uuid": uid(), "timestamp": self.tick(0.1, 0.6), "costUSD": round(cost, 6)})
            self.records.append(r)
            self.parent = r["uuid"]
        return mid

    def result(self, key, output, is_error=False, extra=None):
        """The user record carrying a tool result."""
        block = {"tool_use_id": self.open_calls.pop(key), "type": "tool_result", "content": output}
        if is_error:
            block["is_error"] = True
        r = self.base("user")
        r.update({"message": {"role": "user", "content": [block]}, "uuid": uid(), "timestamp": self.tick(0.3, 4)})
        r["toolUseResult"] = extra if extra is not None else ("Error: " + output if is_error else {"stdout": output, "stderr": "", "interrupted": False})
        self.context += len(output) // 4 + 20
        self.records.append(r)
        self.parent = r["uuid"]


def think(text):
    return {"type": "thinking", "thinking": text, "signature": "Eq" + b62(86)}


def say(text):
    return {"type": "text", "text": text}


def tool(name, key=None, **inputs):
    b = {"type": "tool_use", "name": name, "input": inputs}
    if key:
        b["_key"] = key
    return b



class StreamRun:
    """Events of `claude -p --output-format stream-json --verbose --input-format stream-json --replay-user-messages`."""

    def __init__(self, session_id, model):
        self.sid, self.model, self.events = session_id, model, []
        self.context, self.open_calls = 15100, {}
        self.turn = {"input_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 0}
        self.cost, self.turns, self.ms = 0.0, 0, 0

    def init(self):
        self.events.append({"type": "system", "subtype": "init", "cwd": CWD, "session_id": self.sid,
                            "tools": ["Task", "Bash", "Glob", "Grep", "Read", "Edit", "Write", "TodoWrite", "WebFetch"],
                            "mcp_servers": [], "model": self.model, "permissionMode": "default",
                            "slash_commands": ["compact", "review"], "apiKeySource": "ANTHROPIC_API_KEY",
                            "claude_code_version": "2.0.14", "output_style": "default", "uuid": uid()})

    def user(self, text):
        self.events.append({"type": "user", "message": {"role": "user", "content": [{"type": "text", "text": text}]},
                            "parent_tool_use_id": None, "session_id": self.sid, "uuid": uid()})
        self.context += len(text) // 4 + 8

    def assistant(self, *blocks):
        mid = "msg_01" + b62(22)
        out = sum(len(json.dumps(b)) for b in blocks) // 3 + rng.randint(8, 40)
        fresh = rng.randint(180, 900)
        usage = {"input_tokens": rng.randint(3, 12), "cache_creation_input_tokens": fresh,
                 "cache_read_input_tokens": self.context, "output_tokens": out, "service_tier": "standard"}
        p = PRICES[self.model]
        self.cost += (usage["input_tokens"] * p[0] + out * p[1] + fresh * p[2] + self.context * p[3]) / 1e6
        for k in self.turn:
            self.turn[k] += usage[k]
        self.context += fresh
        self.turns += 1
        self.ms += rng.randint(2500, 9000)
        for b in blocks:
            content = dict(b)
            if content["type"] == "tool_use":
                content = {"type": "tool_use", "id": "toolu_01" + b62(22), "name": b["name"], "input": b["input"]}
                self.open_calls[b.get("_key", b["name"])] = content["id"]
            self.events.append({"type": "assistant", "message": {"id": mid, "type": "message", "role": "assistant",
                                                                 "model": self.model, "content": [content], "stop_reason": None,
                                                                 "stop_sequence": None, "usage": usage},
                                "parent_tool_use_id": None, "session_id": self.sid, "uuid": uid()})

    def result(self, key, output, is_error=False):
        block = {"tool_use_id": self.open_calls.pop(key), "type": "tool_result", "content": output}
        if is_error:
            block["is_error"] = True
        self.events.append({"type": "user", "message": {"role": "user", "content": [block]},
                            "parent_tool_use_id": None, "session_id": self.sid, "uuid": uid()})
        self.context += len(output) // 4 + 20

    def finish_turn(self, text):
        """The `result` event closing a turn; its cost and usage add up the turn's messages."""
        self.events.append({"type": "result", "subtype": "success", "is_error": False, "duration_ms": self.ms + 1800,
                            "duration_api_ms": self.ms, "num_turns": self.turns, "result": text, "session_id": self.sid,
                            "total_cost_usd": round(self.cost, 6), "usage": dict(self.turn, service_tier="standard"),
                            "permission_denials": [], "uuid": uid()})

    def ask_permission(self, request_id, key, tool_input):
        """Ends the file waiting: `--permission-prompt-tool stdio` asks before running a tool."""
        self.events.append({"type": "control_request", "request_id": request_id,
                            "request": {"subtype": "can_use_tool", "tool_name": "Bash", "input": tool_input,
                                        "tool_use_id": self.open_calls[key]}})
