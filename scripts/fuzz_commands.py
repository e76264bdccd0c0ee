"""The command-line half of scripts/fuzz: fuzzed argument vectors and fuzzed transcripts through the real binary.

The cases come from `agentmon-fuzz` (Sources/agentmon-fuzz, the same seeded generators the test suite uses), so a
failure found here replays in the tests with AGENTMON_FUZZ_SEED. For each case:

  crash   exit code >= 128, killed by a signal, or a Swift trap on stderr
  hang    no exit within 30 s
  error   a refusal that is not one `agentmon: …` line, or a byte a terminal acts on (ESC, C0/C1 controls, bidi
          overrides) in anything printed (`exec logs` to a pipe writes the log's bytes by design)
"""
import json, os, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAPS = ["Fatal error", "Swift runtime failure", "Backtrace", "Assertion"]
# Grown from these: the importers' fixtures, each with the importer that reads it.
TRANSCRIPTS = {
    "import-claude": ["Tests/ImportersTests/Fixtures/claude/stream-tools.jsonl",
                      "Tests/ImportersTests/Fixtures/claude/stream-permissions.jsonl",
                      "Tests/ImportersTests/Fixtures/claude/projects/-work-demo/2f6c1f7e-5d8a-4c53-9a1e-7d0b5c1e9a01.jsonl"],
    "import-codex": ["Tests/ImportersTests/Fixtures/codex/exec-failed.jsonl",
                     "Tests/ImportersTests/Fixtures/codex/sessions/2026/11/20/"
                     "rollout-2026-11-20T09-00-00-0199a1f0-3b7e-7c31-9d8e-5a3f1c2b4d60.jsonl"],
    "import-gemini": ["Tests/ImportersTests/Fixtures/gemini/tmp/b1946ac92492d2347c6235b4d2611184/chats/"
                      "session-2026-11-24T11-00-8d7e6f5a.jsonl",
                      "Tests/ImportersTests/Fixtures/gemini/tmp/b1946ac92492d2347c6235b4d2611184/chats/"
                      "session-2026-11-23T10-00-3f2a9c1e.json"],
}
ENTRIES = ["argv"] + list(TRANSCRIPTS)
REPRODUCE = {
    "argv": "agentmon --db X.db $(the JSON array in the .txt file)",
    "import-claude": "agentmon --db X.db import claude FILE && agentmon --db X.db session list",
    "import-codex": "agentmon --db X.db import codex FILE && agentmon --db X.db session list",
    "import-gemini": "agentmon --db X.db import gemini FILE && agentmon --db X.db session list",
}


def hazard(data):
    """The first byte sequence a terminal would act on, or None (as FuzzCorpus.TerminalHazards)."""
    text = data.decode("utf-8", "replace")
    for i, ch in enumerate(text):
        v = ord(ch)
        if v == 0x1B:
            return f"ESC at {i}"
        if (v < 0x20 and ch not in "\n\t") or v == 0x7F:
            return f"control 0x{v:02x} at {i}"
        if 0x80 <= v <= 0x9F:
            return f"C1 U+{v:04X} at {i}"
        if 0x202A <= v <= 0x202E or 0x2066 <= v <= 0x2069 or v in (0x200E, 0x200F, 0x061C):
            return f"bidi U+{v:04X} at {i}"
    return None


class Cases:
    """Batches from agentmon-fuzz, generated as they are needed (a --seconds run has no fixed count)."""

    def __init__(self, fuzz_binary, seed, work):
        self.fuzz, self.seed, self.work = fuzz_binary, seed, work
        self.argv, self.files = [], {e: [] for e in TRANSCRIPTS}
        self.batches = 0

    def next(self, entry, n):
        if entry == "argv":
            while len(self.argv) <= n:
                out = subprocess.run([self.fuzz, "argv", str(self.seed + len(self.argv)), "500"],
                                     check=True, capture_output=True).stdout
                self.argv += [json.loads(line) for line in out.splitlines()]
            return json.dumps(self.argv[n]).encode()
        files = self.files[entry]
        while len(files) <= n:
            self.batches += 1
            seeds = TRANSCRIPTS[entry]
            folder = os.path.join(self.work, f"{entry}-{self.batches}")
            subprocess.run([self.fuzz, "transcript", str(self.seed + self.batches), "100",
                            os.path.join(ROOT, seeds[self.batches % len(seeds)]), folder], check=True)
            files += [os.path.join(folder, f"case-{i}.jsonl") for i in range(100)]
        with open(files[n], "rb") as f:
            return f.read()


def prepare_db(binary, db):
    """Something for the commands to find: an agent with a capability, two tasks, a queued run."""
    for args in [["agent", "add", "--slug", "git", "--name", "git", "--binary", "/usr/bin/git"],
                 ["capability", "add", "--agent", "git", "--key", "log", "--label", "History", "--command", "log"],
                 ["task", "add", "--title", "one"], ["task", "add", "--title", "two"],
                 ["run", "--task", "1", "--capability", "git:log"]]:
        subprocess.run([binary, "--db", db] + args, check=True, capture_output=True)


def run(binary, db, args, cwd):
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("DATABASE_URL", None)
    try:
        p = subprocess.run([binary, "--db", db] + args, cwd=cwd, env=env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    return p


def verdict(p, args):
    if p is None:
        return "hang", f"no exit within 30 s: {args!r}"
    stderr = p.stderr.decode("utf-8", "replace")
    if p.returncode < 0 or p.returncode >= 128 or any(t in stderr for t in TRAPS):
        return "crash", f"exit {p.returncode}: {args!r}; stderr: {stderr.strip()[:300]}"
    where = (None if args[:2] == ["exec", "logs"] else hazard(p.stdout)) or hazard(p.stderr)
    if where:
        return "error", f"{where} in the output of {args!r}"
    if p.returncode != 0 and (stderr.count("\n") != 1 or not stderr.startswith("agentmon: ")):
        return "error", f"a refusal that is not one line: {args!r}; stderr: {stderr.strip()[:300]}"
    return "ok", ""


def run_case(binary, db, entry, data, folder):
    """One command line, or one import and a listing of what it made; returns (verdict, detail)."""
    os.makedirs(folder, exist_ok=True)
    if entry == "argv":
        # A real exec cannot carry NUL: each argument ends at its first one, as the program would see it.
        args = [a.split("\0", 1)[0] for a in json.loads(data)]
        return verdict(run(binary, db, args, folder), args)
    path = os.path.join(folder, "case.jsonl")
    with open(path, "wb") as f:
        f.write(data)
    kind = entry.split("-", 1)[1]
    for args in (["import", kind, path], ["session", "list"], ["session", "list", "--json"]):
        v = verdict(run(binary, db, args, folder), args)
        if v[0] != "ok":
            return v
    return "ok", ""
