"""Faults on demand: the portal's leaky bucket, random failures, slow answers and scripted failures.

Options (the same names in a scenario's `faults:`, in POST /_sim/faults and as serve() keywords):
  rate_limit     "BURST/RATE" or {burst, rate} or null: one bucket for all keys; over it 429 RATE_LIMITED
  fail_rate      fraction of calls that fail, with a status drawn from fail_statuses
  fail_statuses  default [502, 503, 504, 429, 422]; 422 is BITRIX_ERROR OPERATION_TIME_LIMIT
  slow_rate      fraction of calls answered after slow_seconds (default 2)
  seed           makes the draws repeatable
  fail_next      [{route, status, count (1), method, code, bitrix_code, message, applied}]: the next `count` calls
                 whose path contains `route` fail with `status` (replaces the earlier list), and `message` as
                 the error's message when given (a hostile portal's text); with `applied: true` the call is
                 carried out first and only its answer is the failure (a comment posted, then 502)
  clear          true: back to no faults before the other options apply
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import asdict, dataclass

from releasebot.errors import ConfigError
from sim.error_answers import ApiError, error_for_status, rate_limited

FAIL_STATUSES = (502, 503, 504, 429, 422)
DEFAULT_SLOW_SECONDS = 2.0
SETTINGS = ("rate_limit", "fail_rate", "fail_statuses", "slow_rate", "slow_seconds", "seed", "fail_next")
OPTIONS = {*SETTINGS, "clear"}
RULE_FIELDS = {"route", "status", "count", "method", "code", "bitrix_code", "message", "applied"}


class LeakyBucket:
    """Bitrix24's request budget: a burst of `burst` calls, then `rate` calls a second."""

    def __init__(self, burst: int, rate: float, clock=time.monotonic):
        self.burst = burst
        self.rate = rate
        self._clock = clock
        self._level = 0.0
        self._updated = clock()

    def admit(self) -> float:
        """Take one call: 0 when it is admitted, else the seconds until one would be."""
        now = self._clock()
        self._level = max(0.0, self._level - (now - self._updated) * self.rate)
        self._updated = now
        if self._level + 1 <= self.burst:
            self._level += 1
            return 0.0
        return (self._level + 1 - self.burst) / self.rate


@dataclass
class FailRule:
    """Fail the next `count` calls whose path contains `route`."""

    route: str
    status: int
    count: int = 1
    method: str | None = None
    code: str | None = None
    bitrix_code: str | None = None
    applied: bool = False
    message: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether this call is one the rule fails."""
        return self.count > 0 and self.route in path and self.method in (None, method)

    def error(self) -> ApiError:
        """The answer it fails with."""
        error = error_for_status(self.status, self.code, self.bitrix_code)
        if self.message is not None:
            error.message = self.message
        return error


@dataclass(frozen=True)
class Verdict:
    """What the faults make of one call: an error to answer, a delay before answering, or nothing."""

    error: ApiError | None = None
    delay: float = 0.0
    fault: str | None = None
    applied: bool = False  # carry the call out, then answer `error` instead of its own answer


class FaultInjector:
    """The faults now in force; thread-safe, and deterministic for a seed and a sequence of calls."""

    def __init__(self, options: dict | None = None, clock=time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self._clear()
        self.configure(options or {})

    def _clear(self) -> None:
        self._bucket: LeakyBucket | None = None
        self._fail_rate = 0.0
        self._fail_statuses = FAIL_STATUSES
        self._slow_rate = 0.0
        self._slow_seconds = DEFAULT_SLOW_SECONDS
        self._seed = None
        self._random = random.Random()
        self._rules: list[FailRule] = []

    def configure(self, options: dict) -> dict:
        """Apply options (see the module docstring); answers the faults now in force."""
        unknown = sorted(set(options) - OPTIONS)
        if unknown:
            raise ConfigError(f"faults: unknown option {unknown[0]!r} (known: {', '.join(sorted(OPTIONS))})")
        with self._lock:
            if options.get("clear"):
                self._clear()
            for name in SETTINGS:
                if name in options:
                    getattr(self, f"_set_{name}")(options[name])
        return self.describe()

    def _set_rate_limit(self, value) -> None:
        limit = parse_rate_limit(value)
        self._bucket = LeakyBucket(*limit, clock=self._clock) if limit else None

    def _set_fail_rate(self, value) -> None:
        self._fail_rate = fraction(value, "fail_rate")

    def _set_fail_statuses(self, value) -> None:
        if not isinstance(value, list) or not value or not all(v in FAIL_STATUSES for v in value):
            allowed = list(FAIL_STATUSES)
            raise ConfigError(f"faults.fail_statuses: expected a list drawn from {allowed}, got {value!r}")
        self._fail_statuses = tuple(value)

    def _set_slow_rate(self, value) -> None:
        self._slow_rate = fraction(value, "slow_rate")

    def _set_slow_seconds(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"faults.slow_seconds: expected seconds >= 0, got {value!r}")
        self._slow_seconds = float(value)

    def _set_seed(self, value) -> None:
        self._seed = value
        self._random = random.Random(value)

    def _set_fail_next(self, value) -> None:
        if not isinstance(value, list):
            value = [value]
        self._rules = [fail_rule(item, f"faults.fail_next[{i}]") for i, item in enumerate(value)]

    def describe(self) -> dict:
        """The faults now in force, as JSON."""
        with self._lock:
            bucket = self._bucket
            return {
                "rate_limit": {"burst": bucket.burst, "rate": bucket.rate} if bucket else None,
                "fail_rate": self._fail_rate,
                "fail_statuses": list(self._fail_statuses),
                "slow_rate": self._slow_rate,
                "slow_seconds": self._slow_seconds,
                "seed": self._seed,
                "fail_next": [asdict(rule) for rule in self._rules if rule.count > 0],
            }

    def judge(self, method: str, path: str) -> Verdict:
        """Decide the fate of one API call."""
        with self._lock:
            rule = next((r for r in self._rules if r.matches(method, path)), None)
            if rule:
                rule.count -= 1
                return Verdict(error=rule.error(), fault="fail_next", applied=rule.applied)
            wait = self._bucket.admit() if self._bucket else 0.0
            if wait:
                return Verdict(error=rate_limited(math.ceil(wait)), fault="rate_limit")
            return self._draw()

    def _draw(self) -> Verdict:
        if self._fail_rate and self._random.random() < self._fail_rate:
            status = self._random.choice(self._fail_statuses)
            return Verdict(error=error_for_status(status), fault="random_failure")
        if self._slow_rate and self._random.random() < self._slow_rate:
            return Verdict(delay=self._slow_seconds, fault="slow")
        return Verdict()


def parse_rate_limit(value) -> tuple[int, float] | None:
    """(burst, rate) from "50/2" or {burst: 50, rate: 2}; None for null/off."""
    if value in (None, False, "off", ""):
        return None
    if isinstance(value, str) and value.count("/") == 1:
        value = dict(zip(("burst", "rate"), value.split("/"), strict=True))
    try:
        burst, rate = int(value["burst"]), float(value["rate"])
    except (TypeError, KeyError, ValueError):
        raise ConfigError(f"faults.rate_limit: expected BURST/RATE like 50/2, got {value!r}") from None
    if burst < 1 or rate <= 0:
        raise ConfigError(f"faults.rate_limit: burst must be >= 1 and rate > 0, got {value!r}")
    return burst, rate


def fraction(value, name: str) -> float:
    """A number between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError(f"faults.{name}: expected a fraction between 0 and 1, got {value!r}")
    return float(value)


def fail_rule(raw, where: str) -> FailRule:
    """One fail_next entry."""
    if not isinstance(raw, dict) or set(raw) - RULE_FIELDS or not isinstance(raw.get("route"), str):
        fields = ", ".join(sorted(RULE_FIELDS))
        raise ConfigError(f"{where}: expected a mapping with a route and {fields}, got {raw!r}")
    status, count = raw.get("status"), raw.get("count", 1)
    if not isinstance(status, int) or not 400 <= status <= 599 or not isinstance(count, int) or count < 1:
        raise ConfigError(f"{where}: status must be an HTTP error status and count >= 1, got {raw!r}")
    method = raw.get("method")
    return FailRule(raw["route"], status, count, method.upper() if method else None,
                    raw.get("code"), raw.get("bitrix_code"), bool(raw.get("applied", False)),
                    None if raw.get("message") is None else str(raw["message"]))
