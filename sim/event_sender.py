"""Outgoing task events: the ONTASKUPDATE a portal posts to its webhook whenever a task changes.

Wire format as tests/data/events/ shows it: application/x-www-form-urlencoded with PHP bracket keys, only
the task id in the data, no retries. Delivery runs on one background thread so no answer ever waits for it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from datetime import UTC, datetime

import requests

from sim.portal import EventsConfig

SERVER_ENDPOINT = "https://oauth.bitrix.info/rest/"
SEND_TIMEOUT_SECONDS = 5
LOG_LIMIT = 1000
STOP = None


def task_update_form(task_id: int, config: EventsConfig, ts: int) -> list[tuple[str, str]]:
    """The form fields of one ONTASKUPDATE, in the order a portal sends them."""
    return [
        ("event", "ONTASKUPDATE"),
        ("event_handler_id", str(config.handler_id)),
        ("data[FIELDS_BEFORE][ID]", str(task_id)),
        ("data[FIELDS_AFTER][ID]", str(task_id)),
        ("data[IS_ACCESSIBLE_BEFORE]", "undefined"),
        ("data[IS_ACCESSIBLE_AFTER]", "undefined"),
        ("ts", str(ts)),
        ("auth[domain]", config.domain),
        ("auth[client_endpoint]", f"https://{config.domain}/rest/"),
        ("auth[server_endpoint]", SERVER_ENDPOINT),
        ("auth[member_id]", config.member_id),
        ("auth[application_token]", config.application_token),
    ]


class EventSender:
    """Posts task events on a background thread and keeps a log of what each delivery answered."""

    def __init__(self):
        self.config: EventsConfig | None = None
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._log: deque[dict] = deque(maxlen=LOG_LIMIT)
        self._lock = threading.Lock()

    def task_changed(self, task_id: int) -> None:
        """Queue an ONTASKUPDATE for the task, if events are configured."""
        config = self.config
        if config is None:
            return
        self._ensure_thread()
        self._queue.put((task_id, config, int(time.time())))

    def sent(self) -> list[dict]:
        """Every delivery so far: event, taskId, url, and the handler's status or the error."""
        with self._lock:
            return list(self._log)

    def close(self) -> None:
        """Stop the delivery thread after what is queued."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread:
            self._queue.put(STOP)
            thread.join(SEND_TIMEOUT_SECONDS)

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._deliver_all, name="sim-events", daemon=True)
                self._thread.start()

    def _deliver_all(self) -> None:
        while (item := self._queue.get()) is not STOP:
            self._deliver(*item)

    def _deliver(self, task_id: int, config: EventsConfig, ts: int) -> None:
        entry = {"event": "ONTASKUPDATE", "taskId": task_id, "url": config.url,
                 "time": datetime.now(UTC).isoformat(timespec="milliseconds")}
        try:
            answer = requests.post(config.url, data=task_update_form(task_id, config, ts),
                                   timeout=SEND_TIMEOUT_SECONDS)
            entry["status"] = answer.status_code
        except requests.RequestException as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"  # a portal drops the event too: no retry
        with self._lock:
            self._log.append(entry)
