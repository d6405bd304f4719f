"""One deadline for each request to the portal, from sending it to the last byte of its answer.

urllib3's read timeout bounds each wait for the next bytes, not the whole answer: a portal dripping a byte
every few seconds held a job for a minute with 68 bytes (issue 19). Here every request a client sends arms
a timer; when it fires before the answer is whole, it shuts the connection's socket, the blocked read ends,
and the client raises a TransientError saying why. Only the client's own session (`deadline_adapter`) arms
timers: the connection classes below do it as they send each request, retries included.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

ANSWER_SECONDS = 30.0  # a request's whole answer, headers and body; the API answers in well under a second

_current = threading.local()


class Deadline:
    """The deadline of the requests one call sends; `expired` tells that it cut one short."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        """Give the request just sent on `sock` its `seconds` (a retry gets its own)."""
        with self._lock:
            self._cancel()
            self._timer = threading.Timer(self.seconds, self._expire, args=(sock,))
            self._timer.daemon = True
            self._timer.start()

    def close(self) -> None:
        """The call is over: no timer left running."""
        with self._lock:
            self._cancel()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self, sock: socket.socket) -> None:
        self.expired = True
        # socket.socket's own shutdown, also for a TLS socket: a blocked read returns end-of-file at once.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextlib.contextmanager
def request_deadline(seconds: float) -> Iterator[Deadline]:
    """Every request this thread sends inside the block gets `seconds` for its whole answer."""
    deadline = Deadline(seconds)
    _current.deadline = deadline
    try:
        yield deadline
    finally:
        deadline.close()
        _current.deadline = None


class _ArmsDeadline:
    """A urllib3 connection that arms the thread's current deadline once a request is sent."""

    def request(self, *args, **kwargs) -> None:
        super().request(*args, **kwargs)
        deadline = getattr(_current, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)


class _Connection(_ArmsDeadline, HTTPConnection):
    pass


class _TLSConnection(_ArmsDeadline, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' HTTPAdapter whose connections arm the deadline of the call sending them."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}
