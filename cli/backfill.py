"""`releasebot backfill`: queue the tasks closed in a date range, with progress, and wait for them if asked."""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import datetime

import click
from rq import Queue
from rq.job import Job

from releasebot.errors import ConfigError

POLL_SECONDS = 0.5
ROOM_POLL_SECONDS = 2.0  # a full backfill queue is looked at again this often (the workers free room slowly)


def check_range(since: str, until: str) -> None:
    """A range that ends before it starts is an error, not an empty backfill."""
    if datetime.fromisoformat(until) < datetime.fromisoformat(since):
        raise ConfigError(f"--until {until} is before --since {since}: nothing could be in that range")


def queue_range(api, queue: Queue, store, statuses, since: str, until: str, quiet: bool) -> dict:
    """Search and queue the range, counting on a progress line; tasks with a final result are skipped. The
    tasks go to the backfill queue, below live events; when it is full, this waits for the workers."""
    from infra.queueing import enqueuer_for
    from worker.jobs import process_task
    from worker.sweep import has_final_result, queue_closed

    label = "queueing closed tasks" + (" (index only)" if quiet else "")

    def with_progress(found):
        with click.progressbar(found, label=label, file=sys.stderr, show_pos=True) as bar:
            yield from bar

    return queue_closed(api, enqueuer_for(queue.connection, "backfill", process_task), statuses, since, until,
                        done=has_final_result(store), quiet=quiet, tasks=with_progress,
                        wait_for_room=lambda: time.sleep(ROOM_POLL_SECONDS))


def wait_for(queue: Queue, task_ids: list[int]) -> None:
    """Show a progress bar until every task's job has ended (finished jobs leave no trace, failed ones stay)."""
    from infra.queueing import job_id_for

    pending = [job_id_for(task_id) for task_id in task_ids]
    with click.progressbar(length=len(pending), label="waiting for the workers", file=sys.stderr,
                           show_pos=True) as bar:
        while pending:
            jobs = Job.fetch_many(pending, connection=queue.connection)
            still = [job_id for job_id, job in zip(pending, jobs, strict=True) if job and not _ended(job)]
            bar.update(len(pending) - len(still))
            pending = still
            if pending:
                time.sleep(POLL_SECONDS)


def _ended(job: Job) -> bool:
    from infra.queueing import ENDED

    return job.get_status(refresh=False) in ENDED


def summary(counts: dict, since: str, until: str) -> str:
    """One line on what was found and queued."""
    return (f"{counts['found']} closed tasks from {since} to {until}: {counts['queued']} queued, "
            f"{counts['done']} skipped (final result already), {counts['already_queued']} already queued")


def outcomes_line(store, task_ids: list[int]) -> str:
    """How the waited-for tasks ended, by outcome."""
    outcomes = Counter(result.outcome for result in store.get_many(task_ids))
    missing = len(task_ids) - sum(outcomes.values())
    parts = [f"{count} {outcome}" for outcome, count in sorted(outcomes.items())]
    return "results: " + (", ".join(parts) or "none") + (f", {missing} without a result" if missing else "")
