"""Where results live in Redis: the latest result per task, the release index and the outcome lists."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from redis import Redis

from infra.redis_keys import OUTCOME as OUTCOME_KEY
from infra.redis_keys import PORTAL as PORTAL_KEY
from infra.redis_keys import RELEASE as RELEASE_KEY
from infra.redis_keys import RELEASE_INDEX as INDEX_KEY
from infra.redis_keys import RESULT as RESULT_KEY
from infra.redis_keys import SWEEP_WATERMARK
from releasebot.model import OUTCOMES, TaskResult, settled

# Outcomes after which the task's place in the release index is known; the others leave it alone.
INDEXED_OUTCOMES = frozenset({"found", "not_found", "no_chat"})
# A failed result (a task that does not exist, a permanent API error) is kept this long, then forgotten:
# anyone can make the bot look up task ids that do not exist, and such results must not pile up.
FAILED_RESULT_TTL = 7 * 24 * 3600
MAX_LISTED = 1000


def _member(component: str, version: str) -> str:
    return f"{component.lower()}\t{version}"


def _release_key(component: str, version: str) -> str:
    return RELEASE_KEY.format(component=component.lower(), version=version)


def _epoch(moment: str | None) -> float:
    """Seconds since 1970 of an ISO 8601 moment (naive ones taken as UTC); 0 when unreadable."""
    try:
        parsed = datetime.fromisoformat(moment or "")
    except ValueError:
        return 0.0
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _iso(epoch: float) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds") if epoch else None


class ResultStore:
    """Latest result per task, for each component/version the tasks shipped in it, and tasks by outcome."""

    def __init__(self, connection: Redis):
        self.connection = connection

    def get(self, task_id: int) -> TaskResult | None:
        """The latest stored result for a task, or None if it was never processed."""
        raw = self.connection.get(RESULT_KEY.format(task_id=task_id))
        return TaskResult.from_json(json.loads(raw)) if raw else None

    def get_many(self, task_ids: list[int]) -> list[TaskResult]:
        """The stored results of those tasks, in that order (tasks never processed left out)."""
        if not task_ids:
            return []
        raws = self.connection.mget([RESULT_KEY.format(task_id=i) for i in task_ids])
        return [TaskResult.from_json(json.loads(raw)) for raw in raws if raw]

    def save(self, result: TaskResult) -> None:
        """Store the result, move the task between release index entries and outcome lists, atomically."""
        key = RESULT_KEY.format(task_id=result.task_id)

        def update(pipe) -> None:
            raw = pipe.get(key)
            old = TaskResult.from_json(json.loads(raw)) if raw else None
            saved = settled(old, result)  # a failure never replaces a final result, whoever saves it
            pipe.multi()
            ttl = FAILED_RESULT_TTL if saved.outcome == "failed" else None
            pipe.set(key, json.dumps(saved.to_json()), ex=ttl)
            self._file_outcome(pipe, saved)
            if saved.outcome in INDEXED_OUTCOMES:
                self._reindex(pipe, saved, old)

        self.connection.transaction(update, key)

    @staticmethod
    def _file_outcome(pipe, result: TaskResult) -> None:
        for outcome in OUTCOMES:
            if outcome != result.outcome:
                pipe.zrem(OUTCOME_KEY.format(outcome=outcome), result.task_id)
        key, processed = OUTCOME_KEY.format(outcome=result.outcome), _epoch(result.processed_at)
        pipe.zadd(key, {result.task_id: processed})
        if result.outcome == "failed":  # their results expire: so do their places in the list
            pipe.zremrangebyscore(key, "-inf", processed - FAILED_RESULT_TTL)

    def _reindex(self, pipe, result: TaskResult, old: TaskResult | None) -> None:
        new = {(r.component.lower(), r.version): r for r in result.releases}
        gone = {(r.component.lower(), r.version) for r in old.releases} - set(new) if old else set()
        for component, version in gone:
            pipe.zrem(_release_key(component, version), result.task_id)
        for (component, version), release in new.items():
            score = _epoch(release.message_at) or _epoch(result.processed_at)
            pipe.zadd(_release_key(component, version), {result.task_id: score})
            pipe.sadd(INDEX_KEY, _member(component, version))

    def releases(self) -> list[dict]:
        """Every known component/version with its task count and first and last announcement, newest first."""
        pairs = [m.decode().split("\t", 1) for m in self.connection.smembers(INDEX_KEY)]
        pipe = self.connection.pipeline(transaction=False)
        for component, version in pairs:
            key = _release_key(component, version)
            pipe.zcard(key)
            pipe.zrange(key, 0, 0, withscores=True)
            pipe.zrange(key, -1, -1, withscores=True)
        answers = pipe.execute()
        rows = []
        for index, (component, version) in enumerate(pairs):
            count, first, last = answers[3 * index:3 * index + 3]
            if count:
                rows.append({"component": component, "version": version, "tasks": count,
                             "firstAnnouncedAt": _iso(first[0][1]), "lastAnnouncedAt": _iso(last[0][1])})
        rows.sort(key=lambda r: _version_key(r["version"]), reverse=True)
        return sorted(rows, key=lambda r: r["component"])

    def tasks_in(self, component: str, version: str) -> list[int]:
        """Ids of the tasks shipped in that component/version (any case), ascending."""
        return sorted(int(i) for i in self.connection.zrange(_release_key(component, version), 0, -1))

    def release_results(self, component: str, version: str) -> list[TaskResult]:
        """The results of the tasks shipped in that component/version, by task id."""
        return self.get_many(self.tasks_in(component, version))

    def with_outcome(self, outcome: str, limit: int = MAX_LISTED) -> list[TaskResult]:
        """The latest results with that outcome, newest first."""
        ids = self.connection.zrevrange(OUTCOME_KEY.format(outcome=outcome), 0, max(limit, 1) - 1)
        return [r for r in self.get_many([int(i) for i in ids]) if r.outcome == outcome]

    def portal(self) -> str | None:
        """The portal address learnt from received events, if any."""
        raw = self.connection.get(PORTAL_KEY)
        return raw.decode() if raw else None

    def remember_portal(self, portal: str) -> None:
        """Keep the portal address of received events (for task links when PORTAL_URL is unset)."""
        if self.portal() != portal:
            self.connection.set(PORTAL_KEY, portal)

    def sweep_watermark(self) -> datetime | None:
        """When the last sweep ran, or None before the first."""
        mark = self.connection.get(SWEEP_WATERMARK)
        return datetime.fromisoformat(mark.decode()) if mark else None

    def set_sweep_watermark(self, when: datetime) -> None:
        """Record that a sweep covered every task closed up to `when`."""
        self.connection.set(SWEEP_WATERMARK, when.isoformat(timespec="seconds"))


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
