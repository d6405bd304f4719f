"""`releasebot db import-redis`: the record that releasebot kept in Redis before the SQL store, copied into the
database, with progress.

Idempotent: a result is copied unless the database already holds a newer one of the same task, so the
command can run again, or beside live workers, at any time. The release index is rebuilt from the results
(each result names its releases), so only results, the portal and the sweep's watermark are read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from redis import Redis

from releasebot.model import TaskResult
from store.sql import ResultStore

# The keys of the record in Redis, as releasebot wrote them before the SQL store (it no longer writes them).
LEGACY_RESULTS = "releasebot:result:*"
LEGACY_PORTAL = "releasebot:portal"
LEGACY_WATERMARK = "releasebot:sweep:watermark"
BATCH = 500  # results read (one MGET) and saved (one transaction) at a time
SCAN_COUNT = 1000


def legacy_task_ids(redis: Redis) -> list[int]:
    """The task ids whose result Redis holds, ascending (one SCAN pass; RQ's own keys are left alone)."""
    prefix = LEGACY_RESULTS[:-1]
    ids = (key.decode()[len(prefix):] for key in redis.scan_iter(match=LEGACY_RESULTS, count=SCAN_COUNT))
    return sorted(int(i) for i in ids if i.isdigit())


def import_redis(redis: Redis, store: ResultStore, progress: Callable[[int, int], None] = lambda done, total: None
                 ) -> dict:
    """Copy every result, the portal and the sweep's watermark from Redis; counts of what was found and done."""
    ids = legacy_task_ids(redis)
    counts = {"found": len(ids), "imported": 0, "already": 0, "newer": 0, "unreadable": 0}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        batch = _results(redis.mget([LEGACY_RESULTS[:-1] + str(i) for i in chunk]), counts)
        for name, count in store.import_results(batch).items():
            counts[name] += count
        progress(start + len(chunk), len(ids))
    _facts(redis, store)
    return counts


def _results(raws: list[bytes | None], counts: dict) -> list[TaskResult]:
    """The results of one MGET; one that expired meanwhile is gone, one that does not parse is counted."""
    batch = []
    for raw in raws:
        if raw is None:
            counts["found"] -= 1
            continue
        try:
            batch.append(TaskResult.from_json(json.loads(raw)))
        except (ValueError, KeyError, TypeError):
            counts["unreadable"] += 1
    return batch


def _facts(redis: Redis, store: ResultStore) -> None:
    """The portal learnt from events and the sweep's watermark, unless the database has its own (or later)."""
    portal = redis.get(LEGACY_PORTAL)
    if portal and store.portal() is None:
        store.remember_portal(portal.decode())
    mark = redis.get(LEGACY_WATERMARK)
    if mark:
        when, known = datetime.fromisoformat(mark.decode()), store.sweep_watermark()
        if known is None or known < when:
            store.set_sweep_watermark(when)


def summary(counts: dict) -> str:
    """One line on what the import did."""
    line = (f"{counts['found']} results in Redis: {counts['imported']} imported, {counts['already']} already "
            f"there, {counts['newer']} left alone (the database has a newer one)")
    return line + (f", {counts['unreadable']} unreadable (skipped)" if counts["unreadable"] else "")
