"""Counters every process adds to in Redis, so that GET /metrics shows the whole system, not one process."""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import RedisError

from infra.redis_keys import METRIC_BUDGET_WAIT, METRIC_EVENTS, METRIC_JOBS, METRIC_PORTAL

log = logging.getLogger(__name__)


class Metrics:
    """Adds to the counters; reads them all at once for /metrics. The webhook's answers are counted by its
    enqueuer (infra.queueing.TaskEnqueuer), which counts most of them inside the one Redis call of an event."""

    def __init__(self, connection: Redis):
        self.connection = connection

    def count_job(self, outcome: str) -> None:
        """One job's end: its outcome, or transient_error when it was handed back to RQ to retry."""
        self._add(self.connection.hincrby, METRIC_JOBS, outcome, 1)

    def count_portal_answer(self, status: str) -> None:
        """One VibeCode API call's final answer (after urllib3's retries): its HTTP status, or no_answer."""
        self._add(self.connection.hincrby, METRIC_PORTAL, status, 1)

    def add_budget_wait(self, seconds: float) -> None:
        """Time a request waited for the shared request budget."""
        if seconds > 0:
            self._add(self.connection.incrbyfloat, METRIC_BUDGET_WAIT, seconds)

    def read(self) -> dict:
        """Every counter: {"events": {...}, "jobs": {...}, "portal": {...}, "budget_wait_seconds": float}."""
        pipe = self.connection.pipeline(transaction=False)
        for key in (METRIC_EVENTS, METRIC_JOBS, METRIC_PORTAL):
            pipe.hgetall(key)
        pipe.get(METRIC_BUDGET_WAIT)
        events, jobs, portal, waited = pipe.execute()
        return {"events": _counts(events), "jobs": _counts(jobs), "portal": _counts(portal),
                "budget_wait_seconds": float(waited or 0)}

    @staticmethod
    def _add(command, *args) -> None:
        # A counter is never worth failing an answer or a job for: Redis trouble shows in /healthz instead.
        try:
            command(*args)
        except RedisError as error:
            log.debug("metric not counted: %s", error)


def _counts(raw: dict) -> dict[str, int]:
    return {key.decode(): int(value) for key, value in raw.items()}
