"""Putting a task on a queue: one job per task at a time, by dotted path with primitive arguments.

Three queues, which every worker takes jobs from in this order (RQ's queue priority): task events, then
comment events, then the sweep's and backfill's work. A task closing is never behind a flood of comments or
a year of backfill, and each queue has its own bound, so neither can take the others' room.

The job itself (worker.jobs.process_task) is handed in by whoever builds a TaskEnqueuer: this shared layer
names no module above it; RQ stores the job's import path, which is what a worker imports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from infra.enqueue_script import CREATED, ENDED, FULL, UniqueEnqueuer
from infra.redis_keys import METRIC_EVENTS, RERUN
from releasebot.errors import ReleasebotError
from releasebot.settings import QUEUE_NAME

__all__ = ["ENDED", "QUEUES", "RUNS_AGAIN", "QueueFull", "TaskEnqueuer", "enqueue_task", "enqueuer_for", "job_id_for",
           "requeue_if_asked", "webhook_enqueuers"]

log = logging.getLogger(__name__)
JOB_TIMEOUT = 300
FAILURE_TTL = 7 * 24 * 3600
# Job-level retries cover what the request layer must not retry itself (a comment POST that may
# have been applied) and limits the portal reports in the body (OPERATION_TIME_LIMIT).
JOB_RETRY = Retry(max=4, interval=[5, 30, 120, 600])
ALREADY_QUEUED = "a job for this task is already queued or running"
RUNS_AGAIN = "a job for this task is running: the task is queued again when it ends"
# The statuses of a job that still holds its task's id and will end in RQ's success or failure handling.
HOLDING = frozenset(s.value for s in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED))
EVENTS_QUEUE = QUEUE_NAME  # ONTASKADD, ONTASKUPDATE: a task that may have just closed
COMMENTS_QUEUE = f"{QUEUE_NAME}-comments"  # ONTASKCOMMENTADD: a late message after a result
BACKFILL_QUEUE = f"{QUEUE_NAME}-backfill"  # the sweep's and `releasebot backfill`'s tasks
QUEUES = (EVENTS_QUEUE, COMMENTS_QUEUE, BACKFILL_QUEUE)  # the order workers take jobs in (Procfile)
QUEUE_OF_SOURCE = {"event": EVENTS_QUEUE, "comment": COMMENTS_QUEUE, "sweep": BACKFILL_QUEUE,
                   "backfill": BACKFILL_QUEUE, "rerun": EVENTS_QUEUE}
# Jobs each queue may hold waiting: a sender with a valid token cannot grow Redis without bound. Past the
# cap the webhook answers 503 (the sweep queues the tasks whose events were turned away), the sweep stops
# and comes back at its next run, and backfill waits for room.
MAX_WAITING_JOBS = 5_000
MAX_WAITING_COMMENTS = 2_000
MAX_WAITING_BACKFILL = 10_000
MAX_WAITING = {EVENTS_QUEUE: MAX_WAITING_JOBS, COMMENTS_QUEUE: MAX_WAITING_COMMENTS,
               BACKFILL_QUEUE: MAX_WAITING_BACKFILL}


class QueueFull(ReleasebotError):
    """The queue holds as many waiting jobs as events may leave; the message says what happens next."""


def job_id_for(task_id: int) -> str:
    """The one job id a task is processed under, so duplicates collapse into one job."""
    return f"task-{task_id}"


class TaskEnqueuer(UniqueEnqueuer):
    """Queues `job`, the function that processes one task, referred to by its import path as RQ stores it.

    Made once for a run of many tasks (its script and job kinds are kept). With `answers_key`, every answer to
    an event is counted in that hash, here and nowhere else: the enqueue script counts the answers it gives
    (queued, already_queued, queue_full) in its one call, `count` the ones given before queueing.
    """

    def __init__(self, queue: Queue, job: Callable[..., object], *, max_waiting: int = 0,
                 answers_key: str | None = None, lower: dict[str, str] | None = None, replaces_lower: bool = False):
        super().__init__(queue, max_waiting=max_waiting, answers_key=answers_key, lower=lower,
                         replaces_lower=replaces_lower)
        self.job_path = f"{job.__module__}.{job.__qualname__}"

    def count(self, answer: str) -> None:
        """Count an answer given without queueing (unauthorized, malformed, ignored); never fails the answer."""
        if not self.answers_key:
            return
        try:
            self.connection.hincrby(self.answers_key, answer, 1)
        except RedisError as error:  # Redis trouble shows in /healthz; an answer is never failed for a counter
            log.debug("event answer not counted: %s", error)


def enqueuer_for(connection: Redis, source: str, job: Callable[..., object],
                 answers_key: str | None = None) -> TaskEnqueuer:
    """The enqueuer of `source`'s queue, with that queue's cap. A task's job still waiting in a lower queue is
    taken up into this one: replaced by a task event's job, moved as it is by a comment event."""
    name = QUEUE_OF_SOURCE[source]
    lower = {other: Queue(other, connection=connection).key for other in QUEUES[QUEUES.index(name) + 1:]}
    return TaskEnqueuer(Queue(name, connection=connection), job, max_waiting=MAX_WAITING[name],
                        answers_key=answers_key, lower=lower, replaces_lower=name == EVENTS_QUEUE)


def webhook_enqueuers(connection: Redis, job: Callable[..., object]) -> dict[str, TaskEnqueuer]:
    """The webhook's enqueuers, for task events and for comment events; every answer counted for /metrics."""
    return {source: enqueuer_for(connection, source, job, METRIC_EVENTS) for source in ("event", "comment")}


def enqueue_task(enqueuer: TaskEnqueuer, task_id: int, source: str = "event",
                 quiet: bool = False) -> tuple[bool, str]:
    """Queue the task unless a job for it is already waiting or running (one Redis call); says which. A
    `quiet` job records the result without writing to the task (backfill --index-only).

    Raises QueueFull when the enqueuer has a cap and that many jobs are waiting.
    """
    options = dict(
        kwargs={"task_id": task_id, "source": source} | ({"quiet": True} if quiet else {}),
        job_id=job_id_for(task_id),
        timeout=JOB_TIMEOUT,
        result_ttl=0,
        failure_ttl=FAILURE_TTL,
        retry=JOB_RETRY,
        description=f"process task {task_id} ({source})",
    )
    for _ in range(2):
        answer = enqueuer.enqueue(enqueuer.job_path, **options)
        if answer == CREATED:
            return True, "queued"
        if answer == FULL:
            raise QueueFull(f"queue full: {enqueuer.max_waiting} jobs are waiting in {enqueuer.queue.name}; the "
                            "sweep queues this task later, or run more workers")
        # A running job may have read the chat before this event's message: it must not swallow the event.
        if answer == JobStatus.STARTED.value and _runs_again(enqueuer.queue, task_id):
            return False, RUNS_AGAIN
        # A failed or stopped job keeps the id for FAILURE_TTL (or a running one just ended): clear it (rare,
        # so the slow way) and retry.
        if answer not in ENDED | {JobStatus.STARTED.value} or not _clear_ended_job(enqueuer.queue, task_id):
            return False, ALREADY_QUEUED
    return False, ALREADY_QUEUED


def _runs_again(queue: Queue, task_id: int) -> bool:
    """Ask for the task to be queued again when its running job ends; False if the job has ended already.

    The note is written before the job's status is read: a job still holding the id then ends after the
    note, and RQ's success handling (requeue_if_asked) finds it. Only a job that ended before needs a new one.
    """
    pipe = queue.connection.pipeline()
    pipe.sadd(RERUN, task_id)
    pipe.hget(Job.key_for(job_id_for(task_id)), "status")
    _, status = pipe.execute()
    return status is not None and status.decode() in HOLDING


def requeue_if_asked(queue: Queue, job: Job) -> bool:
    """After a task's job ended well: queue the task again if an event came while it ran (RUNS_AGAIN)."""
    task_id = job.kwargs.get("task_id")
    if task_id is None or not queue.connection.srem(RERUN, task_id):
        return False
    enqueuer = enqueuer_for(queue.connection, "rerun", job.func)  # the job function RQ imported to run it
    queued, _ = enqueue_task(enqueuer, task_id, source="rerun", quiet=bool(job.kwargs.get("quiet")))
    return queued


def _clear_ended_job(queue: Queue, task_id: int) -> bool:
    """Remove a finished or failed job that still holds the task's id; True if the id is free now."""
    try:
        job = Job.fetch(job_id_for(task_id), connection=queue.connection)
    except NoSuchJobError:
        return True
    if job.get_status(refresh=False) not in ENDED:
        return False
    job.delete()
    return True
