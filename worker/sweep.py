"""Finding closed tasks through POST /tasks/search: the backfill command and the periodic sweep."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from infra.queueing import QueueFull, TaskEnqueuer, enqueue_task
from releasebot.model import Task

SEARCH_PAGE = 50


def closed_tasks(api, statuses, since: str, until: str | None = None, by: str = "closedDate") -> Iterator[Task]:
    """Tasks in one of `statuses` closed (or, by="changedDate", changed) at or after `since` (and at or
    before `until`), oldest first."""
    between = {"$gte": since} | ({"$lte": until} if until else {})
    query = {"status": {"$in": sorted(statuses)}, by: between}
    offset = 0
    while True:
        page = api.search_tasks(
            query, order={by: "asc"}, select=["id", "status", "closedDate", "changedDate"],
            limit=SEARCH_PAGE, offset=offset,
        )
        yield from page.tasks
        if not page.has_more or not page.tasks:
            return
        offset += len(page.tasks)


def queue_closed(api, enqueuer: TaskEnqueuer, statuses, since: str, until: str | None = None, source: str = "backfill",
                 done: Callable[[Task], bool] = lambda task: False, quiet: bool = False,
                 tasks: Callable[[Iterator[Task]], Iterator[Task]] = lambda found: found,
                 by: str = "closedDate", wait_for_room: Callable[[], None] | None = None) -> dict:
    """Queue every task closed in the range but those `done`; counts what was queued and what was waiting.
    `tasks` wraps the search's iterator (a progress bar); the ids of the jobs to wait for are in "waiting".
    When the queue is full it calls `wait_for_room` and tries again, or without one stops, saying so in "full"."""
    counts = {"found": 0, "queued": 0, "done": 0, "already_queued": 0, "waiting": [], "full": ""}
    for task in tasks(closed_tasks(api, statuses, since, until, by)):
        counts["found"] += 1
        if done(task):
            counts["done"] += 1
            continue
        try:
            queued = _enqueue(enqueuer, task.id, source, quiet, wait_for_room)
        except QueueFull as full:
            counts["full"] = str(full)
            return counts
        counts["queued" if queued else "already_queued"] += 1
        counts["waiting"].append(task.id)
    return counts


def _enqueue(enqueuer: TaskEnqueuer, task_id: int, source: str, quiet: bool,
             wait_for_room: Callable[[], None] | None) -> bool:
    """Queue one task, waiting for room as long as it takes when `wait_for_room` is given."""
    while True:
        try:
            return enqueue_task(enqueuer, task_id, source=source, quiet=quiet)[0]
        except QueueFull:
            if wait_for_room is None:
                raise
            wait_for_room()


def is_final(result) -> bool:
    """Whether a stored result (or None) is one only a new chat message can change."""
    return result is not None and result.outcome not in UNFINISHED


def has_final_result(store) -> Callable[[Task], bool]:
    """Whether a task's stored result is final and the task unchanged since: the sweep and backfill leave
    such tasks alone. A task changed after its result (a late deploy message) is read again."""

    def finished(task: Task) -> bool:
        previous = store.get(task.id)
        if not is_final(previous):
            return False
        # The task's changedDate as the bot left it, when known: the bot's own comment and tags moved it, and
        # the portal's clock need not agree with ours. Results without it compare with processedAt.
        left = previous.task.changed_date if previous.task else None
        return not _later(task.changed_date, left or previous.processed_at)

    return finished


def _later(moment: str | None, than: str) -> bool:
    """Whether an ISO 8601 moment is after another; False when either is missing or unreadable."""
    try:
        return datetime.fromisoformat(moment or "") > datetime.fromisoformat(than)
    except (TypeError, ValueError):
        return False


FIRST_LOOKBACK = timedelta(days=1)
# Tasks are searched from a little before the watermark: a closedDate can be written late.
OVERLAP = timedelta(minutes=10)
UNFINISHED = frozenset({"not_closed", "failed"})


def queue_missed(api, enqueuer: TaskEnqueuer, store, statuses, now: datetime) -> dict:
    """Queue every task closed since the last sweep that has no final result; move the watermark. When the
    queue is full the watermark stays, so the next sweep looks at the same range again."""
    mark = store.sweep_watermark()
    since = mark - OVERLAP if mark else now - FIRST_LOOKBACK

    since_text, done = since.isoformat(timespec="seconds"), has_final_result(store)
    counts = queue_closed(api, enqueuer, statuses, since_text, source="sweep", done=done)
    changed = {"queued": 0, "full": ""}
    if not counts["full"]:
        changed = queue_closed(api, enqueuer, statuses, since_text, source="sweep", done=done, by="changedDate")
    counts.pop("waiting")
    counts["changed_queued"], counts["full"] = changed["queued"], counts["full"] or changed["full"]
    if not counts["full"]:
        store.set_sweep_watermark(now)
    return counts
