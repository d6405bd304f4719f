"""Reading speed of the shipped rules: a 200-message chat and 1 MB hostile messages, against budgets, and as
ratios to the extraction releasebot shipped before the rules language (commit BASELINE), timed in the same run.

    python bench/extract_bench.py            # exits 1 when a budget is exceeded

The baseline runs from a `git worktree` of BASELINE in a temporary folder, with the same workloads; without
git history it is skipped and only the budgets are checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from baseline import baseline_tree, remove_tree

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "0ac1ff2"  # main before the rules language (issue: read a chat like a person)
CHAT_BUDGET_MS = 10.0
HOSTILE_BUDGET_MS = 100.0
REPEATS = 7
# The chat the budget is for (the same mix as the figures before the rules language), and a harder one
# where most messages hold versions, CI cards and quotes.
CHATTER = [
    "[b]Steps[/b]: open a chat, read every message, go back: the counter still says 1.",
    "[user=1]Anna[/user], any news? [url=https://example.com]logs[/url]",
    ">>Fix is in review.\nGreat, thanks!",
    "will deploy tomorrow after the freeze",
    "deployed in im 24.500.0 and ui 3.1.0",
    "выложено в im 24.500.0",
]
BUSY_CHATTER = [
    *CHATTER,
    "Tested on Chrome 120.0 and Android 14.1, load average 1.25 at 09.15",
    "✅ Deploy to production succeeded\nacme/billing-api · tag v4.2.0 · commit 9f3c2ab",
    "Deployment finished\nService: crm\nVersion: 24.300.1\nEnvironment: production",
    "[QUOTE]deployed in im 24.400.0[/QUOTE]no, that was the old build, not deployed anywhere yet",
]
HOSTILE = {
    "'deployed in ' x 90,000": "deployed in " * 90_000,
    "'im 24.500.0 and ' x 60,000": "im 24.500.0 and " * 60_000,
    "'1.' x 500,000": "1." * 500_000,
    "'[' x 1,000,000": "[" * 1_000_000,
    "'[quote]' x 140,000": "[quote]" * 140_000,
    "'a\\n' x 500,000": "a\n" * 500_000,
}

LABELS = {"chat": "200-message chat, all rules", "busy": "200 busy messages (CI, cards)"}

# Runs in the tree under test (this one or the baseline's): prints {"chat": s, "<hostile>": s, ...}.
PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from releasebot.extract import extract_releases
from releasebot.model import Message
from releasebot.rules import load_rules
chatter, busy, hostile, repeats = json.loads(sys.stdin.read())
rules = load_rules(sys.argv[1] + "/rules.yaml")
def chat_of(texts):
    return [Message(10_000 - i, 7, texts[i % len(texts)], "2026-06-10T14:51:00+02:00") for i in range(200)]
chat, busy_chat = chat_of(chatter), chat_of(busy)
def best(fn, n):
    times = []
    for _ in range(n):
        started = time.perf_counter(); fn(); times.append(time.perf_counter() - started)
    return min(times)
result = {"chat": best(lambda: extract_releases(rules, chat), repeats),
          "busy": best(lambda: extract_releases(rules, busy_chat), repeats)}
for name, text in hostile.items():
    message = [Message(1, 7, text, "2026-06-10T14:51:00+02:00")]
    result[name] = best(lambda: extract_releases(rules, message), 3)
print(json.dumps(result))
"""


def measure(tree: Path) -> dict[str, float]:
    """The timings of the probe run against the code and rules.yaml in `tree`."""
    workloads = json.dumps([CHATTER, BUSY_CHATTER, HOSTILE, REPEATS])
    done = subprocess.run([sys.executable, "-c", PROBE, str(tree)], input=workloads,
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout)


def main() -> int:
    now = measure(ROOT)
    with tempfile.TemporaryDirectory(prefix="releasebot-bench-") as folder:
        tree = baseline_tree(Path(folder), BASELINE)
        before = measure(tree) if tree else {}
        if tree:
            remove_tree(tree)
    over = False
    print(f"{'workload':<34} {'now ms':>9} {'before ms':>10} {'ratio':>7} {'budget ms':>10}")
    for name, seconds in now.items():
        budget = {"chat": CHAT_BUDGET_MS, "busy": float("inf")}.get(name, HOSTILE_BUDGET_MS)
        label = LABELS.get(name, f"1 MB {name}")
        old = before.get(name)
        ratio = f"{seconds / old:6.2f}x" if old else "   n/a"
        old_text = f"{old * 1e3:10.2f}" if old else f"{'n/a':>10}"
        print(f"{label:<34} {seconds * 1e3:9.2f} {old_text} {ratio} {budget:10.0f}".replace(" inf", "   -"))
        over |= seconds * 1e3 > budget
    print("within budget" if not over else "OVER BUDGET")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
