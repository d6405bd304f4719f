"""A task closing goes first: comment events and the sweep's and backfill's work wait below task events,
each in a queue with its own bound, and a comment that cannot change a result costs no portal request."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rq import Queue

from infra.queueing import BACKFILL_QUEUE, COMMENTS_QUEUE, EVENTS_QUEUE, MAX_WAITING, enqueuer_for
from releasebot.model import Task, TaskResult
from tests.client.vibe_fakes import API_KEY, StubServer
from tests.unit.conftest import TOKEN
from tests.wire import task_event
from worker import jobs
from worker.sweep import queue_closed, queue_missed
from worker.vibecode.client import TaskPage

ROOT = Path(__file__).resolve().parents[2]
FORM = "application/x-www-form-urlencoded"
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def procfile_queues() -> list[str]:
    """The queues the Procfile's worker takes jobs from, in its order."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    return line.split()[-3:] if "--worker-ttl" in line else []


def comment_event(task_id: int) -> str:
    return task_event(task_id, TOKEN).replace("ONTASKUPDATE", "ONTASKCOMMENTADD").replace(
        "FIELDS_AFTER%5D%5BID", "FIELDS_AFTER%5D%5BTASK_ID")


def post(client, body: str):
    return client.post("/bitrix/events", data=body, content_type=FORM)


def next_job_id(redis) -> str:
    """The job a worker started from the Procfile would take next."""
    queues = [Queue(name, connection=redis) for name in procfile_queues()]
    job, _ = Queue.dequeue_any(queues, None, connection=redis)
    return job.id


class History:
    """A portal whose search finds `count` closed tasks, ids from 1000."""

    def __init__(self, count: int):
        self.tasks = [Task(1000 + n, 5) for n in range(count)]

    def search_tasks(self, filter, *, order=None, select=None, limit=50, offset=0) -> TaskPage:
        page = tuple(self.tasks[offset:offset + limit])
        return TaskPage(page, offset + limit < len(self.tasks))


def test_a_task_closing_is_taken_before_comments_that_came_first(client, redis):
    for task_id in (60, 61):
        post(client, comment_event(task_id))
    post(client, task_event(53, TOKEN))
    assert next_job_id(redis) == "task-53"


def test_a_flood_of_comments_never_turns_a_closing_task_away(client, redis):
    with redis.pipeline() as pipe:
        for n in range(MAX_WAITING[COMMENTS_QUEUE]):
            pipe.rpush(Queue(COMMENTS_QUEUE, connection=redis).key, f"filler-{n}")
        pipe.execute()
    assert post(client, comment_event(60)).status_code == 503
    answer = post(client, task_event(53, TOKEN))
    assert answer.status_code == 200 and answer.json["queued"] is True
    assert Queue(EVENTS_QUEUE, connection=redis).job_ids == ["task-53"]


def test_the_sweep_and_backfill_go_after_every_event(client, redis):
    queue_closed(History(3), enqueuer_for(redis, "backfill", jobs.process_task), {5}, "2020-01-01", source="backfill")
    post(client, comment_event(60))
    post(client, task_event(53, TOKEN))
    assert [next_job_id(redis) for _ in range(3)] == ["task-53", "task-60", "task-1000"]


def test_a_full_backfill_queue_makes_backfill_wait_for_room_not_grow(redis, monkeypatch):
    monkeypatch.setitem(MAX_WAITING, BACKFILL_QUEUE, 2)
    queue = Queue(BACKFILL_QUEUE, connection=redis)
    waits = []

    def a_worker_takes_one():
        waits.append(queue.count)
        queue.pop_job_id()

    counts = queue_closed(History(5), enqueuer_for(redis, "backfill", jobs.process_task), {5}, "2020-01-01",
                          wait_for_room=a_worker_takes_one)
    assert counts["queued"] == 5 and waits == [2, 2, 2] and queue.count == 2


def test_a_sweep_meeting_a_full_queue_stops_and_keeps_its_watermark(redis, store, monkeypatch):
    monkeypatch.setitem(MAX_WAITING, BACKFILL_QUEUE, 2)
    counts = queue_missed(History(5), enqueuer_for(redis, "sweep", jobs.process_task), store, {5}, NOW)
    assert counts["queued"] == 2 and "queue full" in counts["full"]
    assert store.sweep_watermark() is None
    assert queue_missed(History(0), enqueuer_for(redis, "sweep", jobs.process_task), store, {5}, NOW)["full"] == ""
    assert store.sweep_watermark() == NOW


@pytest.fixture
def portal(monkeypatch, store):
    """A stub portal recording every request, and the job's settings and record pointed at it."""
    monkeypatch.setattr(jobs, "store", lambda: store)
    with StubServer() as stub:
        stub.reply(404, {"success": False, "error": {"code": "ENTITY_NOT_FOUND", "message": "no such task"}})
        monkeypatch.setenv("VIBE_API_KEY", API_KEY)
        monkeypatch.setenv("VIBE_BASE_URL", stub.base_url)
        jobs.settings.cache_clear()
        yield stub
        jobs.settings.cache_clear()


def run_job(redis, source: str):
    queue = Queue(EVENTS_QUEUE, connection=redis, is_async=False)
    return queue.enqueue("worker.jobs.process_task", task_id=53, source=source)


def test_a_comment_on_a_task_without_a_final_result_costs_no_portal_request(redis, portal):
    job = run_job(redis, "comment")
    assert portal.seen == [] and "skipped" in job.return_value()


@pytest.mark.parametrize("outcome", ["not_closed", "failed"])
def test_a_comment_on_a_task_whose_result_is_not_final_costs_no_portal_request(redis, store, portal, outcome):
    store.save(TaskResult(53, outcome, "2026-06-10T12:00:00+00:00"))
    run_job(redis, "comment")
    assert portal.seen == []


def test_a_comment_after_a_final_result_and_a_task_event_are_read(redis, store, portal):
    store.save(TaskResult(53, "not_found", "2026-06-10T12:00:00+00:00"))
    run_job(redis, "comment")
    run_job(redis, "event")
    assert len({seen.path for seen in portal.seen}) >= 1 and len(portal.seen) >= 2
