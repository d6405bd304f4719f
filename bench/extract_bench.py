"""Matching speed of the shipped rules, and what a hostile pattern costs, as ratios to baselines in this run.

    python bench/extract_bench.py
"""

from __future__ import annotations

import time
from pathlib import Path

import re2

from releasebot.extract import extract_releases
from releasebot.model import Message
from releasebot.normalize import plain_text
from releasebot.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
CHATTER = [
    "[b]Steps[/b]: open a chat, read every message, go back: the counter still says 1.",
    "[user=1]Anna[/user], any news? [url=https://example.com]logs[/url]",
    ">>Fix is in review.\nGreat, thanks!",
    "will deploy tomorrow after the freeze",
    "deployed in im 24.500.0 and ui 3.1.0",
    "выложено в im 24.500.0",
]
REPEATS = 5


def best_of(fn, repeats: int = REPEATS) -> float:
    """The fastest of `repeats` runs, in seconds: the least disturbed by a noisy machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rules = load_rules(ROOT / "rules.yaml")
    messages = [Message(10_000 - i, 7, CHATTER[i % len(CHATTER)], "2026-06-10T14:51:00+02:00")
                for i in range(rules.max_messages)]
    baseline = re2.compile(r"deployed")
    base = best_of(lambda: [baseline.search(m.text) for m in messages])
    norm = best_of(lambda: [plain_text(m.text) for m in messages])
    full = best_of(lambda: extract_releases(rules, messages))
    print(f"chat of {len(messages)} messages, {len(rules.rules)} rules")
    print(f"  baseline (one RE2 search per message): {base * 1e3:8.2f} ms")
    print(f"  normalize only:                        {norm * 1e3:8.2f} ms  ({norm / base:6.1f}x baseline)")
    print(f"  normalize + all rules:                 {full * 1e3:8.2f} ms  ({full / base:6.1f}x baseline)")
    hostile = re2.compile(r"(a+)+b")
    one = best_of(lambda: hostile.search("a" * 1_000_000), 3)
    two = best_of(lambda: hostile.search("a" * 2_000_000), 3)
    print("'(a+)+b' on a message of a's with no b (exponential for a backtracking engine):")
    print(f"  1 MB {one * 1e3:8.2f} ms;  2 MB {two * 1e3:8.2f} ms  ({two / one:4.1f}x: linear)")
    flood = Message(1, 7, "deployed in " * 90_000, "2026-06-10T14:51:00+02:00")
    t_flood = best_of(lambda: extract_releases(rules, [flood]), 3)
    print(f"all rules on a 1 MB 'deployed in deployed in ...' message: {t_flood * 1e3:8.2f} ms "
          f"({t_flood / full:6.1f}x a whole 200-message chat)")

if __name__ == "__main__":
    main()
