"""The one-call enqueue against a real redis-server: the job RQ would write, in one round trip per event."""

from __future__ import annotations

import pytest
from redis import ConnectionPool, Redis
from redis.connection import Connection
from rq import Queue
from rq.job import Job, JobStatus

from infra.queueing import (
    ALREADY_QUEUED,
    BACKFILL_QUEUE,
    COMMENTS_QUEUE,
    FAILURE_TTL,
    JOB_RETRY,
    JOB_TIMEOUT,
    RUNS_AGAIN,
    QueueFull,
    TaskEnqueuer,
    enqueue_task,
    enqueuer_for,
    job_id_for,
    requeue_if_asked,
)
from infra.redis_keys import METRIC_EVENTS
from worker.jobs import process_task

QUEUE = "releasebot"
TIMESTAMPS = {b"created_at", b"enqueued_at"}


class CountingConnection(Connection):
    """A redis-py connection that counts what it sends: one count per round trip (a pipeline is one)."""

    sent: list[bytes] = []

    def send_packed_command(self, command, check_health=True):
        CountingConnection.sent.append(command if isinstance(command, bytes) else b"".join(command))
        return super().send_packed_command(command, check_health)


@pytest.fixture
def counted(redis_service, redis_conn) -> Redis:
    pool = ConnectionPool.from_url(redis_service.url, connection_class=CountingConnection)
    connection = Redis(connection_pool=pool)
    CountingConnection.sent = []
    yield connection
    connection.close()


def stock_enqueue(connection: Redis, task_id: int, source: str = "event", quiet: bool = False) -> None:
    """What the webhook did before the script: RQ's own unique enqueue, with the same options."""
    Queue(QUEUE, connection=connection).enqueue(
        process_task, kwargs={"task_id": task_id, "source": source} | ({"quiet": True} if quiet else {}),
        job_id=job_id_for(task_id), unique=True, job_timeout=JOB_TIMEOUT, result_ttl=0, failure_ttl=FAILURE_TTL,
        retry=JOB_RETRY, description=f"process task {task_id} ({source})")


def saved(connection: Redis, task_id: int) -> dict:
    """Everything RQ keeps for a queued job: its hash (timestamps aside), TTL, queue list, queue registry."""
    key = f"rq:job:{job_id_for(task_id)}"
    fields = {k: v for k, v in connection.hgetall(key).items() if k not in TIMESTAMPS}
    return {"hash": fields, "ttl": connection.ttl(key), "queue": connection.lrange(f"rq:queue:{QUEUE}", 0, -1),
            "queues": connection.smembers("rq:queues")}


# Each kind of job twice: RQ builds the first of a kind, the script's enqueuer makes the later ones itself.
JOBS = [(53, "event", False), (54, "event", False), (60, "sweep", False), (61, "sweep", False),
        (70, "backfill", True), (71, "backfill", True), (55, "event", False)]


def test_the_script_writes_the_job_hash_queue_enqueue_writes(redis_conn):
    for task_id, source, quiet in JOBS:
        stock_enqueue(redis_conn, task_id, source, quiet)
    by_rq = [saved(redis_conn, task_id) for task_id, _, _ in JOBS]
    redis_conn.flushall()
    enqueuer = enqueuer_for(redis_conn, "event", process_task, METRIC_EVENTS)
    for task_id, source, quiet in JOBS:
        assert enqueue_task(enqueuer, task_id, source, quiet) == (True, "queued")
    assert [saved(redis_conn, task_id) for task_id, _, _ in JOBS] == by_rq
    for task_id, _, _ in JOBS:
        assert set(redis_conn.hgetall(f"rq:job:{job_id_for(task_id)}")) >= TIMESTAMPS


def test_a_later_job_of_a_kind_reads_back_with_its_own_arguments_and_a_fresh_time(redis_conn):
    enqueuer = enqueuer_for(redis_conn, "event", process_task, METRIC_EVENTS)
    enqueue_task(enqueuer, 53)
    enqueue_task(enqueuer, 54, "sweep")
    enqueue_task(enqueuer, 55)
    first, later = Job.fetch("task-53", connection=redis_conn), Job.fetch("task-55", connection=redis_conn)
    assert later.kwargs == {"task_id": 55, "source": "event"} and later.description == "process task 55 (event)"
    assert Job.fetch("task-54", connection=redis_conn).kwargs == {"task_id": 54, "source": "sweep"}
    assert later.enqueued_at >= first.enqueued_at and later.created_at >= first.created_at


def test_the_job_the_script_saved_reads_back_as_rq_built_it(redis_conn):
    enqueue_task(TaskEnqueuer(Queue(QUEUE, connection=redis_conn), process_task), 53)
    job = Job.fetch("task-53", connection=redis_conn)
    assert job.func_name == "worker.jobs.process_task"  # the path the worker imports
    assert (job.kwargs, job.timeout, job.result_ttl) == ({"task_id": 53, "source": "event"}, JOB_TIMEOUT, 0)
    assert (job.retries_left, job.retry_intervals, job.failure_ttl) == (4, [5, 30, 120, 600], FAILURE_TTL)
    assert job.get_status() == JobStatus.QUEUED and job.origin == QUEUE


def test_a_new_event_and_a_duplicate_each_cost_one_redis_round_trip_counted_for_metrics(counted):
    enqueuer = enqueuer_for(counted, "event", process_task, METRIC_EVENTS)
    enqueue_task(enqueuer, 1)  # the first call loads the script and reads the server version, once
    CountingConnection.sent = []
    assert enqueue_task(enqueuer, 2) == (True, "queued")
    assert enqueue_task(enqueuer, 2) == (False, ALREADY_QUEUED)
    assert len(CountingConnection.sent) == 2
    assert all(command.split(b"\r\n")[2].upper() == b"EVALSHA" for command in CountingConnection.sent)
    assert counted.hgetall(METRIC_EVENTS) == {b"queued": b"2", b"already_queued": b"1"}


def test_past_the_cap_a_new_task_is_refused_and_a_duplicate_still_answered(redis_conn):
    enqueuer = enqueuer_for(redis_conn, "event", process_task, METRIC_EVENTS)
    enqueuer.max_waiting = 2
    enqueue_task(enqueuer, 1), enqueue_task(enqueuer, 2)
    with pytest.raises(QueueFull, match="sweep"):
        enqueue_task(enqueuer, 3)
    assert enqueue_task(enqueuer, 1) == (False, ALREADY_QUEUED)
    assert not redis_conn.exists("rq:job:task-3") and redis_conn.hget(METRIC_EVENTS, "queue_full") == b"1"


def test_a_duplicate_while_the_job_runs_is_not_queued_but_the_task_runs_again_after_it(redis_conn):
    queue = Queue(QUEUE, connection=redis_conn)
    enqueuer = TaskEnqueuer(queue, process_task)
    enqueue_task(enqueuer, 7)
    redis_conn.hset("rq:job:task-7", "status", JobStatus.STARTED.value)
    redis_conn.delete(f"rq:queue:{QUEUE}")
    assert enqueue_task(enqueuer, 7) == (False, RUNS_AGAIN)
    assert queue.job_ids == []
    job = Job.fetch("task-7", connection=redis_conn)
    job.delete()  # RQ's success handling, with result_ttl=0
    assert requeue_if_asked(queue, job) and queue.job_ids == ["task-7"]
    assert not requeue_if_asked(queue, job)  # once


def test_an_event_meeting_a_job_that_ends_meanwhile_queues_the_task(redis_conn, monkeypatch):
    queue = TaskEnqueuer(Queue(QUEUE, connection=redis_conn), process_task)
    enqueue_task(queue, 7)
    redis_conn.hset("rq:job:task-7", "status", JobStatus.STARTED.value)
    redis_conn.delete(f"rq:queue:{QUEUE}")
    real_pipeline = redis_conn.pipeline

    def job_ends_first(*args, **kw):  # the job ends between the event's enqueue call and its note
        redis_conn.delete("rq:job:task-7")
        return real_pipeline(*args, **kw)

    monkeypatch.setattr(redis_conn, "pipeline", job_ends_first)
    assert enqueue_task(queue, 7) == (True, "queued")


def test_a_failed_job_holding_the_id_gives_way_to_a_new_one(redis_conn):
    queue = Queue(QUEUE, connection=redis_conn)
    enqueuer = TaskEnqueuer(queue, process_task)
    enqueue_task(enqueuer, 7)
    redis_conn.hset("rq:job:task-7", "status", JobStatus.FAILED.value)
    redis_conn.delete(f"rq:queue:{QUEUE}")
    assert enqueue_task(enqueuer, 7) == (True, "queued")
    assert queue.job_ids == ["task-7"]
    assert Job.fetch("task-7", connection=redis_conn).get_status() == JobStatus.QUEUED


def test_a_task_event_takes_the_tasks_waiting_backfill_job_up_into_its_queue_as_an_events_job(redis_conn):
    enqueue_task(enqueuer_for(redis_conn, "backfill", process_task), 53, "backfill", quiet=True)
    assert enqueue_task(enqueuer_for(redis_conn, "event", process_task), 53) == (True, "queued")
    job = Job.fetch("task-53", connection=redis_conn)
    assert (job.origin, job.kwargs) == (QUEUE, {"task_id": 53, "source": "event"})
    assert Queue(QUEUE, connection=redis_conn).job_ids == ["task-53"]
    assert Queue(BACKFILL_QUEUE, connection=redis_conn).job_ids == []


def test_a_comment_moves_a_waiting_backfill_job_up_with_its_own_arguments(redis_conn):
    enqueue_task(enqueuer_for(redis_conn, "backfill", process_task), 53, "backfill", quiet=True)
    assert enqueue_task(enqueuer_for(redis_conn, "comment", process_task), 53, "comment") == (True, "queued")
    job = Job.fetch("task-53", connection=redis_conn)
    assert (job.origin, job.kwargs) == (COMMENTS_QUEUE, {"task_id": 53, "source": "backfill", "quiet": True})
    assert Queue(COMMENTS_QUEUE, connection=redis_conn).job_ids == ["task-53"]
    assert Queue(BACKFILL_QUEUE, connection=redis_conn).job_ids == []


def test_a_comment_leaves_a_task_events_job_where_it_is(redis_conn):
    enqueue_task(enqueuer_for(redis_conn, "event", process_task), 53)
    assert enqueue_task(enqueuer_for(redis_conn, "comment", process_task), 53, "comment") == (False, ALREADY_QUEUED)
    assert Job.fetch("task-53", connection=redis_conn).origin == QUEUE
    assert Queue(COMMENTS_QUEUE, connection=redis_conn).job_ids == []


def test_a_full_backfill_queue_leaves_room_for_events(redis_conn):
    backfill = enqueuer_for(redis_conn, "backfill", process_task)
    backfill.max_waiting = 2
    enqueue_task(backfill, 1, "backfill"), enqueue_task(backfill, 2, "backfill")
    with pytest.raises(QueueFull, match=BACKFILL_QUEUE):
        enqueue_task(backfill, 3, "backfill")
    assert enqueue_task(enqueuer_for(redis_conn, "event", process_task), 3) == (True, "queued")
