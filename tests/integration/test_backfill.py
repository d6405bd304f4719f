"""Adopting the bot on history quietly: `releasebot backfill --index-only` over 500 closed tasks."""

from __future__ import annotations

import subprocess
import time

import pytest
from rq import Queue

from cli.backfill import queue_range
from cli.localrun import tool
from infra.queueing import BACKFILL_QUEUE, EVENTS_QUEUE, MAX_WAITING_JOBS, QUEUES
from releasebot.model import Task
from sim.server import SimServer
from tests.integration.conftest import TOKEN
from tests.wire import task_event
from web import create_app
from worker.vibecode.client import TaskPage

TASKS = 500
PORTAL_BUCKET = "60/60"  # the simulated portal answers 429 to any request over it
BUDGET = "50/50"  # the bot's shared budget, set a little under the bucket as an operator would (timing jitter)
SEARCH_PAGE = 50


def history() -> dict:
    """500 closed tasks, each chat announcing one of 25 im versions."""
    tasks = [{"id": 1000 + n, "title": f"Task number {n}", "status": 5, "closedDate": f"now-{TASKS - n}m",
              "tags": ["im"], "chat": [{"authorId": 1, "text": f"deployed in im 24.{n % 25}.0"}]}
             for n in range(TASKS)]
    return {"keys": [{"key": "vibe_api_demo"}], "tasks": tasks}


@pytest.fixture
def portal():
    with SimServer(history(), rate_limit=PORTAL_BUCKET) as server:
        yield server


def backfill(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([tool("releasebot"), "backfill", *args], env=env, capture_output=True, text=True,
                          timeout=600)


def test_index_only_backfill_of_500_tasks_fills_the_index_posts_nothing_within_budget(
        processes, env, portal, record):
    env = env | {"VIBE_BASE_URL": portal.base_url, "VIBE_RATE_LIMIT": BUDGET}
    for _ in range(2):
        processes.worker(**env)
    started = time.monotonic()
    done = backfill(env, "--since", "2020-01-01", "--index-only", "--wait")
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert f"{TASKS} queued" in done.stdout and f"results: {TASKS} found" in done.stdout
    assert "queueing closed tasks (index only)" in done.stderr and "waiting for the workers" in done.stderr

    releases = record.releases().items
    assert sum(row["tasks"] for row in releases) == TASKS and len(releases) == 25
    calls = portal.requests()
    assert [c for c in calls if c["method"] in ("PATCH", "POST") and c["path"] != "/v1/tasks/search"] == []
    assert [c for c in calls if c["status"] == 429] == [], "the shared budget kept every request within the bucket"
    # GET /me: the key's user, asked once per key (two workers starting together may both ask) and kept
    asked_me = [c for c in calls if c["path"] == "/v1/me"]
    assert len(asked_me) <= 2 and len(calls) - len(asked_me) <= 2 * TASKS + TASKS // SEARCH_PAGE + 1
    print(f"\nbackfill --index-only of {TASKS} tasks: {took:.1f}s, {len(calls)} requests, budget {BUDGET} "
          f"under a portal bucket of {PORTAL_BUCKET}")

    again = backfill(env, "--since", "2020-01-01", "--index-only")
    assert f"0 queued, {TASKS} skipped" in again.stdout


def test_a_range_that_ends_before_it_starts_is_an_error(env, portal):
    done = backfill(env | {"VIBE_BASE_URL": portal.base_url}, "--since", "2026-06-10", "--until", "2026-06-01")
    assert done.returncode == 1 and "--until" in done.stderr and "before --since" in done.stderr
    assert portal.requests() == []


def test_a_second_backfill_leaves_the_tasks_the_bot_commented_and_tagged_alone(processes, env, sim):
    processes.worker()
    first = backfill(env, "--since", "2020-01-01", "--wait")
    assert first.returncode == 0, first.stderr
    assert sim.comments(53) and sim.task(53)["tags"] == ["im", "im 24.500.0"]
    # The bot's comment and tags moved each task's changedDate (on the portal's clock) past processedAt.
    searches = len(sim.requests())
    again = backfill(env, "--since", "2020-01-01", "--wait")
    found = int(again.stdout.split(" closed tasks")[0])
    assert f"0 queued, {found} skipped" in again.stdout, again.stdout
    assert [c["path"] for c in sim.requests()[searches:]] == ["/v1/tasks/search"]
class LargeHistory:
    """A portal whose search finds `count` closed tasks (ids from 100000), and nothing else."""

    def __init__(self, count: int):
        self.tasks = [Task(100_000 + n, 5) for n in range(count)]

    def search_tasks(self, filter, *, order=None, select=None, limit=50, offset=0) -> TaskPage:
        return TaskPage(tuple(self.tasks[offset:offset + limit]), offset + limit < len(self.tasks))


def test_a_backfill_larger_than_the_event_queue_leaves_a_closing_task_room_and_the_first_place(redis_conn, record):
    tasks = MAX_WAITING_JOBS + 200  # issue 19: 5,200 backfilled jobs turned a real close event away with 503
    counts = queue_range(LargeHistory(tasks), Queue(EVENTS_QUEUE, connection=redis_conn), record,
                         {5}, "2020-01-01", "2030-01-01", quiet=True)
    assert counts["queued"] == tasks and Queue(BACKFILL_QUEUE, connection=redis_conn).count == tasks

    client = create_app({"BITRIX_APP_TOKEN": TOKEN}, connection=redis_conn, engine=record.engine).test_client()
    answer = client.post("/bitrix/events", data=task_event(53, TOKEN),
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200 and answer.json["queued"] is True
    job, _ = Queue.dequeue_any([Queue(name, connection=redis_conn) for name in QUEUES], None,
                               connection=redis_conn)
    assert job.id == "task-53"
