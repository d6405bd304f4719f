"""Where results live in Redis: the latest result per task, and the release index built from them."""

from __future__ import annotations

import json
from datetime import datetime

from redis import Redis

from releasebot.model import TaskResult
from worker.redis_keys import RELEASE as RELEASE_KEY
from worker.redis_keys import RELEASE_INDEX as INDEX_KEY
from worker.redis_keys import RESULT as RESULT_KEY
from worker.redis_keys import SWEEP_WATERMARK

# Outcomes after which the task's place in the release index is known; the others leave it alone.
INDEXED_OUTCOMES = frozenset({"found", "not_found", "no_chat"})
# A failed result (a task that does not exist, a permanent API error) is kept this long, then forgotten:
# anyone can make the bot look up task ids that do not exist, and such results must not pile up.
FAILED_RESULT_TTL = 7 * 24 * 3600


def _member(component: str, version: str) -> str:
    return f"{component}\t{version}"


class ResultStore:
    """Latest result per task, and for each component/version the tasks shipped in it."""

    def __init__(self, connection: Redis):
        self.connection = connection

    def get(self, task_id: int) -> TaskResult | None:
        """The latest stored result for a task, or None if it was never processed."""
        raw = self.connection.get(RESULT_KEY.format(task_id=task_id))
        return TaskResult.from_json(json.loads(raw)) if raw else None

    def save(self, result: TaskResult) -> None:
        """Store the result and move the task between release index entries, atomically."""
        key = RESULT_KEY.format(task_id=result.task_id)

        def update(pipe) -> None:
            raw = pipe.get(key)
            old = TaskResult.from_json(json.loads(raw)) if raw else None
            pipe.multi()
            ttl = FAILED_RESULT_TTL if result.outcome == "failed" else None
            pipe.set(key, json.dumps(result.to_json()), ex=ttl)
            if result.outcome in INDEXED_OUTCOMES:
                self._reindex(pipe, result, old)

        self.connection.transaction(update, key)

    def _reindex(self, pipe, result: TaskResult, old: TaskResult | None) -> None:
        new = {(r.component, r.version) for r in result.releases}
        gone = {(r.component, r.version) for r in old.releases} - new if old else set()
        for component, version in gone:
            pipe.srem(RELEASE_KEY.format(component=component, version=version), result.task_id)
        for component, version in new:
            pipe.sadd(RELEASE_KEY.format(component=component, version=version), result.task_id)
            pipe.sadd(INDEX_KEY, _member(component, version))

    def releases(self, with_task_ids: bool = False) -> list[dict]:
        """Every known component/version with its task count (and ids), newest versions of a component first."""
        pairs = [m.decode().split("\t", 1) for m in self.connection.smembers(INDEX_KEY)]
        pipe = self.connection.pipeline(transaction=False)
        for component, version in pairs:
            pipe.smembers(RELEASE_KEY.format(component=component, version=version))
        rows = [
            {"component": component, "version": version, "tasks": len(ids)}
            | ({"task_ids": sorted(int(i) for i in ids)} if with_task_ids else {})
            for (component, version), ids in zip(pairs, pipe.execute(), strict=True)
            if ids
        ]
        rows.sort(key=lambda r: _version_key(r["version"]), reverse=True)
        return sorted(rows, key=lambda r: r["component"])

    def sweep_watermark(self) -> datetime | None:
        """When the last sweep ran, or None before the first."""
        mark = self.connection.get(SWEEP_WATERMARK)
        return datetime.fromisoformat(mark.decode()) if mark else None

    def set_sweep_watermark(self, when: datetime) -> None:
        """Record that a sweep covered every task closed up to `when`."""
        self.connection.set(SWEEP_WATERMARK, when.isoformat(timespec="seconds"))

    def tasks_in(self, component: str, version: str) -> list[int]:
        """Ids of the tasks shipped in that component/version, ascending."""
        ids = self.connection.smembers(RELEASE_KEY.format(component=component, version=version))
        return sorted(int(i) for i in ids)


def _version_key(version: str) -> tuple:
    """Sort 24.500.0 after 24.90.0: numeric parts compare as numbers; never raises, whatever was recorded.

    A part of ASCII digits compares by its length without leading zeros, then by its digits: the order of
    its value, without converting a 5,000-digit part to an int (which Python refuses). Other parts sort as 0.
    """
    return tuple(_part_key(part) for part in version.split("."))


def _part_key(part: str) -> tuple[int, str]:
    if part.isascii() and part.isdigit():
        digits = part.lstrip("0")
        return len(digits), digits
    return 0, ""
