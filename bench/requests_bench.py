"""Portal requests per task, case by case, against the simulator (modern and legacy portal), and a backlog of
closed tasks drained under the portal's budget; this tree against BASELINE (main before issue 9), in the same run.

    python bench/requests_bench.py            # exits 1 when a case costs more than its minimum
    python bench/requests_bench.py --fast     # the backlog under a budget ten times the default (50/20)

Counts do not drift; the backlog's drain time is wall time, spent waiting for the shared budget (GCRA in
Redis) exactly as the workers do. The baseline runs from a `git worktree` of BASELINE in a temporary folder;
without git history only this tree is measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from baseline import baseline_tree, remove_tree

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "43c3cf3"  # main before issue 9 (every request counts)
BACKLOG = 100
MIN_SPEEDUP = 1.3  # the backlog drains at least this much faster than BASELINE
# case: (what it is, the fewest requests it can take). A 200-message chat with the bot's comment is 201
# messages: two pages. Legacy: the task, 4 pages of 50, the comments (its chat cannot show them), the post.
# The shipped rules also write the release as a task tag (post.tags): one PATCH more where a task is posted to,
# after the tags are read again (a GET), so that a tag a person added while the job ran stays.
CASES = {
    "closed_10": ("closed task, 10-message chat, comment + tag", 5),
    "closed_200": ("closed task, 200-message chat (release oldest), + tag", 5),
    "echo": ("repeated or echo event after the comment", 1),
    "echo_200": ("the same, 200-message chat", 1),
    "redis_lost": ("the result lost (an empty record), repeated event", 2),
    "redis_lost_200": ("the same, 200-message chat (201 with the comment)", 3),
    "not_found_repeat": ("repeated event, no release in the chat", 1),
    "not_closed": ("task not closed", 1),
    "duplicate": ("duplicate event while the job waits", 0),
    "legacy_200": ("legacy portal, 200-message chat, + tag", 9),
    "legacy_echo": ("legacy portal, echo event after the comment", 1),
}

# Runs in the tree under test (this one or the baseline's): prints {"cases": {...}, "backlog": {...}}.
PROBE = r"""
import dataclasses, json, os, sys, time
sys.path.insert(0, sys.argv[1])
import fakeredis
from rq import Queue
from releasebot.rules import load_rules
from releasebot.settings import Settings
from sim.server import SimServer
from worker.process import JobContext, handle_task
from infra.queueing import TaskEnqueuer, enqueue_task
if os.path.isdir(os.path.join(sys.argv[1], "store")):  # the record in SQL, or in Redis (a baseline before it)
    from store import ResultStore, open_database
    new_store = lambda: ResultStore(open_database("sqlite://"))
else:
    from worker.store import ResultStore
    new_store = lambda: ResultStore(fakeredis.FakeRedis())
from worker.jobs import process_task
from worker.vibecode import api_client
from worker.vibecode.client import VibeClient

backlog, rate_limit = int(sys.argv[2]), sys.argv[3]
rules = load_rules(sys.argv[1] + "/rules.yaml")
# The worker knows its portal user from Redis (GET /me once per key): the job itself never asks.
import inspect
ME = {"bot_id": 1} if "bot_id" in inspect.signature(handle_task).parameters else {}
RELEASE = "deployed in im 24.500.0"

def chat(size):
    return [{"generate": {"count": size, "text": "chatter {n}", "first": RELEASE}}]

def scenario(legacy=False):
    return {"portal": {"legacy": legacy}, "tasks": [
        {"id": 10, "status": 5, "chat": chat(10)}, {"id": 200, "status": 5, "chat": chat(200)},
        {"id": 3, "status": 3, "chat": chat(10)}, {"id": 4, "status": 5, "chat": ["looks good", "thanks"]}]}

def costs(sim, task_id, run):
    before = len(sim.requests(path_contains=f"/tasks/{task_id}"))
    run()
    return len(sim.requests(path_contains=f"/tasks/{task_id}")) - before

cases = {}
with SimServer(scenario()) as sim, VibeClient(sim.base_url, sim.api_key) as api:
    store = new_store()
    job = lambda task_id, s=store: handle_task(task_id, JobContext(api, rules, s, **ME))
    for size in (10, 200):
        suffix = "" if size == 10 else "_200"
        cases["closed" + ("_10" if size == 10 else suffix)] = costs(sim, size, lambda: job(size))
        cases["echo" + suffix] = costs(sim, size, lambda: job(size))
        cases["redis_lost" + suffix] = costs(sim, size, lambda: job(size, new_store()))
    job(4)
    cases["not_found_repeat"] = costs(sim, 4, lambda: job(4))
    cases["not_closed"] = costs(sim, 3, lambda: job(3))
    queue = TaskEnqueuer(Queue("releasebot", connection=fakeredis.FakeRedis()), process_task)
    enqueue_task(queue, 10)
    cases["duplicate"] = 0 if not enqueue_task(queue, 10)[0] else cases["closed_10"]
with SimServer(scenario(legacy=True)) as sim, VibeClient(sim.base_url, sim.api_key) as api:
    store = new_store()
    cases["legacy_200"] = costs(sim, 200, lambda: handle_task(200, JobContext(api, rules, store, **ME)))
    cases["legacy_echo"] = costs(sim, 200, lambda: handle_task(200, JobContext(api, rules, store, **ME)))

# The backlog: closed tasks, each processed, then again for the event the bot's own comment fires. The same
# work in both trees: the comment only (the code before had no tags to write).
if hasattr(rules, "tags_template"):
    rules = dataclasses.replace(rules, tags_template="", field_name="")
tasks = [{"id": 1000 + n, "status": 5, "chat": chat(10 + n % 40)} for n in range(backlog)]
with SimServer({"tasks": tasks}) as sim:
    redis = fakeredis.FakeRedis()
    settings = Settings.from_env({"VIBE_API_KEY": sim.api_key, "VIBE_BASE_URL": sim.base_url,
                                  "VIBE_RATE_LIMIT": rate_limit})
    store, started = new_store(), time.monotonic()
    with api_client(settings, redis) as api:
        for task in tasks:
            for _ in range(2):
                handle_task(task["id"], JobContext(api, rules, store, **ME))
    seconds = time.monotonic() - started
    comments = [len(sim.state.task_snapshot(task["id"])["comments"]) for task in tasks]
    total = len(sim.requests())
print(json.dumps({"cases": cases, "backlog": {"seconds": seconds, "requests": total,
                                              "comments": sorted(set(comments))}}))
"""


def measure(tree: Path, rate_limit: str) -> dict:
    """The probe's figures for the code in `tree`."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(BACKLOG), rate_limit],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"the probe failed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def print_cases(now: dict, before: dict) -> bool:
    """The per-case table; True when every case is within its minimum."""
    ok = True
    print(f"{'case':<50} {'before':>6} {'now':>4} {'minimum':>8}")
    for name, (label, minimum) in CASES.items():
        old = before.get(name, "n/a")
        count = now[name]
        ok &= count <= minimum
        flag = "" if count <= minimum else "  OVER"
        print(f"{label:<50} {old:>6} {count:>4} {minimum:>8}{flag}")
    return ok


def print_backlog(now: dict, before: dict, rate_limit: str) -> bool:
    """The backlog's drain; True when every task got exactly one comment."""
    print(f"\nbacklog of {BACKLOG} closed tasks, each with the echo event of its comment (comment only), "
          f"budget {rate_limit}:")
    for name, figures in (("before", before), ("now", now)):
        if figures:
            print(f"  {name:<7} {figures['requests']:5d} requests  {figures['seconds']:7.1f} s  "
                  f"comments per task: {figures['comments']}")
    if before:
        print(f"  drains {before['seconds'] / now['seconds']:.2f}x faster "
              f"({before['requests'] / now['requests']:.2f}x fewer requests)")
    return now["comments"] == [1] and (not before or before["seconds"] / now["seconds"] >= MIN_SPEEDUP)


def main() -> int:
    rate_limit = "50/20" if "--fast" in sys.argv else "50/2"
    now = measure(ROOT, rate_limit)
    with tempfile.TemporaryDirectory(prefix="releasebot-bench-") as folder:
        tree = baseline_tree(Path(folder), BASELINE)
        before = measure(tree, rate_limit) if tree else {}
        if tree:
            remove_tree(tree)
    within = print_cases(now["cases"], before.get("cases", {}))
    once = print_backlog(now["backlog"], before.get("backlog", {}), rate_limit)
    print("every case within its minimum" if within else "A CASE COSTS MORE THAN ITS MINIMUM")
    return 0 if within and once else 1


if __name__ == "__main__":
    sys.exit(main())
