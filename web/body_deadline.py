"""A deadline for reading a request's body, so a client sending it slowly cannot hold a thread for long.

gunicorn never times the read of a body out: under its gevent worker (gunicorn.conf.py) a slow body holds a
greenlet, under a threaded one a thread. This middleware stops reading the socket once the deadline passes
(the request then ends as a client disconnect, which the webhook answers 408), and lets everything else
through untouched.

One watchdog thread per process keeps the deadlines: every request has the same allowance, so they expire in
the order they were set and a deque holds them sorted. A request costs an append and a flag, not a thread of
its own (a `threading.Timer` per request cost the webhook a third of its throughput: bench/webhook_bench.py).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections import deque

MAX_BODY_BYTES = 64 * 1024  # a task event is well under 2 KB; anything this big is not one
BODY_READ_SECONDS = 5.0  # a Bitrix24 event is under 2 KB: it arrives in milliseconds
CHECK_EVERY = 0.25  # how late past its deadline a slow request may be stopped, at most


class _Deadline:
    """One request's deadline; `done` is set when the request is over, and the watchdog then leaves it."""

    __slots__ = ("at", "done", "sock")

    def __init__(self, at: float, sock: socket.socket):
        self.at, self.sock, self.done = at, sock, False


class BodyDeadline:
    """WSGI middleware: a request still being handled after `seconds` can read no more from its socket."""

    def __init__(self, app, seconds: float = BODY_READ_SECONDS, check_every: float = CHECK_EVERY):
        self.app = app
        self.seconds = seconds
        self.check_every = check_every
        self._pending: deque[_Deadline] = deque()
        self._watchdog_pid = 0  # the process whose watchdog runs: a forked worker starts its own
        self._start_lock = threading.Lock()

    def __call__(self, environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is None:  # not under gunicorn (the test client, `flask run`): nothing to guard
            return self.app(environ, start_response)
        if self._watchdog_pid != os.getpid():
            self._start_watchdog()
        deadline = _Deadline(time.monotonic() + self.seconds, sock)
        self._pending.append(deadline)
        try:
            return self.app(environ, start_response)
        finally:
            deadline.done = True

    def _start_watchdog(self) -> None:
        with self._start_lock:
            if self._watchdog_pid == os.getpid():
                return
            self._pending.clear()  # deadlines copied from a parent process belong to its requests
            threading.Thread(target=self._watch, name="body-deadline", daemon=True).start()
            self._watchdog_pid = os.getpid()

    def _watch(self) -> None:
        pending = self._pending
        while True:
            now = time.monotonic()
            while pending and (pending[0].done or pending[0].at <= now):
                deadline = pending.popleft()
                if not deadline.done:
                    _stop_reading(deadline.sock)
            time.sleep(self.check_every)


def _stop_reading(sock: socket.socket) -> None:
    """End reads on the socket: a blocked read returns end-of-file; the answer can still be written."""
    with contextlib.suppress(OSError):  # already closed: the request is over
        sock.shutdown(socket.SHUT_RD)
