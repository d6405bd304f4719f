"""The record of every API call the simulator answered, and counts over them."""

from __future__ import annotations

import threading
from collections import Counter, deque

RECORD_LIMIT = 10_000


class Recorder:
    """Keeps the newest calls (method, path, query, json, status, ...) and counts all of them."""

    def __init__(self, limit: int = RECORD_LIMIT):
        self._lock = threading.Lock()
        self._calls: deque[dict] = deque(maxlen=limit)
        self._by_status: Counter = Counter()
        self._by_route: Counter = Counter()
        self._faults: Counter = Counter()

    def record(self, call: dict) -> None:
        """Add one answered call."""
        with self._lock:
            self._calls.append(call)
            self._by_status[str(call["status"])] += 1
            self._by_route[f"{call['method']} {call['route']}"] += 1
            if call.get("fault"):
                self._faults[call["fault"]] += 1

    def calls(self, path_contains: str | None = None, method: str | None = None,
              status: int | None = None) -> list[dict]:
        """The recorded calls, oldest first, optionally only those matching every filter given."""
        with self._lock:
            calls = list(self._calls)
        return [call for call in calls
                if (path_contains is None or path_contains in call["path"])
                and (method is None or call["method"] == method.upper())
                and (status is None or call["status"] == status)]

    def stats(self) -> dict:
        """Counts by status, by route and by injected fault."""
        with self._lock:
            return {"requests": sum(self._by_status.values()), "byStatus": dict(self._by_status),
                    "byRoute": dict(self._by_route), "faults": dict(self._faults)}

    def clear(self) -> None:
        """Forget every call and count."""
        with self._lock:
            for store in (self._calls, self._by_status, self._by_route, self._faults):
                store.clear()
