"""Putting a task on a queue: one job per task at a time, by dotted path with primitive arguments.

Three queues, which every worker takes jobs from in this order (RQ's queue priority): task events, then
comment events, then the sweep's and backfill's work. A task closing is never behind a flood of comments or
a year of backfill, and each queue has its own bound, so neither can take the others' room.
"""

from __future__ import annotations

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job

from infra.enqueue_script import CREATED, ENDED, FULL, UniqueEnqueuer
from releasebot.errors import ReleasebotError
from releasebot.settings import QUEUE_NAME

JOB_PATH = "worker.jobs.process_task"
JOB_TIMEOUT = 300
FAILURE_TTL = 7 * 24 * 3600
# Job-level retries cover what the request layer must not retry itself (a comment POST that may
# have been applied) and limits the portal reports in the body (OPERATION_TIME_LIMIT).
JOB_RETRY = Retry(max=4, interval=[5, 30, 120, 600])
ALREADY_QUEUED = "a job for this task is already queued or running"
EVENTS_QUEUE = QUEUE_NAME  # ONTASKADD, ONTASKUPDATE: a task that may have just closed
COMMENTS_QUEUE = f"{QUEUE_NAME}-comments"  # ONTASKCOMMENTADD: a late message after a result
BACKFILL_QUEUE = f"{QUEUE_NAME}-backfill"  # the sweep's and `releasebot backfill`'s tasks
QUEUES = (EVENTS_QUEUE, COMMENTS_QUEUE, BACKFILL_QUEUE)  # the order workers take jobs in (Procfile)
QUEUE_OF_SOURCE = {"event": EVENTS_QUEUE, "comment": COMMENTS_QUEUE, "sweep": BACKFILL_QUEUE,
                   "backfill": BACKFILL_QUEUE}
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


def enqueuer_for(connection: Redis, source: str, answers_key: str | None = None) -> UniqueEnqueuer:
    """The enqueuer of `source`'s queue, with that queue's cap. A task's job still waiting in a lower queue is
    taken up into this one: replaced by a task event's job, moved as it is by a comment event."""
    name = QUEUE_OF_SOURCE[source]
    lower = {other: Queue(other, connection=connection).key for other in QUEUES[QUEUES.index(name) + 1:]}
    return UniqueEnqueuer(Queue(name, connection=connection), max_waiting=MAX_WAITING[name],
                          answers_key=answers_key, lower=lower, replaces_lower=name == EVENTS_QUEUE)


def webhook_enqueuers(connection: Redis, answers_key: str) -> dict[str, UniqueEnqueuer]:
    """The webhook's enqueuers, for task events and for comment events; every answer counted in `answers_key`."""
    return {source: enqueuer_for(connection, source, answers_key) for source in ("event", "comment")}


def as_enqueuer(target: Queue | UniqueEnqueuer) -> UniqueEnqueuer:
    """An enqueuer for the queue (made once for a run of many tasks: its script and job kinds are kept)."""
    return target if isinstance(target, UniqueEnqueuer) else UniqueEnqueuer(target)


def enqueue_task(target: Queue | UniqueEnqueuer, task_id: int, source: str = "event",
                 quiet: bool = False) -> tuple[bool, str]:
    """Queue the task unless a job for it is already waiting or running (one Redis call); says which. A
    `quiet` job records the result without writing to the task (backfill --index-only).

    Raises QueueFull when the enqueuer has a cap and that many jobs are waiting.
    """
    enqueuer = as_enqueuer(target)
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
        answer = enqueuer.enqueue(JOB_PATH, **options)
        if answer == CREATED:
            return True, "queued"
        if answer == FULL:
            raise QueueFull(f"queue full: {enqueuer.max_waiting} jobs are waiting in {enqueuer.queue.name}; the "
                            "sweep queues this task later, or run more workers")
        # A failed or stopped job keeps the id for FAILURE_TTL: clear it (rare, so the slow way) and retry.
        if answer not in ENDED or not _clear_ended_job(enqueuer.queue, task_id):
            return False, ALREADY_QUEUED
    return False, ALREADY_QUEUED


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
