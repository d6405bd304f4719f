"""Exactly once, nothing lost: duplicates, faults, the portal's rate budget, crashes and outages."""

import random
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from redis import Redis
from rq import Queue
from rq.registry import FailedJobRegistry

from cli.localrun import start_redis, tool, wait_until
from sim.server import SimServer
from tests.integration.conftest import DATABASES, TOKEN, post_event
from tests.wire import task_event

pytestmark = pytest.mark.parametrize("database", DATABASES, indirect=True)
FIRST = 2001


def closed_tasks(count: int, status: int = 5) -> list[dict]:
    """Tasks whose chat ends with the release that shipped them."""
    return [{"id": FIRST + i, "status": status, "closedDate": "now-1h" if status == 5 else None,
             "chat": ["looks good", f"deployed in im 24.{i}.0"]} for i in range(count)]


def portal(tasks, web=None, **faults) -> SimServer:
    scenario = {"tasks": tasks, "faults": faults}
    if web is not None:  # the portal re-sends ONTASKUPDATE when the bot writes, as Bitrix24 does
        scenario["events"] = {"url": f"{web.url}/bitrix/events", "application_token": TOKEN}
    return SimServer(scenario)


def send_all(webs, task_ids, copies=1, seed=7):
    bodies = [(webs[n % len(webs)], task_event(t, TOKEN)) for n, t in enumerate(task_ids * copies)]
    random.Random(seed).shuffle(bodies)
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda pair: post_event(*pair).status_code, bodies))


def comment_counts(sim, task_ids) -> dict[int, int]:
    return {t: len(sim.comments(t)) for t in task_ids}


def wait_for_one_comment_each(sim, task_ids, timeout):
    wait_until(lambda: all(comment_counts(sim, task_ids).values()), timeout, "a comment on every task")
    time.sleep(2)  # anything still running would post its duplicate now
    return comment_counts(sim, task_ids)


def failed_jobs(connection) -> int:
    return FailedJobRegistry("releasebot", connection=connection).count


def run_sweep(connection):
    Queue("releasebot", connection=connection).enqueue("worker.jobs.sweep")


def test_300_shuffled_events_from_two_webs_into_three_workers_within_the_rate_budget(processes, redis_conn):
    webs = [processes.web(), processes.web()]
    tasks = [FIRST + i for i in range(100)]
    with portal(closed_tasks(100), web=webs[0], rate_limit="50/2") as sim:
        for _ in range(3):
            processes.worker(VIBE_BASE_URL=sim.base_url)
        assert set(send_all(webs, tasks, copies=3)) == {200}
        counts = wait_for_one_comment_each(sim, tasks, timeout=600)
        assert set(counts.values()) == {1}
        assert failed_jobs(redis_conn) == 0
        print("portal answers:", sim.stats()["byStatus"])


def test_every_task_gets_exactly_one_comment_when_a_fifth_of_calls_fail(processes, redis_conn):
    web = processes.web()
    tasks = [FIRST + i for i in range(30)]
    faults = {"fail_rate": 0.2, "fail_statuses": [502, 503, 504, 429], "slow_rate": 0.05, "slow_seconds": 1,
              "seed": 11}
    with portal(closed_tasks(30), web=web, **faults) as sim:
        for _ in range(2):
            processes.worker(VIBE_BASE_URL=sim.base_url)
        send_all([web], tasks, copies=2)
        assert set(wait_for_one_comment_each(sim, tasks, timeout=900).values()) == {1}
        assert failed_jobs(redis_conn) == 0


def test_a_worker_killed_mid_job_leaves_the_task_to_another_worker(processes, redis_conn):
    web = processes.web()
    task = FIRST
    with portal(closed_tasks(1), slow_rate=1.0, slow_seconds=3) as sim:
        doomed = processes.worker("--job-monitoring-interval", "1", VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(task, TOKEN))
        wait_until(lambda: sim.requests(path_contains=f"/tasks/{task}"), 30, "the job to start")
        doomed.process.send_signal(signal.SIGKILL)
        doomed.stop()
        sim.clear_faults()
        processes.worker("--maintenance-interval", "2", VIBE_BASE_URL=sim.base_url)
        assert wait_for_one_comment_each(sim, [task], timeout=180) == {task: 1}


def test_redis_restarted_mid_stream_loses_no_task_after_a_sweep(processes, env):
    redis = start_redis()
    try:
        web = processes.web(REDIS_URL=redis.url)
        tasks = [FIRST + i for i in range(10)]
        with portal(closed_tasks(10)) as sim:
            processes.worker(REDIS_URL=redis.url, VIBE_BASE_URL=sim.base_url)
            send_all([web], tasks[:5])
            wait_until(lambda: any(comment_counts(sim, tasks[:5]).values()), 30, "the worker to be at work")
            port = redis.url.rsplit(":", 1)[1].split("/")[0]
            redis.stop()
            assert set(send_all([web], tasks[5:])) == {503}
            redis = start_redis(port=int(port))
            run_sweep(Redis.from_url(redis.url))
            assert set(wait_for_one_comment_each(sim, tasks, timeout=120).values()) == {1}
    finally:
        redis.stop()


def test_tasks_closed_while_the_web_app_is_down_get_their_comment_after_a_sweep(processes, redis_conn):
    tasks = [FIRST + i for i in range(5)]
    web = processes.web()
    with portal(closed_tasks(5, status=3), web=web) as sim:
        processes.worker(VIBE_BASE_URL=sim.base_url)
        web.stop()
        for task in tasks:
            sim.close_task(task)
        wait_until(lambda: sim.stats()["events"]["failed"] >= len(tasks), 30, "the portal to give up on events")
        processes.web()
        run_sweep(redis_conn)
        assert set(wait_for_one_comment_each(sim, tasks, timeout=120).values()) == {1}


def test_missing_im_scope_fails_once_with_what_to_fix_and_no_retry_storm(processes, record):
    web = processes.web()
    scenario = {"keys": [{"key": "vibe_api_demo", "scopes": ["task", "tasks"]}], "tasks": closed_tasks(1)}
    with SimServer(scenario) as sim:
        processes.worker(VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(FIRST, TOKEN))
        wait_until(lambda: record.get(FIRST), 30, "a result")
        result = record.get(FIRST).to_json()
        assert result["outcome"] == "failed" and result["error"]["code"] == "insufficient_scope"
        assert "lacks the im scope" in result["error"]["action"]
        time.sleep(2)
        assert len(sim.requests(path_contains="/chat/messages")) == 1





def test_sigterm_mid_job_puts_the_task_back_and_another_worker_finishes_it(processes, redis_conn):
    web = processes.web()
    task = FIRST
    with portal(closed_tasks(1), slow_rate=1.0, slow_seconds=4) as sim:
        stopping = processes.worker(VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(task, TOKEN))
        wait_until(lambda: sim.requests(path_contains=f"/tasks/{task}"), 30, "the job to start")
        stopping.process.send_signal(signal.SIGTERM)
        stopping.process.wait(30)
        sim.clear_faults()
        processes.worker(VIBE_BASE_URL=sim.base_url)
        assert wait_for_one_comment_each(sim, [task], timeout=120) == {task: 1}
        assert failed_jobs(redis_conn) == 0


def test_a_job_failed_after_request_retries_is_not_retried_again_and_reruns_with_one_command(
        processes, redis_conn, env):
    web = processes.web()
    task = FIRST
    failing = [{"route": f"/tasks/{task}", "method": "GET", "status": 429, "count": 100}]
    with portal(closed_tasks(1), fail_next=failing) as sim:
        processes.worker(VIBE_BASE_URL=sim.base_url)
        post_event(web, task_event(task, TOKEN))
        wait_until(lambda: failed_jobs(redis_conn) == 1, 60, "the job to fail")
        assert len(sim.requests(path_contains=f"/tasks/{task}")) == 7  # urllib3's tries, and no RQ retry on top
        sim.clear_faults()
        rerun = subprocess.run([tool("rq"), "requeue", "--all", "--queue", "releasebot", "--url", env["REDIS_URL"]],
                               capture_output=True, text=True, timeout=30)
        assert rerun.returncode == 0, rerun.stderr
        assert wait_for_one_comment_each(sim, [task], timeout=60) == {task: 1}
