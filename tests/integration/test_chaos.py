"""Chaos: faults, comments applied then answered 502, a worker SIGKILL, a Redis restart and a web outage at once.

After one sweep every closed task carries exactly one comment.
"""

import signal

import pytest
from redis import Redis

from cli.localrun import start_redis, wait_until
from tests.integration.conftest import DATABASES
from tests.integration.test_exactly_once import (
    FIRST,
    closed_tasks,
    comment_counts,
    portal,
    run_sweep,
    send_all,
    wait_for_one_comment_each,
)

pytestmark = pytest.mark.parametrize("database", DATABASES, indirect=True)
CLOSED, LATE = 20, 5  # closed from the start; closed while the web app is down
FAULTS = {
    "fail_rate": 0.1, "fail_statuses": [502, 503, 504, 429], "slow_rate": 0.3, "slow_seconds": 1, "seed": 5,
    "fail_next": [{"route": "/comments", "method": "POST", "status": 502, "count": 4, "applied": True}],
}
WORKER_ENV = {"VIBE_RATE_LIMIT": "200/20"}  # the test's portal has no budget: let the bot go fast


def test_every_closed_task_is_commented_exactly_once_through_chaos_and_one_sweep(processes):
    redis = start_redis()
    port = int(redis.url.rsplit(":", 1)[1].split("/")[0])
    try:
        web = processes.web(REDIS_URL=redis.url)
        tasks = [FIRST + n for n in range(CLOSED + LATE)]
        scenario_tasks = closed_tasks(CLOSED) + closed_tasks(CLOSED + LATE, status=3)[CLOSED:]
        with portal(scenario_tasks, web=web, **FAULTS) as sim:
            workers = [processes.worker("--maintenance-interval", "5", REDIS_URL=redis.url,
                                        VIBE_BASE_URL=sim.base_url, **WORKER_ENV) for _ in range(3)]
            send_all([web], tasks[:CLOSED], copies=2)

            wait_until(lambda: sum(comment_counts(sim, tasks).values()) >= 3, 60, "the first comments")
            workers[0].process.send_signal(signal.SIGKILL)

            wait_until(lambda: sum(comment_counts(sim, tasks).values()) >= 8, 60, "more comments")
            redis.stop()
            assert set(send_all([web], tasks[:CLOSED])) == {503}
            redis = start_redis(port=port)

            web.stop()
            for task in tasks[CLOSED:]:
                sim.close_task(task)
            wait_until(lambda: sim.stats()["events"]["failed"] >= LATE, 30, "the portal to give up on events")
            processes.web(REDIS_URL=redis.url)

            run_sweep(Redis.from_url(redis.url))
            counts = wait_for_one_comment_each(sim, tasks, timeout=90)
            assert set(counts.values()) == {1}, counts
            applied = [r for r in sim.requests(path_contains="/comments", method="POST") if r["fault"] == "fail_next"]
            print("portal answers:", sim.stats()["byStatus"], "faults:", sim.stats()["faults"])
            assert len(applied) == 4, "no comment POST was applied then answered 502"
    finally:
        redis.stop()
