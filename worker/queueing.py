"""Putting a task on the queue: one job per task at a time, by dotted path with primitive arguments."""

from __future__ import annotations

from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from releasebot.errors import ReleasebotError

JOB_PATH = "worker.jobs.process_task"
JOB_TIMEOUT = 300
FAILURE_TTL = 7 * 24 * 3600
# Job-level retries cover what the request layer must not retry itself (a comment POST that may
# have been applied) and limits the portal reports in the body (OPERATION_TIME_LIMIT).
JOB_RETRY = Retry(max=4, interval=[5, 30, 120, 600])
ALREADY_QUEUED = "a job for this task is already queued or running"
ENDED = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED})
# Jobs an event may leave waiting at most: a sender with a valid token cannot grow Redis without bound.
# Past it the webhook answers 503; the sweep queues the tasks whose events were turned away.
MAX_WAITING_JOBS = 5_000


class QueueFull(ReleasebotError):
    """The queue holds as many waiting jobs as events may leave; the message says what happens next."""


def check_room(queue: Queue, cap: int = MAX_WAITING_JOBS) -> None:
    """Raise QueueFull when `cap` jobs are already waiting."""
    waiting = queue.count
    if waiting >= cap:
        raise QueueFull(f"queue full: {waiting} jobs are waiting (at most {cap}); the sweep queues this "
                        "task later, or run more workers")


def job_id_for(task_id: int) -> str:
    """The one job id a task is processed under, so duplicates collapse into one job."""
    return f"task-{task_id}"


def enqueue_task(queue: Queue, task_id: int, source: str = "event", quiet: bool = False) -> tuple[bool, str]:
    """Queue the task unless a job for it is already waiting or running; says which. A `quiet` job records
    the result without writing to the task (backfill --index-only)."""
    kwargs = {"task_id": task_id, "source": source} | ({"quiet": True} if quiet else {})
    for _ in range(2):
        try:
            queue.enqueue(
                JOB_PATH,
                kwargs=kwargs,
                job_id=job_id_for(task_id),
                unique=True,
                job_timeout=JOB_TIMEOUT,
                result_ttl=0,
                failure_ttl=FAILURE_TTL,
                retry=JOB_RETRY,
                description=f"process task {task_id} ({source})",
            )
            return True, "queued"
        except DuplicateJobError:
            if not _clear_ended_job(queue, task_id):
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
