"""API requests one task costs, by chat length and portal kind (counts, not timings: they do not drift).

    python bench/requests_bench.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from releasebot.rules import load_rules
from releasebot.sim.server import SimServer
from worker.process import handle_task
from worker.vibecode.client import VibeClient

SIZES = (10, 200, 201, 450, 1000)


def scenario(legacy: bool) -> dict:
    chats = {size: [{"generate": {"count": size, "text": "chatter {n}", "first": "deployed in im 24.500.0"}}]
             for size in SIZES}
    return {"portal": {"legacy": legacy}, "tasks": [{"id": size, "status": 5, "chat": chat}
                                                    for size, chat in chats.items()]}


def main() -> None:
    rules = load_rules(Path(__file__).resolve().parents[1] / "rules.yaml")
    print(f"scan.max_messages = {rules.max_messages}; requests per task "
          "(task + chat pages + comments + post + one PATCH for the tag)")
    print(f"{'chat length':>12} {'modern portal':>14} {'legacy portal':>14}")
    rows = {}
    for legacy in (False, True):
        with SimServer(scenario(legacy)) as sim, VibeClient(sim.base_url, sim.api_key) as api:
            for size in SIZES:
                handle_task(size, api=api, rules=rules)
                rows.setdefault(size, []).append(len(sim.requests(path_contains=f"/tasks/{size}")))
    for size, (modern, old) in rows.items():
        print(f"{size:>12} {modern:>14} {old:>14}")


if __name__ == "__main__":
    main()
