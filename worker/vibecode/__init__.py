"""The VibeCode API client: the session and its retries (client), errors (errors), chat paging (chat).

`api_client` is the one way any part of releasebot (jobs, sweep, CLI) builds a client: every request it
makes draws from the request budget all processes share through Redis.
"""

from __future__ import annotations

from redis import Redis

from infra.metrics import Metrics
from releasebot.settings import Settings
from worker.budget import Budget, SharedLimiter
from worker.vibecode.client import VibeClient


def api_client(settings: Settings, connection: Redis, **client_options) -> VibeClient:
    """A client whose every request waits for its turn in the shared portal budget, counted for /metrics."""
    limiter = SharedLimiter(connection, Budget(*settings.rate_limit))
    metrics = Metrics(connection)

    def wait_for_budget() -> None:
        metrics.add_budget_wait(limiter())

    return VibeClient.from_settings(settings, before_request=wait_for_budget, on_answer=metrics.count_portal_answer,
                                    **client_options)
