"""Finding closed tasks through POST /tasks/search: the backfill command and the periodic sweep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from releasebot.model import Task
from worker.queueing import enqueue_task

SEARCH_PAGE = 50


def closed_tasks(api, statuses, since: str, until: str | None = None) -> Iterator[Task]:
    """Tasks in one of `statuses` closed at or after `since` (and at or before `until`), oldest first."""
    closed = {"$gte": since} | ({"$lte": until} if until else {})
    query = {"status": {"$in": sorted(statuses)}, "closedDate": closed}
    offset = 0
    while True:
        page = api.search_tasks(
            query, order={"closedDate": "asc"}, select=["id", "status", "closedDate"],
            limit=SEARCH_PAGE, offset=offset,
        )
        yield from page.tasks
        if not page.has_more or not page.tasks:
            return
        offset += len(page.tasks)


def queue_closed(api, queue, statuses, since: str, until: str | None = None, source: str = "backfill",
                 done: Callable[[int], bool] = lambda task_id: False) -> dict:
    """Queue every task closed in the range but those `done`; counts what was queued and what was waiting."""
    counts = {"found": 0, "queued": 0, "done": 0, "already_queued": 0}
    for task in closed_tasks(api, statuses, since, until):
        counts["found"] += 1
        if done(task.id):
            counts["done"] += 1
            continue
        queued, _ = enqueue_task(queue, task.id, source=source)
        counts["queued" if queued else "already_queued"] += 1
    return counts


FIRST_LOOKBACK = timedelta(days=1)
# Tasks are searched from a little before the watermark: a closedDate can be written late.
OVERLAP = timedelta(minutes=10)
UNFINISHED = frozenset({"not_closed", "failed"})


def queue_missed(api, queue, store, statuses, now: datetime) -> dict:
    """Queue every task closed since the last sweep that has no final result; move the watermark."""
    mark = store.sweep_watermark()
    since = mark - OVERLAP if mark else now - FIRST_LOOKBACK

    def finished(task_id: int) -> bool:
        previous = store.get(task_id)
        return previous is not None and previous.outcome not in UNFINISHED

    counts = queue_closed(api, queue, statuses, since.isoformat(timespec="seconds"), source="sweep", done=finished)
    store.set_sweep_watermark(now)
    return counts
