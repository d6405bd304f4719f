"""The portal's request budget, shared by every worker through Redis (GCRA, the leaky bucket as a meter).

RQ limits how many jobs run at once, not how many HTTP requests they make per second, so this is ours.
Each call reserves the next free slot atomically and sleeps until it comes: a burst of closed tasks
slows down instead of running into the portal's limit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis import Redis

from infra.redis_keys import BUDGET as KEY

log = logging.getLogger(__name__)
LOGGED_WAIT = 1.0  # seconds; shorter waits are the budget working as meant, not worth a line each

# KEYS[1]: the bucket's key (the theoretical arrival time, in microseconds of Redis's clock)
# ARGV: interval per request (us), burst size. Returns how long the caller must wait (us).
RESERVE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat + interval - burst * interval - now
if wait < 0 then wait = 0 end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil((tat + interval - now) / 1000) + 1000)
return wait
"""


@dataclass(frozen=True)
class Budget:
    """At most `burst` requests at once, then `rate` per second, across all processes sharing Redis.

    Both come from VIBE_RATE_LIMIT (the default is in settings.py).
    """

    burst: int
    rate: float


class SharedLimiter:
    """Call it before every request to the portal; it sleeps as long as the shared budget requires."""

    def __init__(self, connection: Redis, budget: Budget, name: str = "portal",
                 sleep: Callable[[float], None] = time.sleep):
        self.budget = budget
        self.key = KEY.format(name=name)
        self.reserve = connection.register_script(RESERVE_SCRIPT)
        self.sleep = sleep

    def __call__(self) -> float:
        """Reserve one request; returns the seconds waited."""
        interval_us = int(1_000_000 / self.budget.rate)
        wait = int(self.reserve(keys=[self.key], args=[interval_us, self.budget.burst])) / 1_000_000
        if wait > LOGGED_WAIT:
            log.info("budget: waiting %.1fs for the portal's request budget (VIBE_RATE_LIMIT %s/%s)", wait,
                     self.budget.burst, f"{self.budget.rate:g}", extra={"budget_wait": round(wait, 3)})
        if wait > 0:
            self.sleep(wait)
        return wait
